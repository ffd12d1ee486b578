/**
 * Sync under faults, against the real server process on real PostgreSQL: a counter killed
 * (SIGKILL) again and again mid-push and mid-pull, the server killed mid-apply, the same batch
 * delivered twice and out of order, the link cut for a long stretch and cut mid-request, and a
 * counter restarted with its clock a day fast. Afterwards nothing is lost and nothing doubled:
 * every sale is on the server once and every counter holds the same shop.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from './child-bundle';
import type { ShopServices } from '../../main/services/app/runtime';
import { pushBody } from '../../main/services/sync/sync-engine';
import { HttpSyncTransport } from '../../main/services/sync/sync-transport';
import { parseHlc, MAX_DRIFT_MS } from '../../shared/hlc';
import { uuidv7 } from '../../shared/ids';
import { customerInputSchema, productInputSchema } from '../../shared/contract';
import type { Replica } from '../../shared/sync/merge';
import { fileCounter, PIN, type FileCounter } from '../support/file-counter';
import { startLinkProxy } from '../support/link-proxy';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { shopState } from '../support/shop-state';
import { startSyncServer, type SyncServerProcess } from '../support/sync-server-process';

const DAY = 86_400_000;

let cluster: PostgresCluster;
let databaseUrl = '';
let server: SyncServerProcess;
let scratch = '';
let child = '';

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-sync-faults-'));
  child = path.join(scratch, 'sync-counter.js');
  await bundleChild('tests/fault/sync-counter.ts', child);
  cluster = await startPostgres();
  databaseUrl = await createDatabase(cluster.url, 'sync_faults');
  server = await startSyncServer(databaseUrl);
}, 120_000);

afterAll(async () => {
  // The cluster stops even when the server never started (or fails to stop).
  try {
    await server.stop();
  } finally {
    await cluster.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
});

function stock(counter: FileCounter, products: number): string[] {
  return Array.from(
    { length: products },
    (_, i) =>
      counter.shop.products.create(
        productInputSchema.parse({
          name: `Product ${i}`,
          priceKobo: 15_000 + i * 2_550,
          openingStock: 1_000_000,
        }),
        null,
      ).id,
  );
}

function sellMany(counter: FileCounter, productIds: string[], count: number): string[] {
  const cashier = counter.shop.staff.verifyPin(PIN);
  const customers = Array.from({ length: 5 }, (_, i) =>
    counter.shop.customers.create(
      customerInputSchema.parse({
        firstName: 'Customer',
        lastName: `${i}`,
        phone: `0803 ${randomInt(100, 999)} ${1000 + i}`,
      }),
      null,
    ),
  );
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const productId = productIds[n % productIds.length] ?? '';
    const price = counter.shop.products.get(productId).priceKobo;
    const quantity = 1 + (n % 3);
    ids.push(
      counter.shop.sales.record(
        {
          saleId: uuidv7(),
          lines: [{ productId, quantity, discountKobo: 0 }],
          customerId: customers[n % customers.length]?.id ?? null,
          payments: [
            { method: n % 2 === 0 ? 'cash' : 'transfer', amountKobo: price * quantity, reference: '' },
          ],
        },
        cashier,
      ).id,
    );
  }
  return ids;
}

/** One life of the child counter: killed `killAfterMs` after it is open, or left to finish. */
function runChild(counter: FileCounter, killAfterMs: number | null): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child], {
      env: {
        ...process.env,
        KASUWA_FAULT_DB: counter.file,
        KASUWA_FAULT_KEY: counter.key.toString('hex'),
        KASUWA_FAULT_MIGRATIONS: path.resolve('migrations'),
        NODE_PATH: path.resolve('node_modules'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAfterMs !== null && timer === undefined && out.includes('READY\n')) {
        timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(out.includes('DONE') ? 'done' : 'killed');
      else if (code === 0 && out.includes('DONE')) resolve('done');
      else reject(new Error(`the counter process failed (${String(code)}): ${err}`));
    });
  });
}

async function serverCounts(businessId: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sales = await client.query<{ n: string; ids: string }>(
      `SELECT count(*) AS n, count(DISTINCT entity_id) AS ids FROM changes
       WHERE business_id = $1 AND entity = 'sale'`,
      [businessId],
    );
    const facts = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM sale_facts WHERE business_id = $1',
      [businessId],
    );
    return {
      saleChanges: Number(sales.rows[0]?.n),
      distinctSales: Number(sales.rows[0]?.ids),
      saleFacts: Number(facts.rows[0]?.n),
    };
  } finally {
    await client.end();
  }
}

function businessIdOf(shop: ShopServices): string {
  const row = shop.db.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'pairing'").get() as {
    value: string;
  };
  return (JSON.parse(row.value) as { businessId: string }).businessId;
}

async function syncToQuiet(shops: ShopServices[]): Promise<void> {
  for (let round = 0; round < 8; round += 1) {
    let moved = 0;
    for (const shop of shops) {
      const report = await shop.sync.engine.run();
      moved += report.pushed + report.pulled;
    }
    if (moved === 0) return;
  }
  throw new Error('sync did not settle');
}

describe('sync under faults', () => {
  it('a counter killed again and again mid-push, and a new one killed mid-pull, lose and double nothing', async () => {
    const a = fileCounter(scratch, 'killed-pusher');
    const products = stock(a, 5);
    const sold = sellMany(a, products, 3_000);
    await a.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'A',
      branchName: 'Yaba',
      ownerPin: PIN,
    });
    const { code } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const businessId = businessIdOf(a.shop);
    const queued = a.shop.outbox.pending();
    a.close();

    // Short lives: a quick machine pushes a few thousand sales in well under a second.
    let kills = 0;
    for (let life = 0; life < 12; life += 1) {
      if ((await runChild(a, randomInt(10, 150))) === 'killed') kills += 1;
    }
    expect(await runChild(a, null)).toBe('done');
    expect(kills).toBeGreaterThan(3);

    a.reopen();
    expect(a.shop.outbox.pending()).toBe(0);
    expect(a.shop.outbox.rejected()).toBe(0);
    expect(await serverCounts(businessId)).toEqual({
      saleChanges: sold.length,
      distinctSales: sold.length,
      saleFacts: sold.length,
    });
    const settled = a.db.sqlite
      .prepare("SELECT count(*) AS n FROM outbox WHERE status = 'applied'")
      .get() as {
      n: number;
    };
    expect(settled.n).toBeGreaterThanOrEqual(queued);

    const b = fileCounter(scratch, 'killed-puller');
    await b.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'B', ownerPin: PIN });
    b.close();
    for (let life = 0; life < 8; life += 1) await runChild(b, randomInt(20, 400));
    expect(await runChild(b, null)).toBe('done');
    b.reopen();
    await syncToQuiet([a.shop, b.shop]);
    expect(shopState(b.db.sqlite)).toEqual(shopState(a.db.sqlite));
    expect((b.db.sqlite.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(
      sold.length,
    );
    a.close();
    b.close();
  });

  it('the server killed mid-apply, again and again: every sale lands once', async () => {
    const a = fileCounter(scratch, 'server-killed');
    const sold = sellMany(a, stock(a, 3), 4_000);
    await a.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'A',
      branchName: 'Ikeja',
      ownerPin: PIN,
    });
    const businessId = businessIdOf(a.shop);
    let failures = 0;
    for (let kill = 0; kill < 6 && a.shop.outbox.pending() > 0; kill += 1) {
      const pass = a.shop.sync.engine.run().catch(() => {
        failures += 1;
      });
      // Soon after the pass starts: a quick machine pushes a few thousand sales in well under a second.
      await new Promise((resolve) => setTimeout(resolve, randomInt(10, 120)));
      await server.kill();
      await pass;
      await server.restart();
    }
    await syncToQuiet([a.shop]);
    expect(failures).toBeGreaterThan(0);
    expect(a.shop.outbox.pending()).toBe(0);
    expect(await serverCounts(businessId)).toEqual({
      saleChanges: sold.length,
      distinctSales: sold.length,
      saleFacts: sold.length,
    });
    a.close();
  });

  it('the same batch twice and out of order changes nothing the second time', async () => {
    const a = fileCounter(scratch, 'repeats');
    const sold = sellMany(a, stock(a, 2), 300);
    await a.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'A',
      branchName: 'Lekki',
      ownerPin: PIN,
    });
    const { code } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const businessId = businessIdOf(a.shop);
    const pairing = JSON.parse(
      (a.db.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'pairing'").get() as { value: string })
        .value,
    ) as { token: string };
    const transport = new HttpSyncTransport();
    const batch = a.shop.sync.engine.outgoing(a.shop.outbox.nextBatch(10_000));
    const first = await transport.push(server.url, pairing.token, pushBody(Date.now(), batch), true);
    expect(first.response.results.every((r) => r.status === 'applied' && r.duplicate !== true)).toBe(true);
    const again = await transport.push(server.url, pairing.token, pushBody(Date.now(), batch), false);
    expect(again.response.results.every((r) => r.status === 'applied' && r.duplicate === true)).toBe(true);
    const shuffled = [...batch].reverse().filter((_, i) => i % 2 === 0);
    const reordered = await transport.push(server.url, pairing.token, pushBody(Date.now(), shuffled), true);
    expect(reordered.response.results.map((r) => r.status === 'applied' && r.duplicate)).not.toContain(false);
    expect(await serverCounts(businessId)).toEqual({
      saleChanges: sold.length,
      distinctSales: sold.length,
      saleFacts: sold.length,
    });
    // The counter itself, sending the same again, settles its outbox from the repeat answers.
    await a.shop.sync.engine.run();
    expect(a.shop.outbox.pending()).toBe(0);

    // A pulled page delivered twice, and pages in the wrong order, merge to the same shop.
    const b = fileCounter(scratch, 'pages');
    await b.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'B', ownerPin: PIN });
    const bPairing = JSON.parse(
      (b.db.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'pairing'").get() as { value: string })
        .value,
    ) as { token: string };
    const page1 = await transport.pull(server.url, bPairing.token, 0, 200);
    const page2 = await transport.pull(server.url, bPairing.token, page1.response.cursor, 5_000);
    const take = (changes: typeof page1.response.changes) =>
      b.db.sqlite.transaction(() => changes.map((change) => b.shop.sync.applier.apply(change)))();
    take(page2.response.changes);
    take(page1.response.changes);
    take(page2.response.changes);
    take(page1.response.changes);
    await syncToQuiet([a.shop, b.shop]);
    expect(shopState(b.db.sqlite)).toEqual(shopState(a.db.sqlite));
    a.close();
    b.close();
  });

  it('the link cut for a long stretch, and cut mid-request: everything sold meanwhile arrives once', async () => {
    const target = new URL(server.url);
    const link = await startLinkProxy({ host: target.hostname, port: Number(target.port) });
    const a = fileCounter(scratch, 'cut-a');
    const products = stock(a, 3);
    await a.shop.sync.createBusiness({
      serverUrl: link.url,
      deviceName: 'A',
      branchName: 'Aba',
      ownerPin: PIN,
    });
    const { code } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const b = fileCounter(scratch, 'cut-b');
    await b.shop.sync.pair({ serverUrl: link.url, code, deviceName: 'B', ownerPin: PIN });
    await syncToQuiet([a.shop, b.shop]);

    link.cut();
    const soldA = sellMany(a, products, 400);
    let failed = 0;
    // A day of trying: every attempt fails, nothing is marked sent, nothing is lost.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await Promise.all(
        [a, b].map((counter) =>
          counter.shop.sync.engine.run().catch(() => {
            failed += 1;
          }),
        ),
      );
    }
    const soldB = sellMany(b, products, 300);
    expect(failed).toBe(20);
    expect(a.shop.outbox.pending()).toBeGreaterThan(400);
    expect(a.shop.sync.status().lastError).toMatch(/could not reach the sync server/);

    // The link comes back, but drops every connection a few kilobytes in for a while.
    link.restore();
    link.dropAfterBytes(8_000);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await Promise.all([a, b].map((counter) => counter.shop.sync.engine.run().catch(() => undefined)));
    }
    link.dropAfterBytes(null);
    await syncToQuiet([a.shop, b.shop]);
    expect(link.drops).toBeGreaterThan(0);
    expect(await serverCounts(businessIdOf(a.shop))).toEqual({
      saleChanges: soldA.length + soldB.length,
      distinctSales: soldA.length + soldB.length,
      saleFacts: soldA.length + soldB.length,
    });
    expect(shopState(a.db.sqlite)).toEqual(shopState(b.db.sqlite));
    expect(a.shop.sync.status()).toMatchObject({ state: 'idle', pending: 0, lastError: null });
    await link.close();
    a.close();
    b.close();
  });

  it('a counter restarted with its clock a day fast is held to the server’s time', async () => {
    const a = fileCounter(scratch, 'skew-honest');
    const ada = a.shop.customers.create(
      customerInputSchema.parse({ firstName: 'Ada', phone: '0802 333 4444' }),
      null,
    );
    await a.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'A',
      branchName: 'Jos',
      ownerPin: PIN,
    });
    const { code } = await a.shop.sync.pairingCode({ ownerPin: PIN });
    const b = fileCounter(scratch, 'skew-fast');
    await b.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'B', ownerPin: PIN });
    await syncToQuiet([a.shop, b.shop]);

    // b restarts (its time anchor is gone) with the date a day ahead, and edits before syncing.
    b.close();
    b.clock.offset = DAY;
    b.reopen();
    const current = b.shop.customers.get(ada.id);
    b.shop.customers.update(
      {
        ...customerInputSchema.parse({
          firstName: current.firstName,
          phone: current.phone,
          email: 'fast@example.ng',
        }),
        id: ada.id,
      },
      null,
    );
    const sentAt = Date.now();
    await syncToQuiet([b.shop, a.shop]);
    const stamp = (shop: ShopServices) => {
      const row = shop.db.sqlite.prepare('SELECT sync_clock FROM customers WHERE id = ?').get(ada.id) as {
        sync_clock: string;
      };
      const clock = JSON.parse(row.sync_clock) as Record<string, string>;
      return parseHlc(clock.email ?? clock['*'] ?? '').wall;
    };
    // The edit counts from at most the allowed drift past the server's time, not a day ahead,
    // and both counters judge it by that same clamped stamp.
    expect(stamp(b.shop)).toBeLessThanOrEqual(Date.now() + MAX_DRIFT_MS);
    expect(stamp(b.shop)).toBeGreaterThanOrEqual(sentAt - 60_000);
    expect(stamp(a.shop)).toBe(stamp(b.shop));
    expect(a.shop.customers.get(ada.id).email).toBe('fast@example.ng');
    // Having heard from the server, b stamps its next edit in the server's time, not a day ahead.
    const next = b.db.sqlite.transaction(() => {
      b.shop.customers.update(
        {
          ...customerInputSchema.parse({
            firstName: 'Ada',
            phone: current.phone,
            email: 'fast@example.ng',
            state: 'Plateau',
          }),
          id: ada.id,
        },
        null,
      );
      const row = b.shop.sync.engine
        .outgoing(b.shop.outbox.nextBatch(10))
        .find((m) => m.entity === 'customer');
      return (JSON.parse(row?.payload ?? '{}') as Replica).fields.state?.hlc ?? '';
    })();
    expect(parseHlc(next).wall).toBeLessThan(Date.now() + MAX_DRIFT_MS + 1_000);
    a.close();
    b.close();
  });
});
