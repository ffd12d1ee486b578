/**
 * Sync figures, end to end on loopback: counters on real encrypted files, the real sync server
 * process (`out/server/main.js`) on a real PostgreSQL cluster started for the run.
 *  - sync_push_mut_per_s: a shop of 100,000 records (customers, sales with their lines,
 *    payments, stock moves and points) pairs and pushes all of them;
 *  - sync_pull_mut_per_s: a new counter joins and pulls all of them;
 *  - catch_up_20k_s: a counter that was offline for a busy week (20,000 sales made on another
 *    counter meanwhile) comes back and syncs until it is fully in step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3-multiple-ciphers';
import { formatHlc } from '../../shared/hlc';
import { uuidv7 } from '../../shared/ids';
import { productInputSchema } from '../../shared/contract';
import { fileCounter, PIN, type FileCounter } from '../support/file-counter';
import { createDatabase, startPostgres } from '../support/postgres';
import { startSyncServer } from '../support/sync-server-process';
import { progress, round, type Figures } from './figures';

/** KASUWA_BENCH_SCALE=0.1 runs a tenth of the sizes, to try the benchmark quickly. */
const SCALE = Number(process.env.KASUWA_BENCH_SCALE ?? 1);
const CUSTOMERS = Math.round(30_000 * SCALE);
const SALES = Math.round(70_000 * SCALE);
const WEEK_SALES = Math.round(20_000 * SCALE);

/**
 * Customers and sales written with bulk SQL (the services would take minutes), stamped as
 * the services stamp them, so pairing queues them like any shop's history.
 */
function fillShop(counter: FileCounter, customers: number, sales: number, productIds: string[]): void {
  const sql: Database.Database = counter.db.sqlite;
  const now = Date.now();
  const stamp = JSON.stringify({ '*': formatHlc({ wall: now, counter: 0, node: 'bench' }) });
  const staffId = (sql.prepare("SELECT id FROM staff WHERE role = 'owner'").get() as { id: string }).id;
  const customerIds: string[] = [];
  const insertCustomer = sql.prepare(
    `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
       whatsapp, state, sync_clock, created_at, updated_at)
     VALUES (?, 'Ada', ?, ?, ?, ?, ?, 'MTN', ?, 'Lagos', ?, ?, ?)`,
  );
  const insertStats = sql.prepare('INSERT INTO customer_stats (customer_id) VALUES (?)');
  const insertSale = sql.prepare(
    `INSERT INTO sales (id, receipt_number, device_id, customer_id, staff_id, subtotal_kobo, total_kobo, points_earned, created_at)
     VALUES (?, ?, 'bench', ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = sql.prepare(
    `INSERT INTO sale_lines (id, sale_id, line_no, product_id, name, unit_price_kobo, quantity, total_kobo)
     VALUES (?, ?, ?, ?, 'Bench product', 50000, ?, ?)`,
  );
  const insertPayment = sql.prepare(
    `INSERT INTO sale_payments (id, sale_id, method, amount_kobo, created_at) VALUES (?, ?, 'cash', ?, ?)`,
  );
  const insertMove = sql.prepare(
    `INSERT INTO stock_moves (id, product_id, kind, quantity, sale_id, created_at) VALUES (?, ?, 'sale', ?, ?, ?)`,
  );
  const insertPoints = sql.prepare(
    `INSERT INTO points_ledger (id, customer_id, delta, kind, sale_id, created_at) VALUES (?, ?, ?, 'earn', ?, ?)`,
  );
  const prefix = counter.shop.settings.device().receiptPrefix;
  sql.transaction(() => {
    for (let i = 0; i < customers; i += 1) {
      const id = uuidv7(now);
      const national = `080${String(10_000_000 + i * 7 + Math.floor(Math.random() * 7)).slice(-8)}`;
      const e164 = `+234${national.slice(1)}`;
      insertCustomer.run(
        id,
        `Bench ${i}`,
        `Ada Bench ${i}`,
        `ada bench ${i}`,
        e164,
        national,
        e164,
        stamp,
        now,
        now,
      );
      insertStats.run(id);
      customerIds.push(id);
    }
    for (let i = 0; i < sales; i += 1) {
      const at = now - (sales - i) * 1_000;
      const saleId = uuidv7(at);
      const quantity = 1 + (i % 3);
      const total = 50_000 * quantity;
      const customerId = customers > 0 && i % 10 < 7 ? (customerIds[i % customers] ?? null) : null;
      const productId = productIds[i % productIds.length] ?? '';
      insertSale.run(
        saleId,
        `${prefix}-B${i}`,
        customerId,
        staffId,
        total,
        total,
        customerId === null ? 0 : 5,
        at,
      );
      insertLine.run(uuidv7(at), saleId, 1, productId, quantity, total);
      insertPayment.run(uuidv7(at), saleId, total, at);
      insertMove.run(uuidv7(at), productId, -quantity, saleId, at);
      if (customerId !== null) insertPoints.run(uuidv7(at), customerId, 5, saleId, at);
    }
  })();
}

function stock(counter: FileCounter, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      counter.shop.products.create(
        productInputSchema.parse({ name: `Bench product ${i}`, priceKobo: 50_000, openingStock: 1_000_000 }),
        null,
      ).id,
  );
}

async function syncUntilQuiet(counter: FileCounter): Promise<{ pushed: number; pulled: number }> {
  const total = { pushed: 0, pulled: 0 };
  for (let pass = 0; pass < 20; pass += 1) {
    const report = await counter.shop.sync.engine.run();
    total.pushed += report.pushed;
    total.pulled += report.pulled;
    if (report.pushed === 0 && report.pulled === 0) return total;
  }
  throw new Error('sync did not settle');
}

export async function syncFigures(): Promise<Figures> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-bench-sync-'));
  progress('sync: starting PostgreSQL and the sync server');
  const cluster = await startPostgres({
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
  });
  const server = await startSyncServer(await createDatabase(cluster.url, 'bench_sync'));
  const counters: FileCounter[] = [];
  try {
    const a = fileCounter(scratch, 'bench-a');
    counters.push(a);
    const productIds = stock(a, 50);
    progress(`sync: writing ${CUSTOMERS + SALES} records`);
    fillShop(a, CUSTOMERS, SALES, productIds);
    progress('sync: pairing (queues the whole shop)');
    await a.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'A',
      branchName: 'Main',
      ownerPin: PIN,
    });
    const queued = a.shop.outbox.pending();
    progress(`sync: pushing ${queued} mutations`);
    let started = performance.now();
    const pushed = await syncUntilQuiet(a);
    const pushSeconds = (performance.now() - started) / 1_000;
    if (a.shop.outbox.pending() !== 0) throw new Error('the push left mutations behind');

    const { code } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const b = fileCounter(scratch, 'bench-b');
    counters.push(b);
    await b.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'B', ownerPin: PIN });
    progress('sync: a new counter pulls everything');
    started = performance.now();
    const pulled = await syncUntilQuiet(b);
    const pullSeconds = (performance.now() - started) / 1_000;
    const bSales = (b.db.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
    if (bSales !== SALES) throw new Error(`the new counter has ${bSales} sales, not ${SALES}`);
    await syncUntilQuiet(a);

    // A busy week elsewhere: a third counter sells 20,000 times while B is away.
    const { code: weekCode } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const c = fileCounter(scratch, 'bench-c');
    counters.push(c);
    // Its own products: the shop's arrive only once it is paired, and its sales go out then.
    fillShop(c, 0, WEEK_SALES, stock(c, 5));
    await c.shop.sync.pair({ serverUrl: server.url, code: weekCode, deviceName: 'C', ownerPin: PIN });
    progress(`sync: ${WEEK_SALES} sales made while a counter was offline`);
    await syncUntilQuiet(c);
    // B comes back after its week away: the whole catch-up, from the first request to in step.
    b.close();
    b.reopen();
    started = performance.now();
    await syncUntilQuiet(b);
    const catchUpSeconds = (performance.now() - started) / 1_000;
    const caughtUp = (b.db.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
    if (caughtUp !== SALES + WEEK_SALES) throw new Error(`after catching up B has ${caughtUp} sales`);

    return {
      sync_push_mut_per_s: {
        value: round(pushed.pushed / pushSeconds, 0),
        unit: 'mutations/s',
        better: 'higher',
      },
      sync_pull_mut_per_s: {
        value: round(pulled.pulled / pullSeconds, 0),
        unit: 'mutations/s',
        better: 'higher',
      },
      catch_up_20k_s: { value: round(catchUpSeconds, 2), unit: 's', better: 'lower' },
    };
  } finally {
    for (const counter of counters) counter.close();
    await server.stop();
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
