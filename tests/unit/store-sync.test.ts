/**
 * The online store end to end through the real sync server (its own process, on a real
 * PostgreSQL started for this file): a counter builds the store, places its test order through
 * the preview, and publishes; a shopper opens the store from the server and orders with the
 * plain HTML form; both counters of the business pull the order with its customer and held-back
 * units; one fulfils it as a sale and the other sees it so; a cancelled order gives its units
 * back to the storefront; and a republish uploads only what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBusiness, syncUntilQuiet, type Counter } from '../support/counters';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { saveReadyDraft } from '../support/ready-store';
import { startSyncServer, type SyncServerProcess } from '../support/sync-server-process';
import { newProduct } from './shop';

let cluster: PostgresCluster;
let server: SyncServerProcess;
let a: Counter;
let b: Counter;
const SLUG = 'mama-nkechi';

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startSyncServer(await createDatabase(cluster.url, 'store_sync'));
  [a, b] = (await openBusiness(server.url, 2)) as [Counter, Counter];
}, 120_000);

afterAll(async () => {
  for (const counter of [a, b] as (Counter | undefined)[]) counter?.close();
  try {
    await server.stop();
  } finally {
    await cluster.stop();
  }
});

function orderForm(fields: Record<string, string | string[]>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) form.append(key, one);
  }
  return form.toString();
}

async function placeOrder(fields: Record<string, string | string[]>): Promise<Response> {
  return fetch(`${server.url}/s/${SLUG}/order`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: orderForm(fields),
    redirect: 'manual',
  });
}

const SHOPPER = {
  name: 'Chinedu Okafor',
  phone: '0803 555 0101',
  email: '',
  state: 'Enugu',
  lgaCity: 'Enugu North',
  address: '4 Ogui Road',
  delivery: 'gig',
  payment: 'payOnDelivery',
};

describe('the online store through the sync server', () => {
  let rice: ReturnType<typeof newProduct>;
  let beans: ReturnType<typeof newProduct>;
  let oil: ReturnType<typeof newProduct>;

  it('a counter builds the store, test-orders it in the preview, and publishes it', async () => {
    rice = newProduct(a, 'Mama Gold Rice 5kg', 9_500, 3);
    beans = newProduct(a, 'Oloyin Beans 1kg', 2_200, 40);
    oil = newProduct(a, 'Kings Oil 1L', 3_100, 25);
    const ready = await saveReadyDraft(a.store, { slug: SLUG, productIds: [rice.id, beans.id, oil.id] });
    expect(ready.checklist.filter((item) => !item.done).map((item) => item.id)).toEqual(['test-order']);
    await expect(a.store.publish(null)).rejects.toThrow(/Finish the checklist first: a test order completed/);

    const test = await a.store.testOrder();
    expect(test).toMatchObject({ test: true, status: 'pending', customerId: null });
    // A test order holds back nothing and is never pushed.
    expect(a.storeOrders.reserved().size).toBe(0);

    const published = await a.store.publish(null);
    expect(published.published).toMatchObject({ slug: SLUG, url: `${server.url}/s/${SLUG}/` });
    expect(published.published?.uploaded).toBe(published.published?.files);

    const home = await fetch(`${server.url}/s/${SLUG}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Mama Nkechi Provisions');
    expect(html).toContain('Mama Gold Rice 5kg');
  });

  it('a shopper orders with the plain form; both counters take the order, its customer and its units', async () => {
    const answer = await placeOrder({ ...SHOPPER, item: [`${rice.id}:2`, `${beans.id}:1`] });
    expect(answer.status).toBe(303);
    const confirmation = await fetch(new URL(answer.headers.get('location') ?? '', server.url));
    expect(confirmation.status).toBe(200);
    const page = await confirmation.text();
    expect(page).toContain('1001');
    // The page tells the site's cart script to empty this store's cart.
    expect(page).toContain(`data-store="${SLUG}"`);
    expect(page).toContain('data-cart-clear');

    await syncUntilQuiet([a, b]);
    for (const counter of [a, b]) {
      const [order] = counter.storeOrders
        .list({ status: 'pending', offset: 0, limit: 5 })
        .rows.filter((o) => !o.test);
      expect(order).toMatchObject({
        number: 1001,
        customerName: 'Chinedu Okafor',
        phone: '+2348035550101',
        // ₦9,500 × 2 + ₦2,200 + the South-East zone's ₦3,000.
        totalKobo: 2 * 950_000 + 220_000 + 300_000,
        paymentStatus: 'on-delivery',
      });
      expect(counter.storeOrders.reserved().get(rice.id)).toBe(2);
    }
    // Both counters made the same customer from the order.
    expect(a.customers.findByPhone('08035550101')?.id).toBe(b.customers.findByPhone('08035550101')?.id);
  });

  it('the server sells no more than the stock the store was published with', async () => {
    // Three in stock, two on order: the third can go, a fourth cannot.
    const tooMany = await placeOrder({ ...SHOPPER, item: `${rice.id}:2` });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('Only 1 of Mama Gold Rice 5kg left');
    const last = await placeOrder({
      ...SHOPPER,
      phone: '0802 555 0303',
      name: 'Bola Ade',
      item: `${rice.id}:1`,
    });
    expect(last.status).toBe(303);
    const soldOut = await placeOrder({ ...SHOPPER, item: `${rice.id}:1` });
    expect(soldOut.status).toBe(400);
    expect(await soldOut.text()).toContain('Mama Gold Rice 5kg is sold out');
  });

  it('one counter fulfils an order as a sale, the other sees it; a cancelled order gives its units back', async () => {
    await syncUntilQuiet([a, b]);
    const pending = b.storeOrders
      .list({ status: 'pending', offset: 0, limit: 10 })
      .rows.filter((o) => !o.test);
    const first = pending.find((order) => order.number === 1001);
    const second = pending.find((order) => order.number === 1002);
    if (first === undefined || second === undefined) throw new Error('orders missing on counter B');

    const fulfilled = b.storeOrders.fulfil(first.id, b.cashier);
    expect(b.sales.get(fulfilled.saleId ?? '').totalKobo).toBe(2 * 950_000 + 220_000);
    a.storeOrders.cancel(second.id, 'Customer changed their mind', null);
    await syncUntilQuiet([a, b]);

    expect(a.storeOrders.get(first.id)).toMatchObject({ status: 'fulfilled', saleId: fulfilled.saleId });
    expect(b.storeOrders.get(second.id)).toMatchObject({
      status: 'cancelled',
      reason: 'Customer changed their mind',
    });
    expect(a.products.get(rice.id).stock).toBe(1);
    expect(a.storeOrders.reserved().get(rice.id)).toBeUndefined();
    // The cancelled unit is orderable again on the storefront.
    const again = await placeOrder({ ...SHOPPER, item: `${rice.id}:1` });
    expect(again.status).toBe(303);
  });

  it('a republish uploads only what changed', async () => {
    const { draft } = await a.store.state();
    await a.store.saveDraft(
      { section: 'business', value: { ...draft.business, hours: 'Mon–Sun 7am–9pm' } },
      null,
    );
    const republished = await a.store.publish(null);
    const uploaded = republished.published?.uploaded ?? -1;
    expect(uploaded).toBeGreaterThan(0);
    expect(uploaded).toBeLessThan(republished.published?.files ?? 0);
    expect(await (await fetch(`${server.url}/s/${SLUG}/`)).text()).toContain('Mon–Sun 7am–9pm');
  });
});
