/**
 * The transactional outbox: every local write that other counters must see records one
 * mutation here, in the same SQLite transaction as the write, so a power cut can never keep
 * the write and lose its mutation (or the reverse). The sync loop pushes and marks them.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from '../../../shared/ids';

export interface OutboxMutation {
  entity: string;
  entityId: string;
  op: string;
  payload: unknown;
}

export class Outbox {
  private readonly insert: Database.Statement<[string, string, string, string, string, number]>;
  private readonly pendingCount: Database.Statement<[], { n: number }>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(
      'INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.pendingCount = db.prepare('SELECT count(*) AS n FROM outbox WHERE pushed_at IS NULL');
  }

  /** Must run inside the transaction of the write it describes; returns the mutation id. */
  record(mutation: OutboxMutation): string {
    if (!this.db.inTransaction) {
      throw new Error('Outbox.record must run inside the transaction of the write it records');
    }
    const mutationId = uuidv7();
    this.insert.run(
      mutationId,
      mutation.entity,
      mutation.entityId,
      mutation.op,
      JSON.stringify(mutation.payload),
      this.now(),
    );
    return mutationId;
  }

  pending(): number {
    return this.pendingCount.get()?.n ?? 0;
  }
}
