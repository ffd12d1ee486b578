/**
 * The sync property: whatever N counters do (customers, edits, notes, consents, products,
 * sales, refunds, stock counts), whatever the network does to them (links cut, requests cut
 * halfway, the server killed) and however often they restart or get their clocks wrong, once
 * the links are back and everyone has synced, every counter and the server hold the same shop.
 * The server's copy is checked by pairing a fresh counter at the end and comparing it too.
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerInputSchema, productInputSchema } from '../../shared/contract';
import { KasuwaError } from '../../shared/errors';
import { uuidv7 } from '../../shared/ids';
import { editCustomer } from '../support/edit-customer';
import { fileCounter, PIN, type FileCounter } from '../support/file-counter';
import { startLinkProxy, type LinkProxy } from '../support/link-proxy';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { shopState } from '../support/shop-state';
import { startSyncServer, type SyncServerProcess } from '../support/sync-server-process';

const DAY = 86_400_000;
const RUNS = Number(process.env.KASUWA_PROPERTY_RUNS ?? 10);

let cluster: PostgresCluster;
let server: SyncServerProcess;
let scratch = '';
let runNo = 0;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-sync-property-'));
  cluster = await startPostgres();
  server = await startSyncServer(await createDatabase(cluster.url, 'sync_property'));
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

type Op =
  | { kind: 'customer'; at: number; slot: number; name: string }
  | {
      kind: 'edit';
      at: number;
      pick: number;
      field: 'email' | 'state' | 'address' | 'firstName' | 'tags';
      value: number;
    }
  | { kind: 'note'; at: number; pick: number; text: string }
  | { kind: 'consent'; at: number; pick: number; channel: 'sms' | 'whatsapp' | 'email'; granted: boolean }
  | { kind: 'product'; at: number; name: string }
  | { kind: 'sell'; at: number; product: number; quantity: number; customer: number | null }
  | { kind: 'refund'; at: number; sale: number }
  | { kind: 'count'; at: number; product: number; delta: number }
  | { kind: 'sync'; at: number }
  | { kind: 'cut'; at: number }
  | { kind: 'restore'; at: number }
  | { kind: 'halfway'; at: number; bytes: number }
  | { kind: 'restart'; at: number }
  | { kind: 'skew'; at: number; days: -1 | 0 | 1 }
  | { kind: 'server-crash' };

const at = fc.nat(2);
const pick = fc.nat(50);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('customer'),
      at,
      slot: fc.nat(9),
      name: fc.constantFrom('Ada', 'Bola', 'Chidi', 'Dayo'),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('edit'),
      at,
      pick,
      field: fc.constantFrom('email', 'state', 'address', 'firstName', 'tags'),
      value: fc.nat(3),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('note'),
      at,
      pick,
      text: fc.constantFrom('Likes Peak', 'Pays by transfer', 'Owes ₦2,000'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('consent'),
      at,
      pick,
      channel: fc.constantFrom('sms', 'whatsapp', 'email'),
      granted: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('product'),
      at,
      name: fc.constantFrom('Rice', 'Beans', 'Garri', 'Milo'),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sell'),
      at,
      product: pick,
      quantity: fc.integer({ min: 1, max: 3 }),
      customer: fc.option(pick, { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund'), at, sale: pick }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('count'),
      at,
      product: pick,
      delta: fc.integer({ min: -5, max: 20 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync'), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut'), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore'), at }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('halfway'), at, bytes: fc.integer({ min: 300, max: 6_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart'), at }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('skew'),
      at,
      days: fc.constantFrom(-1 as const, 0 as const, 1 as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'server-crash' as const }) },
);

interface Node {
  counter: FileCounter;
  link: LinkProxy;
}

function nth(counter: FileCounter, query: string, index: number): string | null {
  const ids = counter.db.sqlite.prepare(query).pluck().all() as string[];
  return ids.length === 0 ? null : (ids[index % ids.length] ?? null);
}

const customerIds = "SELECT id FROM customers WHERE merged_into_id IS NULL AND phone <> '' ORDER BY id";
const productIds = 'SELECT id FROM products ORDER BY id';

/** Runs one operation; refusals a cashier would see (a taken number, nothing left to refund) are fine. */
async function run(nodes: Node[], step: Op): Promise<void> {
  if (step.kind === 'server-crash') {
    await server.kill();
    await server.restart();
    return;
  }
  const node = nodes[step.at % nodes.length];
  if (node === undefined) return;
  const { counter, link } = node;
  const shop = counter.shop;
  try {
    switch (step.kind) {
      case 'customer':
        shop.customers.create(
          customerInputSchema.parse({
            firstName: step.name,
            phone: `0803 555 00${step.slot}0`,
            consent: { sms: true },
          }),
          null,
        );
        return;
      case 'edit': {
        const id = nth(counter, customerIds, step.pick);
        if (id === null) return;
        const values = {
          email: ['a@shop.ng', 'b@shop.ng', '', 'c@shop.ng'],
          state: ['Lagos', 'Oyo', 'Kano', 'Enugu'],
          address: ['Yaba', 'Ikeja', 'Aba', ''],
          firstName: ['Ngozi', 'Musa', 'Tunde', 'Amaka'],
          tags: ['vip', 'wholesale', 'staff', 'new'],
        }[step.field];
        const value = values[step.value % values.length] ?? '';
        editCustomer(shop, id, { [step.field]: step.field === 'tags' ? [value] : value });
        return;
      }
      case 'note': {
        const id = nth(counter, customerIds, step.pick);
        if (id === null) return;
        const notes = shop.customers.get(id).notes;
        editCustomer(shop, id, {
          notes: [notes, `${step.text} (${randomInt(1_000)})`].filter((n) => n !== '').join('\n\n'),
        });
        return;
      }
      case 'consent': {
        const id = nth(counter, customerIds, step.pick);
        if (id === null) return;
        shop.customers.setConsent(
          { customerId: id, channel: step.channel, granted: step.granted, source: 'counter', wording: '' },
          null,
        );
        return;
      }
      case 'product':
        shop.products.create(
          productInputSchema.parse({
            name: `${step.name} ${randomInt(10_000)}`,
            priceKobo: 50_000,
            openingStock: 500,
          }),
          null,
        );
        return;
      case 'sell': {
        const productId = nth(counter, productIds, step.product);
        if (productId === null) return;
        const customerId = step.customer === null ? null : nth(counter, customerIds, step.customer);
        const price = shop.products.get(productId).priceKobo;
        shop.sales.record(
          {
            saleId: uuidv7(),
            lines: [{ productId, quantity: step.quantity, discountKobo: 0 }],
            customerId,
            payments: [{ method: 'cash', amountKobo: price * step.quantity, reference: '' }],
          },
          shop.staff.verifyPin(PIN),
        );
        return;
      }
      case 'refund': {
        const saleId = nth(counter, 'SELECT id FROM sales ORDER BY id', step.sale);
        if (saleId === null) return;
        const line = shop.sales.get(saleId).lines[0];
        if (line === undefined) return;
        shop.sales.refund(
          {
            saleId,
            kind: 'refund',
            lines: [{ saleLineId: line.id, quantity: 1 }],
            method: 'cash',
            reason: 'Returned',
            approverPin: PIN,
          },
          shop.staff.verifyPin(PIN),
        );
        return;
      }
      case 'count': {
        const productId = nth(counter, productIds, step.product);
        if (productId === null || step.delta === 0) return;
        shop.products.adjustStock(
          { productId, kind: 'adjustment', quantity: step.delta, note: 'Count' },
          null,
        );
        return;
      }
      case 'sync':
        await shop.sync.engine.run().catch(() => undefined);
        return;
      case 'cut':
        link.cut();
        return;
      case 'restore':
        link.restore();
        link.dropAfterBytes(null);
        return;
      case 'halfway':
        link.dropAfterBytes(step.bytes);
        return;
      case 'restart':
        counter.close();
        counter.reopen();
        return;
      case 'skew':
        counter.clock.offset = step.days * DAY;
        return;
    }
  } catch (error) {
    if (!(error instanceof KasuwaError)) throw error;
  }
}

async function settle(nodes: Node[]): Promise<void> {
  for (const { link } of nodes) {
    link.restore();
    link.dropAfterBytes(null);
  }
  for (let round = 0; round < 8; round += 1) {
    let moved = 0;
    for (const { counter } of nodes) {
      const report = await counter.shop.sync.engine.run();
      moved += report.pushed + report.pulled;
    }
    if (moved === 0) return;
  }
  throw new Error('the counters did not settle in 8 rounds');
}

describe('sync property', () => {
  it(`N counters, random work, random faults and restarts: all end with the same shop (${RUNS} runs)`, async () => {
    const target = new URL(server.url);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(op, { minLength: 10, maxLength: 45 }),
        async (count, steps) => {
          runNo += 1;
          const nodes: Node[] = [];
          try {
            for (let n = 0; n < count; n += 1) {
              const link = await startLinkProxy({ host: target.hostname, port: server.port });
              nodes.push({ counter: fileCounter(scratch, `run${runNo}-c${n}`), link });
            }
            const [first, ...rest] = nodes;
            if (first === undefined) throw new Error('no counters');
            await first.counter.shop.sync.createBusiness({
              serverUrl: first.link.url,
              deviceName: 'Counter 1',
              branchName: 'Main',
              ownerPin: PIN,
            });
            for (const [i, node] of rest.entries()) {
              const { code } = await first.counter.shop.sync.pairingCode({ ownerPin: PIN });
              await node.counter.shop.sync.pair({
                serverUrl: node.link.url,
                code,
                deviceName: `Counter ${i + 2}`,
                ownerPin: PIN,
              });
            }
            for (const step of steps) await run(nodes, step);
            await settle(nodes);

            const expected = shopState(first.counter.db.sqlite);
            for (const { counter } of rest) expect(shopState(counter.db.sqlite)).toEqual(expected);
            for (const { counter } of nodes) expect(counter.shop.outbox.pending()).toBe(0);

            // The server's copy: a counter that joins now is given exactly the same shop.
            const { code } = await first.counter.shop.sync.pairingCode({ ownerPin: PIN });
            const fresh = fileCounter(scratch, `run${runNo}-fresh`);
            await fresh.shop.sync.pair({ serverUrl: server.url, code, deviceName: 'Fresh', ownerPin: PIN });
            await settle([...nodes, { counter: fresh, link: first.link }]);
            const after = shopState(first.counter.db.sqlite);
            expect(shopState(fresh.db.sqlite)).toEqual(after);
            fresh.close();
          } finally {
            for (const { counter, link } of nodes) {
              counter.close();
              await link.close();
            }
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
