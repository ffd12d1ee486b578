/**
 * What the domain services call, inside their own transactions, so every local write that other
 * counters must see queues its mutation with it: a record edited in place is stamped field by
 * field with this counter's clock and queued whole; a new fact (a sale, a refund, a consent, a
 * points or stock row) is queued as its wire shape.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { LedgerEntity, ReplicaEntity } from '../../../shared/sync/protocol';
import type { LedgerRows } from './ledgers';
import type { Outbox } from './outbox';
import { BUSINESS_ENTITY_ID, SHARED_SETTINGS, type LocalRecord, type ReplicaTables } from './replicas';
import type { SyncClock } from './sync-clock';

export class SyncRecorder {
  constructor(
    private readonly deps: {
      sql: Database.Database;
      outbox: Outbox;
      clock: SyncClock;
      replicas: ReplicaTables;
      ledgers: LedgerRows;
    },
  ) {}

  /** The record as it stands before an edit, to know afterwards which fields the edit changed. */
  before(entity: ReplicaEntity, id: string): LocalRecord | null {
    return this.deps.replicas.read(entity, id);
  }

  /** After a create (`before` null) or an edit, in the same transaction. */
  replicaChanged(entity: ReplicaEntity, id: string, before: LocalRecord | null): void {
    this.inTransaction(() => {
      const entityId = entity === 'business' ? BUSINESS_ENTITY_ID : id;
      this.deps.replicas.stampLocalEdit(entity, id, before, this.deps.clock.stamp());
      this.deps.outbox.record({ entity, entityId, op: 'upsert', payload: null });
    });
  }

  /** A shared setting written at this counter; the per-counter ones are not synced. */
  settingChanged(key: string, before: LocalRecord | null): void {
    if ((SHARED_SETTINGS as readonly string[]).includes(key)) this.replicaChanged('setting', key, before);
  }

  /** One clock value for writes that are one edit (a chunk of an import); in its transaction. */
  stamp(): string {
    return this.deps.clock.stamp();
  }

  /**
   * A record just inserted with its stamps already in the row (the bulk path of an import,
   * which stamps a chunk once instead of reading every row back to stamp it).
   */
  replicaInserted(entity: ReplicaEntity, id: string): void {
    this.inTransaction(() => {
      this.deps.outbox.record({ entity, entityId: id, op: 'upsert', payload: null });
    });
  }

  /** A fact just inserted, queued from its wire shape as written. */
  ledgerInserted(entity: LedgerEntity, id: string, row: unknown): void {
    this.inTransaction(() => {
      this.deps.outbox.record({ entity, entityId: id, op: 'append', payload: row });
    });
  }

  ledgerAdded(entity: LedgerEntity, id: string): void {
    this.inTransaction(() => {
      this.deps.outbox.record({
        entity,
        entityId: id,
        op: 'append',
        payload: this.deps.ledgers.snapshot(entity, id),
      });
    });
  }

  private inTransaction(work: () => void): void {
    if (this.deps.sql.inTransaction) work();
    else this.deps.sql.transaction(work).immediate();
  }
}
