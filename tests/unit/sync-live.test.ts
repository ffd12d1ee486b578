/**
 * The background loop and the realtime link running for real (real timers, the real server
 * process on real PostgreSQL): a sale on one counter reaches another through the server's
 * notice while the other's own timer is minutes away, the link comes back after the server
 * restarts, and a 2G-grade link gets small compressed batches that still all arrive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productInputSchema } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import { fileCounter, PIN, type FileCounter } from '../support/file-counter';
import { startLinkProxy } from '../support/link-proxy';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { startSyncServer, type SyncServerProcess } from '../support/sync-server-process';

let cluster: PostgresCluster;
let server: SyncServerProcess;
let scratch = '';
const open: FileCounter[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-sync-live-'));
  cluster = await startPostgres();
  server = await startSyncServer(await createDatabase(cluster.url, 'sync_live'));
}, 120_000);

afterAll(async () => {
  for (const counter of open.splice(0)) counter.close();
  // The cluster stops even when the server never started (or fails to stop).
  try {
    await server.stop();
  } finally {
    await cluster.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
});

function counter(name: string): FileCounter {
  const made = fileCounter(scratch, name);
  open.push(made);
  return made;
}

async function pair(first: FileCounter, others: FileCounter[], serverUrl = server.url): Promise<void> {
  await first.shop.sync.createBusiness({ serverUrl, deviceName: 'First', branchName: 'Main', ownerPin: PIN });
  for (const other of others) {
    const { code } = await first.shop.sync.pairingCode({ ownerPin: PIN });
    await other.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'Other', ownerPin: PIN });
  }
}

function sell(at: FileCounter, productId: string): string {
  return at.shop.sales.record(
    {
      saleId: uuidv7(),
      lines: [{ productId, quantity: 1, discountKobo: 0 }],
      customerId: null,
      payments: [{ method: 'cash', amountKobo: 50_000, reference: '' }],
    },
    at.shop.staff.verifyPin(PIN),
  ).id;
}

const has = (at: FileCounter, saleId: string) =>
  at.db.sqlite.prepare('SELECT 1 FROM sales WHERE id = ?').get(saleId) !== undefined;

describe('the live sync loop', () => {
  it('a sale reaches the other counter by the server’s notice, and again after the server restarts', async () => {
    const a = counter('live-a');
    const b = counter('live-b');
    const rice = a.shop.products.create(
      productInputSchema.parse({ name: 'Rice', priceKobo: 50_000, openingStock: 100 }),
      null,
    );
    await pair(a, [b]);
    // b is on a low battery: its own timer syncs every 5 minutes, so only a notice brings the sale sooner.
    b.power.set({ onBattery: true, batteryPercent: 15 });
    a.shop.sync.start();
    b.shop.sync.start();
    await expect.poll(() => b.shop.sync.status().link.realtime, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => b.shop.products.search('Rice', 5).length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => b.shop.sync.status().nextSyncAt, { timeout: 20_000 }).not.toBeNull();
    const due = b.shop.sync.status().nextSyncAt ?? 0;
    expect(due - Date.now()).toBeGreaterThan(60_000);

    const first = sell(a, rice.id);
    await expect.poll(() => has(b, first), { timeout: 30_000 }).toBe(true);
    expect(Date.now()).toBeLessThan(due);

    await server.kill();
    await expect.poll(() => b.shop.sync.status().link.realtime, { timeout: 20_000 }).toBe(false);
    await server.restart();
    await expect.poll(() => b.shop.sync.status().link.realtime, { timeout: 60_000 }).toBe(true);
    const second = sell(a, rice.id);
    await expect.poll(() => has(b, second), { timeout: 60_000 }).toBe(true);
    expect(b.shop.sync.status()).toMatchObject({ state: 'idle' });
    a.shop.sync.stop();
    b.shop.sync.stop();
  }, 180_000);

  it('a 2G-grade link gets small compressed batches that still all arrive', async () => {
    const target = new URL(server.url);
    const link = await startLinkProxy({ host: target.hostname, port: server.port });
    try {
      const a = counter('slow-a');
      const b = counter('slow-b');
      const rice = a.shop.products.create(
        productInputSchema.parse({ name: 'Rice', priceKobo: 50_000, openingStock: 1_000 }),
        null,
      );
      await pair(a, [b], link.url);
      // On the full-speed loopback the batches grow to their largest.
      for (let n = 0; n < 300; n += 1) sell(a, rice.id);
      await a.shop.sync.engine.run();
      await a.shop.sync.engine.run();
      const fast = a.shop.sync.status().link;
      // About 32 kbit/s each way.
      link.throttle(4_000);
      const sold = Array.from({ length: 300 }, () => sell(a, rice.id));
      const sizes: number[] = [];
      for (let pass = 0; pass < 30 && a.shop.outbox.pending() > 0; pass += 1) {
        await a.shop.sync.engine.run();
        sizes.push(a.shop.sync.status().link.batchSize);
      }
      // Every batch finished within its time limit (a timed-out one would never clear the queue).
      expect(a.shop.outbox.pending()).toBe(0);
      const slow = a.shop.sync.status().link;
      expect(slow.gzip).toBe(true);
      expect(slow.bytesPerSecond).toBeLessThan((fast.bytesPerSecond ?? 0) / 10);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(fast.batchSize / 4);
      await b.shop.sync.engine.run();
      expect(sold.every((id) => has(b, id))).toBe(true);
    } finally {
      await link.close();
    }
  }, 180_000);
});
