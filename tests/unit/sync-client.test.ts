/**
 * The counter's side of sync without a server: what a local edit queues, and what taking in
 * another counter's changes does to the books, handed over directly as a pull would. The
 * same code paths run against the real server in sync-server-counters.test.ts.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openShopDatabase } from '../../main/db/open';
import { SyncClock } from '../../main/services/sync/sync-clock';
import { SyncState } from '../../main/services/sync/sync-state';
import { uuidv7 } from '../../shared/ids';
import { lagosDay } from '../../shared/lagos-time';
import type { Replica } from '../../shared/sync/merge';
import { parseHlc } from '../../shared/hlc';
import { randomBytes } from 'node:crypto';
import type { Customer } from '../../shared/contract';
import { editCustomer } from '../support/edit-customer';
import { migrations, tempDir } from './fixtures';
import { newCustomer, newProduct, openTestShop, OWNER_PIN, type TestShop } from './shop';

const open: TestShop[] = [];
afterEach(() => {
  for (const shop of open.splice(0)) shop.close();
});

function counter(): TestShop {
  const shop = openTestShop();
  open.push(shop);
  return shop;
}

/** What `from` queued since the last hand-over, marked as sent. */
function queued(from: TestShop) {
  const batch = from.sync.engine.outgoing(from.outbox.nextBatch(100_000));
  from.db.sqlite.transaction(() => {
    for (const mutation of batch) from.outbox.settle(mutation.seq, 'applied');
  })();
  return batch.map((m) => ({
    entity: m.entity,
    entityId: m.entityId,
    op: m.op,
    data: JSON.parse(m.payload) as unknown,
  }));
}

/** Hands `from`'s queued changes to `to`, one transaction, as a pulled page. */
function handOver(from: TestShop, to: TestShop): string[] {
  const changes = queued(from);
  return to.db.sqlite.transaction(() => changes.map((change) => to.sync.applier.apply(change)))();
}

function update(shop: TestShop, customer: Customer, patch: Record<string, unknown>): void {
  editCustomer(shop, customer.id, patch);
}

function ringUp(
  shop: TestShop,
  saleId: string,
  productId: string,
  quantity: number,
  customerId: string | null,
) {
  const product = shop.products.get(productId);
  return shop.sales.record(
    {
      saleId,
      lines: [{ productId, quantity, discountKobo: 0 }],
      customerId,
      payments: [{ method: 'cash', amountKobo: product.priceKobo * quantity, reference: '' }],
    },
    shop.cashier,
  );
}

describe('what a local edit queues', () => {
  it('stamps only the fields the edit changed, each with a later clock', () => {
    const a = counter();
    const ngozi = newCustomer(a, '0803 555 1234');
    const created = queued(a).find((c) => c.entity === 'customer')?.data as Replica;
    update(a, ngozi, { email: 'ngozi@example.ng' });
    const edited = queued(a).find((c) => c.entity === 'customer')?.data as Replica;
    const stamp = (replica: Replica, field: string) => replica.fields[field]?.hlc ?? '';
    expect(stamp(edited, 'email') > stamp(created, 'email')).toBe(true);
    expect(stamp(edited, 'firstName')).toBe(stamp(created, 'firstName'));
    expect(edited.fields.email?.value).toBe('ngozi@example.ng');
  });

  it('turns notes into a log: a new paragraph is a new note, a deleted one a removal', () => {
    const a = counter();
    const ngozi = newCustomer(a, '0803 555 1234', 'Ngozi', { notes: 'Likes Peak milk' });
    update(a, ngozi, { notes: 'Likes Peak milk\n\nPays by transfer' });
    update(a, ngozi, { notes: 'Pays by transfer' });
    const log = queued(a)
      .filter((c) => c.entity === 'customer')
      .map((c) => (c.data as Replica).notes);
    expect(
      log
        .at(-1)
        ?.map((n) => n.text)
        .sort(),
    ).toEqual(['', 'Pays by transfer']);
    expect(a.customers.get(ngozi.id).notes).toBe('Pays by transfer');
  });
});

describe('taking in changes from another counter', () => {
  it('gives the other counter an imported customer exactly as it is stored here', async () => {
    const a = counter();
    const b = counter();
    const csv = [
      'First,Last,Phone,State,Email,Notes,SMS',
      'Ada,Obi,0803 555 0101,Lagos,ada@example.ng,Buys on credit,yes',
      'Bola,Ade,0805 555 0102,Oyo,,,no',
    ].join('\r\n');
    const report = await a.customerCsv.import(
      {
        csv,
        hasHeader: true,
        taskId: 't',
        mapping: { firstName: 0, lastName: 1, phone: 2, state: 3, email: 4, notes: 5, smsConsent: 6 },
      },
      null,
      () => undefined,
    );
    expect(report.imported).toBe(2);
    handOver(a, b);
    for (const phone of ['0803 555 0101', '0805 555 0102']) {
      const here = a.customers.findByPhone(phone);
      if (here === null) throw new Error(`${phone} was not imported`);
      const there = b.customers.get(here.id);
      expect({ ...there, updatedAt: 0 }).toEqual({ ...a.customers.get(here.id), updatedAt: 0 });
    }
    expect(b.customers.findByPhone('0803 555 0101')?.displayName).toBe('Ada Obi');
    expect(b.customers.get(a.customers.findByPhone('0803 555 0101')?.id ?? '').consents).toEqual([
      expect.objectContaining({ channel: 'sms', granted: true, source: 'import' }),
    ]);
  });

  it('merges concurrent edits of one customer field by field and keeps both counters’ notes', () => {
    const a = counter();
    const b = counter();
    const ngozi = newCustomer(a, '0803 555 1234', 'Ngozi', { notes: 'Regular since 2020' });
    handOver(a, b);
    queued(b);
    update(a, ngozi, { email: 'ngozi@example.ng', notes: 'Regular since 2020\n\nLikes Peak milk' });
    update(b, ngozi, { state: 'Oyo', notes: 'Regular since 2020\n\nPays by transfer' });
    // b's first name edit comes after a's: it wins on both counters.
    update(a, ngozi, { firstName: 'Ngozika' });
    update(b, ngozi, { firstName: 'Ngozi A.' });
    const toB = queued(a);
    const toA = queued(b);
    b.db.sqlite.transaction(() => toB.forEach((c) => b.sync.applier.apply(c)))();
    a.db.sqlite.transaction(() => toA.forEach((c) => a.sync.applier.apply(c)))();
    for (const shop of [a, b]) {
      const merged = shop.customers.get(ngozi.id);
      expect(merged.email).toBe('ngozi@example.ng');
      expect(merged.state).toBe('Oyo');
      expect(merged.firstName).toBe('Ngozi A.');
      expect(merged.notes.split('\n\n').sort()).toEqual(
        ['Likes Peak milk', 'Pays by transfer', 'Regular since 2020'].sort(),
      );
    }
    expect(a.customers.get(ngozi.id)).toEqual({
      ...b.customers.get(ngozi.id),
      updatedAt: expect.any(Number) as number,
    });
  });

  it('takes a sale whole, with stock, customer totals and points, and only once', () => {
    const a = counter();
    const b = counter();
    const rice = newProduct(a, 'Rice 5kg', 9_000, 20);
    const ngozi = newCustomer(a, '0803 555 1234');
    handOver(a, b);
    const sale = ringUp(a, uuidv7(), rice.id, 3, ngozi.id);
    const changes = queued(a);
    const apply = () => b.db.sqlite.transaction(() => changes.map((c) => b.sync.applier.apply(c)))();
    expect(apply()).toEqual(['applied']);
    expect(apply()).toEqual(['same']);
    const there = b.sales.get(sale.id);
    expect(there.totalKobo).toBe(27_000_00);
    expect(there.lines).toHaveLength(1);
    expect(there.payments.map((p) => [p.method, p.amountKobo])).toEqual([['cash', 27_000_00]]);
    expect(b.products.get(rice.id).stock).toBe(17);
    const book = b.customers.get(ngozi.id);
    expect(book.totalSpentKobo).toBe(27_000_00);
    expect(book.purchaseCount).toBe(1);
    expect(book.pointsBalance).toBe(a.customers.get(ngozi.id).pointsBalance);
    expect(book.pointsBalance).toBeGreaterThan(0);
    // b's Z-report is b's drawer: a sale rung on a is not cash b should hold.
    const day = lagosDay(sale.createdAt);
    expect(a.reports.endOfDay(day)).toMatchObject({ salesCount: 1, expectedCashKobo: 27_000_00 });
    expect(b.reports.endOfDay(day)).toMatchObject({ salesCount: 0, expectedCashKobo: 0 });
    expect(b.reports.salesByPeriod(sale.createdAt - 1, sale.createdAt + 1, 'day')[0]?.salesCount).toBe(1);
  });

  it('queues a sale whose two copies disagree, and replaces this copy when the owner keeps the other', () => {
    const a = counter();
    const b = counter();
    const rice = newProduct(a, 'Rice 5kg', 9_000, 20);
    handOver(a, b);
    const saleId = uuidv7();
    ringUp(a, saleId, rice.id, 2, null);
    ringUp(b, saleId, rice.id, 5, null);
    queued(b);
    expect(handOver(a, b)).toEqual(['conflict']);
    const open = b.sync.conflicts('open', 0, 10);
    expect(open.total).toBe(1);
    const conflict = open.rows[0];
    if (conflict === undefined) throw new Error('no conflict queued');
    expect(conflict.kind).toBe('sale-amounts');
    expect(conflict.rows.find((r) => r.label === 'Total')).toMatchObject({
      mine: '₦45,000',
      theirs: '₦18,000',
      differs: true,
    });
    expect(b.products.get(rice.id).stock).toBe(15);
    expect(() => b.sync.resolve({ id: conflict.id, action: 'keep-theirs', ownerPin: '0000' })).toThrow();
    b.sync.resolve({ id: conflict.id, action: 'keep-theirs', ownerPin: OWNER_PIN });
    expect(b.sales.get(saleId).totalKobo).toBe(18_000_00);
    expect(b.products.get(rice.id).stock).toBe(18);
    expect(b.sync.conflicts('open', 0, 10).total).toBe(0);
    expect(b.audit.verify().intact).toBe(true);
    expect(b.audit.list(5).map((e) => e.action)).toContain('sync.resolve');
    // The correction is over: the ledger refuses deletions again.
    expect(() => b.db.sqlite.prepare('DELETE FROM sale_lines WHERE sale_id = ?').run(saleId)).toThrow(
      /append-only/,
    );
  });

  it('keeps both sales when the owner says both happened', () => {
    const a = counter();
    const b = counter();
    const rice = newProduct(a, 'Rice 5kg', 9_000, 20);
    handOver(a, b);
    const saleId = uuidv7();
    ringUp(a, saleId, rice.id, 2, null);
    ringUp(b, saleId, rice.id, 5, null);
    queued(b);
    handOver(a, b);
    const conflict = b.sync.conflicts('open', 0, 10).rows[0];
    if (conflict === undefined) throw new Error('no conflict queued');
    b.sync.resolve({ id: conflict.id, action: 'merge', ownerPin: OWNER_PIN });
    expect(b.sales.get(saleId).totalKobo).toBe(18_000_00);
    expect(b.products.get(rice.id).stock).toBe(13);
    const copy = queued(b).filter((c) => c.entity === 'sale');
    expect(copy).toHaveLength(1);
    expect((copy[0]?.data as { totalKobo: number }).totalKobo).toBe(45_000_00);
  });

  it('puts two customers given one number on two counters in the owner’s queue, and merges them', () => {
    const a = counter();
    const b = counter();
    const fromA = newCustomer(a, '0803 555 1234', 'Ngozi');
    const fromB = newCustomer(b, '08035551234', 'Ngozi Eze');
    queued(b);
    handOver(a, b);
    const conflict = b.sync.conflicts('open', 0, 10).rows.find((c) => c.kind === 'duplicate-customer');
    if (conflict === undefined) throw new Error('no duplicate queued');
    expect(conflict.rows.find((r) => r.label === 'Phone')?.differs).toBe(false);
    b.sync.resolve({ id: conflict.id, action: 'keep-mine', ownerPin: OWNER_PIN });
    expect(b.customers.get(fromA.id).mergedIntoId).toBe(fromB.id);
    expect(b.customers.findByPhone('0803 555 1234')?.id).toBe(fromB.id);
    // The merge goes to the other counters like any edit.
    handOver(b, a);
    expect(a.customers.get(fromA.id).mergedIntoId).toBe(fromB.id);
  });

  it('ignores a change it cannot read, and says so, without stopping the rest', () => {
    const a = counter();
    const b = counter();
    const rice = newProduct(a, 'Rice 5kg', 9_000, 20);
    const good = queued(a);
    const bad = { entity: 'sale', entityId: 'x', op: 'append' as const, data: { id: 'x', totalKobo: -5 } };
    const outcomes = b.db.sqlite.transaction(() => [bad, ...good].map((c) => b.sync.applier.apply(c)))();
    expect(outcomes[0]).toBe('refused');
    // The rest went in (or were already there, like a's business profile b keeps its own of).
    expect(outcomes.slice(1)).not.toContain('refused');
    expect(b.products.get(rice.id).stock).toBe(20);
    expect(b.sync.problems(5)[0]?.message).toMatch(/could not be read/);
  });
});

describe('the counter’s clock', () => {
  it('never stamps before its last stamp, even after a restart with the wall clock reset', () => {
    const scratch = tempDir('kasuwa-clock-');
    const db = openShopDatabase(path.join(scratch.dir, 'kasuwa.db'), {
      key: randomBytes(32),
      create: true,
      migrations,
    });
    try {
      const state = new SyncState(db.sqlite);
      const today = Date.parse('2026-12-02T10:00:00Z');
      const first = db.sqlite.transaction(() =>
        new SyncClock(
          state,
          () => 'node-a',
          () => today,
        ).stamp(),
      )();
      // A flat CMOS battery after a power cut: the PC starts in 2010.
      const restarted = new SyncClock(
        state,
        () => 'node-a',
        () => Date.parse('2010-01-01T00:00:00Z'),
      );
      const second = db.sqlite.transaction(() => restarted.stamp())();
      expect(second > first).toBe(true);
      expect(parseHlc(second).wall).toBe(today);
    } finally {
      db.close();
      scratch.remove();
    }
  });
});
