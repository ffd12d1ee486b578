/**
 * The hash-chained audit log on a real encrypted file: appends only inside the transaction of
 * the action, rolls back with it, and any direct edit of the file (with the triggers dropped,
 * as someone holding the key and a SQLite shell could do) shows in `verify`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { AuditLog, GENESIS_HASH } from '../../main/services/audit/audit-log';
import { migrations, tempDir } from './fixtures';

const KEY = randomBytes(32);
const START = 1_700_000_000_000;

let scratch: ReturnType<typeof tempDir>;
let file: string;
let db: ShopDatabase;
let audit: AuditLog;
let clock: number;

function appendSales(count: number): void {
  db.sqlite.transaction(() => {
    for (let i = 1; i <= count; i += 1) {
      audit.append({
        actorStaffId: 'owner',
        action: 'sale.record',
        entity: 'sale',
        entityId: `sale-${i}`,
        details: { totalKobo: i * 1000 },
      });
    }
  })();
}

beforeEach(() => {
  scratch = tempDir('kasuwa-audit-');
  file = path.join(scratch.dir, 'kasuwa.db');
  db = openShopDatabase(file, { key: KEY, create: true, migrations });
  clock = START;
  audit = new AuditLog(db.sqlite, () => (clock += 1000));
});

afterEach(() => {
  db.close();
  scratch.remove();
});

function rows(): { seq: number; prev_hash: string; hash: string; details: string; at: number }[] {
  return db.sqlite.prepare('SELECT seq, prev_hash, hash, details, at FROM audit_log ORDER BY seq').all() as {
    seq: number;
    prev_hash: string;
    hash: string;
    details: string;
    at: number;
  }[];
}

describe('AuditLog', () => {
  it('verifies an empty log', () => {
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 0, firstBrokenSeq: null });
  });

  it('appends inside a transaction, chains each row to the one before, and verifies intact', () => {
    appendSales(5);
    const chain = rows();
    expect(chain.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain[0]?.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i += 1) expect(chain[i]?.prev_hash).toBe(chain[i - 1]?.hash);
    expect(new Set(chain.map((row) => row.hash)).size).toBe(5);
    expect(chain.map((row) => row.at)).toEqual([1, 2, 3, 4, 5].map((i) => START + i * 1000));
    expect(JSON.parse(chain[2]?.details ?? '')).toEqual({ totalKobo: 3000 });
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 5, firstBrokenSeq: null });
  });

  it('keeps its chain across a reopen of the file', () => {
    appendSales(3);
    db.close();
    db = openShopDatabase(file, { key: KEY, create: false, migrations });
    audit = new AuditLog(db.sqlite, () => (clock += 1000));
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 3, firstBrokenSeq: null });
    db.sqlite.transaction(() =>
      audit.append({ actorStaffId: null, action: 'settings.update', entity: 'settings', entityId: null }),
    )();
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 4, firstBrokenSeq: null });
  });

  it('refuses to append outside the transaction of the action it records', () => {
    expect(() => audit.append({ actorStaffId: null, action: 'x', entity: 'y', entityId: null })).toThrow(
      /inside the transaction/,
    );
    expect(rows()).toEqual([]);
  });

  it('rolls back with the action it records', () => {
    appendSales(2);
    expect(() =>
      db.sqlite.transaction(() => {
        audit.append({ actorStaffId: null, action: 'sale.record', entity: 'sale', entityId: 'sale-x' });
        throw new Error('power cut');
      })(),
    ).toThrow('power cut');
    expect(rows().map((row) => row.seq)).toEqual([1, 2]);
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 2, firstBrokenSeq: null });
  });

  it('detects a row whose details were edited directly in the file, at that row', () => {
    appendSales(5);
    db.sqlite.exec('DROP TRIGGER audit_log_no_update');
    db.sqlite.prepare(`UPDATE audit_log SET details = '{"totalKobo":1}' WHERE seq = 3`).run();
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 2, firstBrokenSeq: 3 });
  });

  it('detects an edited row whose own hash was recomputed: the next link breaks', () => {
    appendSales(5);
    db.sqlite.exec('DROP TRIGGER audit_log_no_update');
    db.sqlite.prepare(`UPDATE audit_log SET hash = ? WHERE seq = 2`).run('f'.repeat(64));
    expect(audit.verify()).toMatchObject({ intact: false, firstBrokenSeq: 2 });
  });

  it('detects an edited time or actor', () => {
    appendSales(4);
    db.sqlite.exec('DROP TRIGGER audit_log_no_update');
    db.sqlite.prepare('UPDATE audit_log SET actor_staff_id = ? WHERE seq = 4').run('cashier');
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 3, firstBrokenSeq: 4 });
  });

  it('detects a deleted row in the middle', () => {
    appendSales(5);
    db.sqlite.exec('DROP TRIGGER audit_log_no_delete');
    db.sqlite.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 2, firstBrokenSeq: 4 });
  });

  it('detects a deleted first row', () => {
    appendSales(3);
    db.sqlite.exec('DROP TRIGGER audit_log_no_delete');
    db.sqlite.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 0, firstBrokenSeq: 2 });
  });

  it('detects a row slipped in at the end without the right hash', () => {
    appendSales(3);
    const last = rows().at(-1);
    db.sqlite
      .prepare(
        "INSERT INTO audit_log (seq, id, at, action, entity, details, prev_hash, hash) VALUES (4, 'forged', 1, 'refund.record', 'refund', '{}', ?, ?)",
      )
      .run(last?.hash ?? '', 'e'.repeat(64));
    expect(audit.verify()).toEqual({ intact: false, checkedRows: 3, firstBrokenSeq: 4 });
  });

  it('lists newest first, a page at a time', () => {
    appendSales(5);
    expect(audit.list(2).map((entry) => entry.seq)).toEqual([5, 4]);
    expect(audit.list(2, 4).map((entry) => entry.seq)).toEqual([3, 2]);
    expect(audit.list(2, 2).map((entry) => entry.seq)).toEqual([1]);
    expect(audit.list(2, 1)).toEqual([]);
    expect(audit.list(10, 2)).toEqual([
      {
        seq: 1,
        at: START + 1000,
        actorStaffId: 'owner',
        action: 'sale.record',
        entity: 'sale',
        entityId: 'sale-1',
        details: '{"totalKobo":1000}',
      },
    ]);
    expect(audit.list(500).length).toBe(5);
  });
});
