/** The hash-chained audit log: appends only inside a transaction, and any tampering shows. */
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../main/db/migrate';
import { AuditLog } from '../../main/services/audit/audit-log';
import { migrations } from './fixtures';

let db: Database.Database;
let audit: AuditLog;

beforeEach(() => {
  db = new Database(':memory:');
  applyMigrations(db, migrations);
  let clock = 1_700_000_000_000;
  audit = new AuditLog(db, () => (clock += 1000));
  db.transaction(() => {
    for (let i = 1; i <= 5; i += 1) {
      audit.append({
        actorStaffId: 'owner',
        action: 'sale.record',
        entity: 'sale',
        entityId: `sale-${i}`,
        details: { totalKobo: i * 1000 },
      });
    }
  })();
});

/** Direct edits to the file, as someone with the key and a SQLite shell could make them. */
function tamper(sql: string): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(sql);
}

describe('AuditLog', () => {
  it('verifies an untouched chain', () => {
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 5, firstBrokenSeq: null });
  });

  it('refuses to append outside the transaction of the action it records', () => {
    expect(() => audit.append({ actorStaffId: null, action: 'x', entity: 'y', entityId: null })).toThrow(
      /inside the transaction/,
    );
  });

  it('detects an edited row, from that row on', () => {
    tamper(`UPDATE audit_log SET details = '{"totalKobo":1}' WHERE seq = 3`);
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 2, firstBrokenSeq: 3 });
  });

  it('detects an edited row whose hash was recomputed alone (the next link breaks)', () => {
    const row = db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string };
    tamper(`UPDATE audit_log SET hash = '${'f'.repeat(64)}' WHERE seq = 2`);
    expect(audit.verify().firstBrokenSeq).toBe(2);
    expect(row.hash).not.toBe('f'.repeat(64));
  });

  it('detects a deleted row in the middle', () => {
    tamper('DELETE FROM audit_log WHERE seq = 4');
    expect(audit.verify()).toMatchObject({ intact: false, firstBrokenSeq: 5 });
  });

  it('lists newest first, a page at a time', () => {
    expect(audit.list(2).map((entry) => entry.seq)).toEqual([5, 4]);
    expect(audit.list(2, 4).map((entry) => entry.seq)).toEqual([3, 2]);
    expect(audit.list(10, 2).map((entry) => entry.entityId)).toEqual(['sale-1']);
  });
});
