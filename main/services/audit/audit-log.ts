/**
 * The audit log: one row per financial or security-relevant action, written in the same
 * transaction as the action. Rows are append-only (triggers refuse edits) and hash-chained, so
 * tampering with the file directly is still detected by `verify`.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditEntry, AuditVerification } from '../../../shared/contract';
import { uuidv7 } from '../../../shared/ids';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  actorStaffId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

interface AuditRow {
  seq: number;
  id: string;
  at: number;
  actor_staff_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

function rowHash(row: Omit<AuditRow, 'hash'>): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        row.prev_hash,
        row.seq,
        row.id,
        row.at,
        row.actor_staff_id,
        row.action,
        row.entity,
        row.entity_id,
        row.details,
      ]),
    )
    .digest('hex');
}

export class AuditLog {
  private readonly last: Database.Statement<[], { seq: number; hash: string }>;
  private readonly insert: Database.Statement<AuditRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, id, at, actor_staff_id, action, entity, entity_id, details, prev_hash, hash)
       VALUES (@seq, @id, @at, @actor_staff_id, @action, @entity, @entity_id, @details, @prev_hash, @hash)`,
    );
  }

  /** Must run inside the caller's transaction, so the action and its audit row commit together. */
  append(record: AuditRecord): number {
    if (!this.db.inTransaction) {
      throw new Error('AuditLog.append must run inside the transaction of the action it records');
    }
    const previous = this.last.get();
    const base = {
      seq: (previous?.seq ?? 0) + 1,
      id: uuidv7(),
      at: this.now(),
      actor_staff_id: record.actorStaffId,
      action: record.action,
      entity: record.entity,
      entity_id: record.entityId,
      details: JSON.stringify(record.details ?? {}),
      prev_hash: previous?.hash ?? GENESIS_HASH,
    };
    this.insert.run({ ...base, hash: rowHash(base) });
    return base.seq;
  }

  list(limit: number, beforeSeq?: number): AuditEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
      .all(beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as AuditRow[];
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at,
      actorStaffId: row.actor_staff_id,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      details: row.details,
    }));
  }

  /** Walks the whole chain; the first row whose hash or link does not hold is reported. */
  verify(): AuditVerification {
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let checkedRows = 0;
    const rows = this.db
      .prepare('SELECT * FROM audit_log ORDER BY seq')
      .iterate() as IterableIterator<AuditRow>;
    for (const row of rows) {
      const { hash, ...rest } = row;
      if (row.seq !== expectedSeq || row.prev_hash !== expectedPrev || rowHash(rest) !== hash) {
        return { intact: false, checkedRows, firstBrokenSeq: row.seq };
      }
      checkedRows += 1;
      expectedSeq = row.seq + 1;
      expectedPrev = hash;
    }
    return { intact: true, checkedRows, firstBrokenSeq: null };
  }
}
