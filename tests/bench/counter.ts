/**
 * Counter figures on the 1M customers / 1M sales shop: customer search in the service and
 * through the browser host, recording a sale (lines, payments, stock, points, audit, outbox,
 * synchronous=FULL), a 100k-row CSV import, the end-of-day and month reports, and memory.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { uuidv7 } from '../../shared/ids';
import { lagosDay, lagosDayRange } from '../../shared/lagos-time';
import {
  BENCH_PASSPHRASE,
  CUSTOMERS,
  OWNER_PIN,
  benchFirstNames,
  benchPhone,
  openBenchShop,
} from './counter-data';
import { percentile, progress, round, type Figures } from './figures';
import { startHostClient } from './host-client';

/** Queries a cashier types: phone fragments in several written forms, and name prefixes. */
function searchQueries(count: number): string[] {
  const names = benchFirstNames();
  const queries: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const phone = benchPhone((i * 104_729) % CUSTOMERS);
    switch (i % 5) {
      case 0:
        queries.push(phone.slice(0, 4) + ' ' + phone.slice(4, 7));
        break;
      case 1:
        queries.push(`+234 ${phone.slice(1, 4)} ${phone.slice(4, 8)}`);
        break;
      case 2:
        queries.push(phone.slice(5, 10));
        break;
      case 3:
        queries.push((names[i % names.length] ?? 'Ada').slice(0, 2 + (i % 3)));
        break;
      default:
        queries.push((names[(i * 7) % names.length] ?? 'Emeka').toLowerCase());
    }
  }
  return queries;
}

async function hostSearch(dataDir: string, queries: string[]): Promise<number[]> {
  const host = await startHostClient({ KASUWA_DATA_DIR: dataDir, KASUWA_KEYCHAIN: 'off' });
  try {
    const unlocked = await host.call('app:unlock', { passphrase: BENCH_PASSPHRASE });
    if (!unlocked.ok) throw new Error('the browser host did not unlock the bench database');
    const samples: number[] = [];
    for (const [i, query] of queries.entries()) {
      const started = performance.now();
      const answer = await host.call('customers:search', { query, limit: 50 });
      if (!answer.ok) throw new Error(`search failed through the host: ${JSON.stringify(answer)}`);
      if (i >= 20) samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    host.stop();
  }
}

function csvOf100k(): string {
  const rows = ['First Name,Last Name,Phone,State,Email,Tags'];
  for (let i = 0; i < 100_000; i += 1) {
    rows.push(`Import${i},Customer,${benchPhone(CUSTOMERS + i)},Lagos,import${i}@example.com,imported`);
  }
  return `${rows.join('\r\n')}\r\n`;
}

/**
 * Reads the database file once so the OS holds it in memory, as it does on a counter PC that
 * has been selling all day (this machine's memory manager evicts files idle for a while).
 */
function warmFileCache(file: string): void {
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  const fd = openSync(file, 'r');
  try {
    while (readSync(fd, chunk, 0, chunk.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

export async function counterFigures(): Promise<Figures> {
  const now = Date.now();
  const bench = await openBenchShop(now);
  warmFileCache(path.join(bench.dataDir, 'kasuwa.db'));
  const shop = createShopServices(bench.db, Date.now);

  progress('customer search in the service');
  const queries = searchQueries(600);
  // One untimed pass first: the figure is a shop in use, not the first minute after a reboot.
  for (const query of queries)
    shop.customers.search({ query: query.slice(0, -1), limit: 50, includeArchived: false });
  const serviceSamples: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    shop.customers.search({ query, limit: 50, includeArchived: false });
    serviceSamples.push(performance.now() - started);
  }

  progress('paging through the customer list');
  const listSamples: number[] = [];
  for (let i = 0; i < 60; i += 1) {
    const sort = (['name', 'spend', 'lastPurchase', 'points'] as const)[i % 4] ?? 'name';
    const started = performance.now();
    shop.customers.list({
      sort,
      direction: i % 2 === 0 ? 'desc' : 'asc',
      includeArchived: false,
      offset: (i * 15_013) % 999_900,
      limit: 100,
    });
    listSamples.push(performance.now() - started);
  }

  progress('recording sales');
  const cashier = shop.till.signIn(OWNER_PIN);
  const saleSamples: number[] = [];
  for (let i = 0; i < 400; i += 1) {
    const productId = bench.productIds[i % bench.productIds.length] ?? '';
    const price = shop.products.get(productId).priceKobo;
    const customerId = bench.customerIds((i * 7_919) % CUSTOMERS);
    const started = performance.now();
    shop.sales.record(
      {
        saleId: uuidv7(),
        lines: [{ productId, quantity: 2, discountKobo: 0 }],
        customerId,
        payments: [
          { method: 'cash', amountKobo: price, tenderedKobo: price, reference: '' },
          { method: 'transfer', amountKobo: price, reference: 'TRF' },
        ],
      },
      cashier,
    );
    if (i >= 20) saleSamples.push(performance.now() - started);
  }

  progress('end-of-day and month reports');
  const lastSaleAt = (
    bench.db.sqlite
      .prepare('SELECT max(created_at) AS at FROM sales WHERE device_id = ?')
      .get('bench-device') as { at: number }
  ).at;
  const busyDay = lagosDay(lastSaleAt - 86_400_000);
  const eodSamples: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const started = performance.now();
    shop.reports.endOfDay(busyDay);
    eodSamples.push(performance.now() - started);
  }
  const monthTo = lagosDayRange(busyDay).to;
  const monthFrom = monthTo - 30 * 86_400_000;
  const monthSamples: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    shop.reports.salesByPeriod(monthFrom, monthTo, 'day');
    shop.reports.byMethod(monthFrom, monthTo);
    shop.reports.byCashier(monthFrom, monthTo);
    monthSamples.push(performance.now() - started);
  }
  bench.db.close();

  progress('customer search through the browser host');
  warmFileCache(path.join(bench.dataDir, 'kasuwa.db'));
  const hostSamples = await hostSearch(bench.dataDir, queries.slice(0, 400));

  progress('importing 100,000 customers from CSV');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-bench-csv-'));
  let importSeconds: number;
  try {
    const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), {
      key: Buffer.alloc(32, 9),
      create: true,
      migrations: loadMigrations(path.resolve('migrations')),
    });
    const fresh = createShopServices(db, Date.now);
    const csv = csvOf100k();
    const started = performance.now();
    const report = await fresh.customerCsv.import(
      {
        csv,
        hasHeader: true,
        taskId: 'bench',
        mapping: { firstName: 0, lastName: 1, phone: 2, state: 3, email: 4, tags: 5 },
      },
      null,
      () => undefined,
    );
    importSeconds = (performance.now() - started) / 1000;
    if (report.imported !== 100_000) {
      throw new Error(
        `CSV import kept ${report.imported} of 100,000 rows: ${JSON.stringify(report.rejected.slice(0, 3))}`,
      );
    }
    db.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  global.gc?.();
  const rssMb = process.memoryUsage().rss / (1024 * 1024);
  const ms = (value: number) => round(value, 3);
  return {
    customer_search_p50_ms: { value: ms(percentile(serviceSamples, 50)), unit: 'ms', better: 'lower' },
    customer_search_p95_ms: {
      value: ms(percentile(serviceSamples, 95)),
      unit: 'ms',
      better: 'lower',
      target: 10,
    },
    customer_search_host_p50_ms: { value: ms(percentile(hostSamples, 50)), unit: 'ms', better: 'lower' },
    customer_search_host_p95_ms: {
      value: ms(percentile(hostSamples, 95)),
      unit: 'ms',
      better: 'lower',
      target: 25,
    },
    customer_list_page_p95_ms: { value: ms(percentile(listSamples, 95)), unit: 'ms', better: 'lower' },
    sale_record_p50_ms: { value: ms(percentile(saleSamples, 50)), unit: 'ms', better: 'lower' },
    sale_record_p95_ms: { value: ms(percentile(saleSamples, 95)), unit: 'ms', better: 'lower', target: 20 },
    csv_import_100k_s: { value: round(importSeconds), unit: 's', better: 'lower', target: 15 },
    report_eod_ms: { value: ms(percentile(eodSamples, 50)), unit: 'ms', better: 'lower', target: 500 },
    report_month_ms: { value: ms(percentile(monthSamples, 50)), unit: 'ms', better: 'lower', target: 500 },
    main_rss_mb: { value: round(rssMb, 1), unit: 'MB', better: 'lower', target: 300 },
  };
}
