/**
 * Power cut at the till: a child process records sales and reports each one after its
 * transaction returns; the test SIGKILLs it at random moments, again and again. Afterwards
 * every reported sale is there whole (all its lines and payments), no half-sale exists, the
 * file passes integrity_check and the audit chain verifies.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from './child-bundle';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { customerInputSchema } from '../../shared/contract';

const KILLS = 60;
const PIN = '2580';

interface Recorded {
  lines: number;
  payments: number;
  totalKobo: number;
}

let scratch = '';
let writer = '';
const key = randomBytes(32);
const migrations = loadMigrations(path.resolve('migrations'));

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-power-cut-'));
  writer = path.join(scratch, 'sale-writer.js');
  await bundleChild('tests/fault/sale-writer.ts', writer);
  const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), { key, create: true, migrations });
  const shop = createShopServices(db, Date.now);
  shop.business.setup({
    business: { name: 'Power Cut Stores', state: 'Lagos', phone: '08031234567', address: '', email: '' },
    ownerName: 'Ada Owner',
    pin: PIN,
  });
  for (let i = 0; i < 5; i += 1) {
    shop.products.create(
      {
        name: `Product ${i}`,
        sku: `SKU-${i}`,
        barcode: '',
        priceKobo: 15_000 + i * 2_550,
        costKobo: 10_000,
        category: 'Provisions',
        lowStockThreshold: 0,
        image: null,
        openingStock: 100_000,
      },
      null,
    );
  }
  for (let i = 0; i < 5; i += 1) {
    shop.customers.create(
      customerInputSchema.parse({ firstName: `Customer`, lastName: `${i}`, phone: `0803 555 010${i}` }),
      null,
    );
  }
  db.close();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** One life of the writer; `early` kills it while it may still be opening (WAL recovery, migrations). */
function runAndKill(early: boolean): Promise<Map<string, Recorded>> {
  return new Promise((resolve, reject) => {
    const recorded = new Map<string, Recorded>();
    const child = spawn(process.execPath, [writer], {
      env: {
        ...process.env,
        KASUWA_FAULT_DB: path.join(scratch, 'kasuwa.db'),
        KASUWA_FAULT_KEY: key.toString('hex'),
        KASUWA_FAULT_PIN: PIN,
        KASUWA_FAULT_MIGRATIONS: path.resolve('migrations'),
        NODE_PATH: path.resolve('node_modules'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined = early
      ? setTimeout(() => child.kill('SIGKILL'), randomInt(0, 150))
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'READY' && !early) {
          // Kill somewhere in the next few dozen sales, mid-transaction as often as not.
          timer = setTimeout(() => child.kill('SIGKILL'), randomInt(5, 250));
          continue;
        }
        const [word, id, lineCount, paymentCount, total] = line.split(' ');
        if (word === 'RECORDED' && id !== undefined) {
          recorded.set(id, {
            lines: Number(lineCount),
            payments: Number(paymentCount),
            totalKobo: Number(total),
          });
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL')
        reject(new Error(`sale writer stopped by itself (${String(code)}): ${stderr}`));
      else resolve(recorded);
    });
  });
}

describe('power cut while recording sales', () => {
  it(`loses no recorded sale and leaves no half-sale across ${KILLS} kills`, async () => {
    const promised = new Map<string, Recorded>();
    for (let round = 0; round < KILLS; round += 1) {
      for (const [id, sale] of await runAndKill(round % 5 === 4)) promised.set(id, sale);
    }
    expect(promised.size).toBeGreaterThan(KILLS / 2);

    const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), { key, create: false, migrations });
    try {
      expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const lines = db.sqlite.prepare('SELECT count(*) AS n FROM sale_lines WHERE sale_id = ?');
      const payments = db.sqlite.prepare(
        'SELECT count(*) AS n, coalesce(sum(amount_kobo), 0) AS paid FROM sale_payments WHERE sale_id = ?',
      );
      const sale = db.sqlite.prepare('SELECT total_kobo AS total FROM sales WHERE id = ?');
      for (const [id, expected] of promised) {
        const row = sale.get(id) as { total: number } | undefined;
        expect(row, `sale ${id} was reported recorded but is missing`).toBeDefined();
        expect(row?.total).toBe(expected.totalKobo);
        expect((lines.get(id) as { n: number }).n).toBe(expected.lines);
        const paid = payments.get(id) as { n: number; paid: number };
        expect(paid.n).toBe(expected.payments);
        expect(paid.paid).toBe(expected.totalKobo);
      }
      const halfSales = db.sqlite
        .prepare(
          `SELECT count(*) AS n FROM sales s
           WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)
              OR NOT EXISTS (SELECT 1 FROM sale_payments p WHERE p.sale_id = s.id)
              OR s.total_kobo != (SELECT sum(amount_kobo) FROM sale_payments p WHERE p.sale_id = s.id)`,
        )
        .get() as { n: number };
      expect(halfSales.n).toBe(0);
      const outboxGaps = db.sqlite
        .prepare(
          `SELECT count(*) AS n FROM sales s
           WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'sale' AND o.entity_id = s.id)`,
        )
        .get() as { n: number };
      expect(outboxGaps.n).toBe(0);
      const shop = createShopServices(db, Date.now);
      expect(shop.audit.verify().intact).toBe(true);
    } finally {
      db.close();
    }
  });
});
