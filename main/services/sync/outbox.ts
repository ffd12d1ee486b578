/**
 * The transactional outbox: every local write that other counters must see records one
 * mutation here, in the same SQLite transaction as the write, so a power cut can never keep
 * the write and lose its mutation (or the reverse). A fact (a sale, a refund …) is queued with
 * its wire shape; a record edited in place (a customer, a product …) is queued by reference,
 * with a null payload, and goes out as it stands when pushed (its field stamps are in the row),
 * so a million imported customers do not write a million copies. The push loop sends pending
 * mutations in order and writes the server's answer on each (applied, conflict or rejected) in
 * the transaction that takes the answer in.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from '../../../shared/ids';
import type { MutationOp } from '../../../shared/sync/protocol';

export interface OutboxMutation {
  entity: string;
  entityId: string;
  op: MutationOp;
  /** null for a record queued by reference. */
  payload: unknown;
}

export interface PendingMutation {
  seq: number;
  mutationId: string;
  entity: string;
  entityId: string;
  op: MutationOp;
  /** JSON text, sent as it is; 'null' for a record queued by reference. */
  payload: string;
}

export type OutboxStatus = 'applied' | 'conflict' | 'rejected';

export class Outbox {
  private readonly insert: Database.Statement<[string, string, string, string, string, number]>;
  private readonly pendingCount: Database.Statement<[], { n: number }>;
  private readonly rejectedCount: Database.Statement<[], { n: number }>;
  private readonly next: Database.Statement<[number], PendingMutation>;
  private readonly done: Database.Statement<[number, OutboxStatus, string | null, number]>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = db.prepare(
      'INSERT INTO outbox (mutation_id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.pendingCount = db.prepare('SELECT count(*) AS n FROM outbox WHERE pushed_at IS NULL');
    this.rejectedCount = db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'rejected'");
    this.next = db.prepare(
      `SELECT seq, mutation_id AS mutationId, entity, entity_id AS entityId, op, payload FROM outbox
       WHERE pushed_at IS NULL ORDER BY seq LIMIT ?`,
    );
    this.done = db.prepare('UPDATE outbox SET pushed_at = ?, status = ?, result = ? WHERE seq = ?');
  }

  /** Must run inside the transaction of the write it records; returns the mutation id. */
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
    for (const listener of this.listeners) listener();
    return mutationId;
  }

  /** Called (inside the writer's transaction) after each recorded mutation: the loop schedules a push. */
  onRecord(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pending(): number {
    return this.pendingCount.get()?.n ?? 0;
  }

  rejected(): number {
    return this.rejectedCount.get()?.n ?? 0;
  }

  /** The oldest pending mutations, in the order they were written. */
  nextBatch(limit: number): PendingMutation[] {
    return this.next.all(limit);
  }

  /** The server's answer on one mutation; runs in the caller's transaction. */
  settle(seq: number, status: OutboxStatus, result: string | null = null): void {
    this.done.run(this.now(), status, result, seq);
  }

  /** Pairing queues every record afresh, so what waited before is dropped (it is in the records). */
  dropPending(): number {
    return this.db.prepare('DELETE FROM outbox WHERE pushed_at IS NULL').run().changes;
  }
}
