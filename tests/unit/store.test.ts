/**
 * The online store at the counter, on a real encrypted shop file: the builder's draft, online
 * orders as sync brings them (customer linked or made, units held back, paid by a verified
 * payment), fulfilled as a sale or cancelled as a synced fact, and the preview's test checkout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KasuwaError } from '../../shared/errors';
import { uuidv7 } from '../../shared/ids';
import type { StoreOrderRow } from '../../shared/sync/protocol';
import { derivedId } from '../../main/services/store/store-orders';
import { saveReadyDraft } from '../support/ready-store';
import { MemoryKeychain } from './fixtures';
import { newCustomer, newProduct, openTestShop, type TestShop } from './shop';

let shop: TestShop;
let keychain: MemoryKeychain;

beforeEach(() => {
  keychain = new MemoryKeychain();
  shop = openTestShop({}, { keychain });
});

afterEach(() => shop.close());

function orderRow(productId: string, overrides: Partial<StoreOrderRow> = {}): StoreOrderRow {
  const placedAt = shop.clock.now;
  return {
    id: uuidv7(placedAt),
    number: 1001,
    lines: [{ productId, name: 'Semovita 1kg', unitPriceKobo: 140_000, quantity: 2, totalKobo: 280_000 }],
    customer: {
      name: 'Chinedu Okafor',
      phone: '+2348035550101',
      email: 'chinedu@example.com',
      state: 'Enugu',
      lgaCity: 'Enugu North',
      address: '4 Ogui Road',
    },
    delivery: {
      option: 'gig',
      label: 'GIG Logistics',
      zoneId: 'south-east',
      priceKobo: 300_000,
      quoted: false,
      daysMin: 3,
      daysMax: 5,
    },
    payment: { method: 'payOnDelivery', status: 'on-delivery' },
    subtotalKobo: 280_000,
    totalKobo: 580_000,
    note: '',
    test: false,
    placedAt,
    ...overrides,
  };
}

function outboxEntities(): string[] {
  return (shop.db.sqlite.prepare('SELECT entity FROM outbox ORDER BY seq').all() as { entity: string }[]).map(
    (row) => row.entity,
  );
}

describe('the builder draft', () => {
  it('starts from the business profile and the legal templates, and reopens where it was left', async () => {
    const first = await shop.store.state();
    expect(first.savedAt).toBeNull();
    expect(first.draft.business).toMatchObject({ name: 'Test Stores', state: 'Lagos', address: 'Yaba' });
    expect(first.draft.legal.privacy).toContain('Test Stores');
    expect(first.draft.legal.privacy).not.toContain('undefined');
    expect(first.checklist.find((item) => item.id === 'business')?.done).toBe(false);

    await shop.store.saveDraft(
      {
        section: 'business',
        value: { ...first.draft.business, description: 'Provisions', hours: '8am–7pm' },
      },
      null,
    );
    const saved = await shop.store.saveDraft({ section: 'step', value: 'shipping' }, null);
    expect(saved.savedAt).not.toBeNull();
    expect(saved.draft.step).toBe('shipping');
    expect(saved.draft.business.description).toBe('Provisions');
    expect(saved.checklist.find((item) => item.id === 'business')?.done).toBe(true);
    // The other sections kept their defaults: the seeded zones are still there.
    expect(saved.draft.shipping.zones).toHaveLength(8);
  });

  it('refuses two zones with one id, keeping the saved draft', async () => {
    const { draft } = await shop.store.state();
    const zones = [...draft.shipping.zones, ...draft.shipping.zones.slice(0, 1)];
    await expect(
      shop.store.saveDraft({ section: 'shipping', value: { ...draft.shipping, zones } }, null),
    ).rejects.toThrow(/Two zones are called "lagos-mainland"/);
    expect((await shop.store.state()).draft.shipping.zones).toHaveLength(8);
  });

  it('keeps payment secret keys in the keychain, never in the database', async () => {
    const state = await shop.store.setPaymentKey(
      { provider: 'paystack', secretKey: 'sk_test_secret123' },
      null,
    );
    expect(state.paymentKeys).toEqual({ paystack: true, flutterwave: false });
    expect([...keychain.secrets.values()]).toContain('sk_test_secret123');
    const everything = shop.db.sqlite
      .prepare(
        'SELECT group_concat(draft) AS text FROM store_draft UNION ALL SELECT group_concat(details) FROM audit_log',
      )
      .all() as { text: string | null }[];
    expect(everything.map((row) => row.text ?? '').join('')).not.toContain('sk_test_secret123');
    const removed = await shop.store.setPaymentKey({ provider: 'paystack', secretKey: '' }, null);
    expect(removed.paymentKeys.paystack).toBe(false);
  });

  it('says so when the computer has no keychain', async () => {
    const bare = openTestShop({}, { keychain: null });
    try {
      await expect(
        bare.store.setPaymentKey({ provider: 'paystack', secretKey: 'sk_test_x' }, null),
      ).rejects.toMatchObject({
        code: 'keychain_unavailable',
      });
    } finally {
      bare.close();
    }
  });
});

describe('online orders from sync', () => {
  it('take the customer from the book by phone, or make one every counter makes alike', () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    expect(shop.storeOrders.order(orderRow(rice.id))).toBe('applied');
    const [order] = shop.storeOrders.list({ status: 'pending', offset: 0, limit: 10 }).rows;
    expect(order).toMatchObject({
      number: 1001,
      status: 'pending',
      customerName: 'Chinedu Okafor',
      totalKobo: 580_000,
    });
    const made = shop.customers.findByPhone('08035550101');
    expect(made?.id).toBe(order?.customerId);
    // Made from the business and the number, so another counter taking this order makes the same id.
    expect(made?.id).toBe(derivedId(['store-customer', '', '+2348035550101']));
    expect(shop.customers.get(made?.id ?? '')).toMatchObject({
      firstName: 'Chinedu',
      lastName: 'Okafor',
      state: 'Enugu',
      tags: ['online'],
    });

    const known = newCustomer(shop, '0803 555 0202', 'Amaka');
    shop.storeOrders.order(
      orderRow(rice.id, {
        number: 1002,
        customer: { ...orderRow(rice.id).customer, phone: '+2348035550202', name: 'A. Eze' },
      }),
    );
    expect(shop.storeOrders.list({ status: 'all', offset: 0, limit: 10 }).rows[0]?.customerId).toBe(known.id);
  });

  it('are taken in once, hold back their units, and follow a verified payment', () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    const row = orderRow(rice.id, { payment: { method: 'paystack', status: 'awaiting-payment' } });
    expect(shop.storeOrders.order(row)).toBe('applied');
    expect(shop.storeOrders.order(row)).toBe('same');
    expect(shop.storeOrders.reserved().get(rice.id)).toBe(2);
    // The catalogue says so too, for the till and the products list.
    expect(shop.products.get(rice.id)).toMatchObject({ stock: 10, reserved: 2 });
    expect(shop.storeOrders.pendingCount()).toBe(1);
    // Not paid yet: it cannot become a sale.
    expect(() => shop.storeOrders.fulfil(row.id, shop.cashier)).toThrow(/not paid yet/);

    const payment = {
      id: uuidv7(shop.clock.now),
      orderId: row.id,
      provider: 'paystack' as const,
      reference: 'KSW-1001',
      status: 'paid' as const,
      amountKobo: 580_000,
      at: shop.clock.now,
    };
    expect(shop.storeOrders.payment(payment)).toBe('applied');
    expect(shop.storeOrders.payment(payment)).toBe('same');
    // A later failed attempt does not undo a payment.
    shop.storeOrders.payment({
      ...payment,
      id: uuidv7(shop.clock.now),
      status: 'failed',
      reference: 'KSW-x',
    });
    expect(shop.storeOrders.get(row.id)).toMatchObject({
      paymentStatus: 'paid',
      paymentReference: 'KSW-1001',
    });
  });

  it('become a sale when fulfilled: stock moves, units are released, the fact syncs', () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    const row = orderRow(rice.id);
    shop.storeOrders.order(row);
    const fulfilled = shop.storeOrders.fulfil(row.id, shop.cashier);
    expect(fulfilled).toMatchObject({ status: 'fulfilled' });
    const sale = shop.sales.get(fulfilled.saleId ?? '');
    // Online at ₦1,400 against ₦1,500 at the counter: the difference is the line's discount.
    expect(sale.lines[0]).toMatchObject({
      quantity: 2,
      unitPriceKobo: 150_000,
      discountKobo: 20_000,
      totalKobo: 280_000,
    });
    expect(sale.payments[0]).toMatchObject({ method: 'cash', amountKobo: 280_000 });
    expect(sale.customer?.id).toBe(fulfilled.customerId);
    expect(shop.products.get(rice.id)).toMatchObject({ stock: 8, reserved: 0 });
    expect(shop.storeOrders.reserved().get(rice.id)).toBeUndefined();
    expect(outboxEntities()).toContain('store_order_update');
    expect(() => shop.storeOrders.fulfil(row.id, shop.cashier)).toThrow(/already fulfilled/);
    expect(() => shop.storeOrders.cancel(row.id, 'late', null)).toThrow(KasuwaError);
  });

  it('release their units when cancelled, with the reason kept', () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    const row = orderRow(rice.id);
    shop.storeOrders.order(row);
    const cancelled = shop.storeOrders.cancel(row.id, 'Customer did not answer', shop.manager.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'Customer did not answer', saleId: null });
    expect(shop.storeOrders.reserved().size).toBe(0);
    expect(shop.products.get(rice.id).stock).toBe(10);
    expect(shop.storeOrders.list({ status: 'cancelled', offset: 0, limit: 5 }).total).toBe(1);
  });

  it("take another counter's update, even one that arrives before its order; the first update wins", () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    const row = orderRow(rice.id);
    const elsewhere = {
      id: uuidv7(shop.clock.now),
      orderId: row.id,
      status: 'cancelled' as const,
      saleId: null,
      reason: 'Out of stock at the branch',
      staffId: null,
      createdAt: shop.clock.now,
    };
    expect(shop.storeOrders.update(elsewhere)).toBe('applied');
    expect(shop.storeOrders.update(elsewhere)).toBe('same');
    shop.storeOrders.order(row);
    expect(shop.storeOrders.get(row.id)).toMatchObject({
      status: 'cancelled',
      reason: 'Out of stock at the branch',
    });
    // A later fulfilment from a third counter does not overturn the first decision.
    shop.storeOrders.update({
      ...elsewhere,
      id: uuidv7(shop.clock.now + 10),
      status: 'fulfilled',
      createdAt: shop.clock.now + 10,
    });
    expect(shop.storeOrders.get(row.id).status).toBe('cancelled');
    // Updates from elsewhere are not pushed again from here.
    expect(outboxEntities()).not.toContain('store_order_update');
  });

  it('keep an order whose contact the book cannot take, without a customer', () => {
    const rice = newProduct(shop, 'Semovita 1kg', 1500, 10);
    const row = orderRow(rice.id, { customer: { ...orderRow(rice.id).customer, email: 'not an email' } });
    expect(shop.storeOrders.order(row)).toBe('applied');
    expect(shop.storeOrders.get(row.id).customerId).toBeNull();
  });
});

describe('the preview', () => {
  it('serves the real storefront on loopback and takes a test order through its checkout', async () => {
    const products = [
      newProduct(shop, 'Mama Gold Rice 5kg', 9_500, 3),
      newProduct(shop, 'Oloyin Beans 1kg', 2_200, 40),
      newProduct(shop, 'Kings Oil 1L', 3_100, 25),
    ];
    const ready = await saveReadyDraft(shop.store, {
      slug: 'mama-nkechi',
      productIds: products.map((p) => p.id),
    });
    expect(ready.testOrderAt).toBeNull();
    const { url } = await shop.store.previewUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/$/);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Mama Gold Rice 5kg');
    // Only the secret path is served.
    expect((await fetch(new URL('/index.html', url))).status).toBe(404);

    // A shopper's bad form gets a sentence, not an order.
    const bad = await fetch(`${url}order`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        item: `${products[0]?.id ?? ''}:9`,
        name: 'Ada',
        phone: '0803 555 0101',
        state: 'Lagos',
        delivery: 'pickup',
        payment: 'payOnDelivery',
      }).toString(),
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Only 3 of Mama Gold Rice 5kg left');

    const order = await shop.store.testOrder();
    expect(order).toMatchObject({ test: true, status: 'pending', number: 1, customerName: 'Test Order' });
    const after = await shop.store.state();
    expect(after.testOrderAt).not.toBeNull();
    expect(after.checklist.every((item) => item.done)).toBe(true);
    // Test orders hold back no stock, make no customer, are never pushed and are never sold.
    expect(shop.storeOrders.reserved().size).toBe(0);
    expect(shop.customers.findByPhone('08030000000')).toBeNull();
    expect(outboxEntities()).not.toContain('store_order_update');
    expect(() => shop.storeOrders.fulfil(order.id, shop.cashier)).toThrow(/test order is not sold/);
    shop.storeOrders.cancel(order.id, 'Done looking', null);
    expect(outboxEntities()).not.toContain('store_order_update');
  });

  it('exports the site into a folder any static host can serve', async () => {
    const products = [
      newProduct(shop, 'Rice', 1_000, 5),
      newProduct(shop, 'Beans', 900, 5),
      newProduct(shop, 'Oil', 800, 5),
    ];
    await saveReadyDraft(shop.store, { slug: 'export-me', productIds: products.map((p) => p.id) });
    const exported = await shop.store.exportSite(undefined);
    expect(exported.folder.endsWith(path.join('store-export', 'export-me'))).toBe(true);
    expect(exported.files).toBeGreaterThan(5);
    const index = readFileSync(path.join(exported.folder, 'index.html'), 'utf8');
    expect(index).toContain('Mama Nkechi Provisions');
  });
});
