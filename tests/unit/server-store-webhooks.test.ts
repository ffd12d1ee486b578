/**
 * Online payments that the shopper never came back from, against a real PostgreSQL, the real
 * counter services over HTTP, and fake Paystack and Flutterwave servers on 127.0.0.1 that post
 * their webhooks: the webhook URLs and Flutterwave's secret hash as GET /v1/storefront hands them
 * out; a Paystack webhook signed right recorded once and pulled by the counter, one signed wrong
 * refused with 401 and nothing recorded, a webhook and the callback for one payment recorded once
 * whichever comes first, a payment the provider does not confirm (or of another amount) never
 * recorded as paid; Flutterwave likewise with verif-hash; events of other kinds and payments that
 * are not our orders' answered 200 with nothing recorded; and the counter's "Check payment"
 * (POST /v1/storefront/orders/:id/verify, and store:checkPayment through a sync pass).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePaymentRow } from '../../shared/sync/protocol';
import type { StorefrontConfig } from '../../shared/store/storefront';
import type { StorePaymentCheck, StorefrontStatus } from '../../main/services/sync/sync-transport';
import { openBusiness, type Counter } from '../support/counters';
import {
  startFakeFlutterwave,
  startFakePaystack,
  type FakeFlutterwave,
  type FakePaystack,
} from '../support/fake-payments';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { call, ok, startServerApp, type RunningServer } from '../support/sync-server-app';
import { newProduct } from './shop';

let cluster: PostgresCluster;
let server: RunningServer;
let paystack: FakePaystack;
let flutterwave: FakeFlutterwave;
let counter: Counter;
let token: string;
let businessId: string;
let status: StorefrontStatus;
let productId: string;

const PRICE_KOBO = 1_250_050;
const SLUG = 'kemi-webhooks';

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

function configFor(slug: string, id: string): StorefrontConfig {
  return {
    slug,
    name: 'Kemi Fabrics',
    whatsapp: '2348031234567',
    phone: '0803 123 4567',
    shopState: 'Lagos',
    products: [{ id, name: 'Ankara fabric, 6 yards', priceKobo: PRICE_KOBO, available: 500 }],
    zones: [
      {
        id: 'lagos-mainland',
        name: 'Lagos Mainland',
        priceKobo: 150_000,
        states: ['Lagos'],
        days: { min: 1, max: 2 },
      },
    ],
    delivery: [
      {
        id: 'pickup',
        label: 'Pick up at the shop',
        pricing: 'free',
        priceKobo: 0,
        days: { min: 0, max: 0 },
        note: '',
      },
    ],
    payments: [
      { id: 'bankTransfer', label: 'Bank transfer', instructions: 'GTBank 0123456789 — Kemi Fabrics' },
      { id: 'paystack', label: 'Card (Paystack)', instructions: '' },
      { id: 'flutterwave', label: 'Card or USSD (Flutterwave)', instructions: '' },
    ],
  };
}

async function publishStore(): Promise<void> {
  const index = Buffer.from(
    '<!doctype html><html lang="en-NG"><title>Kemi Fabrics</title><h1>Kemi</h1></html>',
  );
  const hash = sha256(index);
  const { missing } = await ok<{ missing: string[] }>(server.url, 'POST', '/v1/storefront/missing', {
    token,
    body: { hashes: [hash] },
  });
  if (missing.includes(hash)) {
    const put = await call(server.url, 'PUT', `/v1/storefront/blobs/${hash}`, {
      token,
      rawBody: new Uint8Array(index),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(204);
  }
  const { cursor } = await ok<{ cursor: number }>(server.url, 'GET', '/v1/me', { token });
  await ok(server.url, 'PUT', '/v1/storefront', {
    token,
    body: {
      slug: SLUG,
      customDomain: null,
      files: [{ path: 'index.html', sha256: hash, contentType: 'text/html; charset=utf-8' }],
      config: configFor(SLUG, productId),
      cursor,
      paymentKeys: { paystack: paystack.secretKey, flutterwave: flutterwave.secretKey },
    },
  });
}

beforeAll(async () => {
  cluster = await startPostgres();
  paystack = await startFakePaystack();
  flutterwave = await startFakeFlutterwave();
  server = await startServerApp(
    { url: cluster.url },
    {
      paystackUrl: paystack.url,
      flutterwaveUrl: flutterwave.url,
      paymentTimeoutMs: 1_000,
      trustProxy: true,
    },
  );
  [counter] = (await openBusiness(server.url, 1)) as [Counter];
  ({ token, businessId } = counter.sync.link());
  productId = newProduct(counter, 'Ankara fabric, 6 yards', 12_500).id;
  await publishStore();
  status = await ok<StorefrontStatus>(server.url, 'GET', '/v1/storefront', { token });
});

afterAll(async () => {
  counter.close();
  await server.close();
  await paystack.close();
  await flutterwave.close();
  await cluster.stop();
});

// ── Shoppers and rows ────────────────────────────────────────────────────────────────────────

let shoppers = 0;

/** A shopper orders the fabric for pickup and is sent to the provider's checkout; the reference. */
async function orderPaidWith(
  provider: 'paystack' | 'flutterwave',
): Promise<{ id: string; reference: string }> {
  shoppers += 1;
  const answer = await call<{ id: string; next: string; paymentStatus: string }>(
    server.url,
    'POST',
    `/s/${SLUG}/order`,
    {
      headers: { 'x-forwarded-for': `10.40.${Math.floor(shoppers / 250)}.${(shoppers % 250) + 1}` },
      body: {
        items: [{ productId, quantity: 1 }],
        name: 'Adaeze Okafor',
        phone: '0803 555 0101',
        email: 'adaeze@example.com',
        state: 'Lagos',
        lgaCity: 'Ikeja',
        address: '12 Allen Avenue',
        delivery: 'pickup',
        payment: provider,
        note: '',
      },
    },
  );
  expect(answer.status).toBe(201);
  expect(answer.body.paymentStatus).toBe('awaiting-payment');
  const { id } = answer.body;
  const started =
    provider === 'paystack'
      ? [...paystack.transactions.keys()].find((reference) => reference.startsWith(`${id}-`))
      : [...flutterwave.payments.keys()].find((reference) => reference.startsWith(`${id}-`));
  if (started === undefined) throw new Error(`no ${provider} checkout for order ${id}`);
  return { id, reference: started };
}

async function serverPayments(orderId: string): Promise<StorePaymentRow[]> {
  const result = await server.db.pool.query<{ data: StorePaymentRow }>(
    `SELECT data FROM changes WHERE business_id = $1 AND entity = 'store_payment' AND data ->> 'orderId' = $2
      ORDER BY seq`,
    [businessId, orderId],
  );
  return result.rows.map((row) => row.data);
}

async function changeCount(): Promise<number> {
  const result = await server.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM changes WHERE business_id = $1',
    [businessId],
  );
  return result.rows[0]?.n ?? -1;
}

/** The counter after a sync pass: the order as it stands there and its payment rows. */
async function atCounter(orderId: string) {
  await counter.sync1();
  const rows = counter.db.sqlite
    .prepare<[string], { status: string }>('SELECT status FROM store_payments WHERE order_id = ? ORDER BY at')
    .all(orderId);
  return { order: counter.storeOrders.get(orderId), payments: rows.map((row) => row.status) };
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

const verifyRequests = (reference: string) =>
  paystack.requests.filter(
    (request) => request.path === `/transaction/verify/${encodeURIComponent(reference)}`,
  ).length;

async function metricsText(): Promise<string> {
  const answer = await fetch(`${server.url}/metrics`);
  return answer.text();
}

// ── The URLs ─────────────────────────────────────────────────────────────────────────────────

describe('the payment webhook URLs', () => {
  it('are absolute, under the business’s webhook key, with a secret hash kept across publishes', async () => {
    const hooks = await ok<{ termii: string }>(server.url, 'GET', '/v1/hooks', { token });
    const key = hooks.termii.split('/').at(-1) ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(status.paymentHooks).toEqual({
      paystack: `${server.url}/hooks/paystack/${key}`,
      flutterwave: `${server.url}/hooks/flutterwave/${key}`,
      flutterwaveSecretHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
    });
    expect(status.paymentHooks.flutterwaveSecretHash).not.toBe(key);
    await publishStore();
    const again = await ok<StorefrontStatus>(server.url, 'GET', '/v1/storefront', { token });
    expect(again.paymentHooks).toEqual(status.paymentHooks);
    // The counter reads the same through its store services.
    expect(await counter.store.paymentHooks()).toEqual(status.paymentHooks);
  });

  it('are not handed out without a device token', async () => {
    expect((await call(server.url, 'GET', '/v1/storefront')).status).toBe(401);
  });
});

// ── Paystack ─────────────────────────────────────────────────────────────────────────────────

describe('Paystack webhooks', () => {
  it('record a payment signed with the secret key once, verified with Paystack, and the counter pulls it', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    paystack.pay(reference);
    const before = verifyRequests(reference);
    const answer = await paystack.postWebhook(status.paymentHooks.paystack, reference);
    expect(answer).toEqual({ status: 200, body: { outcome: 'recorded', status: 'paid' } });
    expect(verifyRequests(reference)).toBe(before + 1);
    expect(await serverPayments(id)).toEqual([
      expect.objectContaining({ provider: 'paystack', reference, status: 'paid', amountKobo: PRICE_KOBO }),
    ]);
    // Paystack sends it again (it had no answer in time, say): nothing new.
    const changes = await changeCount();
    expect(await paystack.postWebhook(status.paymentHooks.paystack, reference)).toEqual({
      status: 200,
      body: { outcome: 'repeated', status: 'paid' },
    });
    expect(await changeCount()).toBe(changes);

    const here = await atCounter(id);
    expect(here.payments).toEqual(['paid']);
    expect(here.order.paymentStatus).toBe('paid');
    expect(here.order.paymentReference).toBe(reference);
    expect(await metricsText()).toMatch(
      /kasuwa_webhooks_total\{provider="paystack",outcome="appended"\} [1-9]/,
    );
  });

  it('refuse a wrong or missing signature and an unknown key, recording nothing', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    paystack.pay(reference);
    const changes = await changeCount();
    const forged = await paystack.postWebhook(status.paymentHooks.paystack, reference, {
      signingKey: 'sk_test_someone_else_entirely_0000000000',
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'unauthorized' } });
    const unsigned = await paystack.postWebhook(status.paymentHooks.paystack, reference, { signature: '' });
    expect(unsigned.status).toBe(401);
    const garbled = await paystack.postWebhook(status.paymentHooks.paystack, reference, {
      signature: 'f'.repeat(128),
    });
    expect(garbled.status).toBe(401);
    const elsewhere = await paystack.postWebhook(`${server.url}/hooks/paystack/${'A'.repeat(43)}`, reference);
    expect(elsewhere.status).toBe(404);
    expect(await changeCount()).toBe(changes);
    expect(await serverPayments(id)).toEqual([]);
    expect(await metricsText()).toMatch(
      /kasuwa_webhooks_total\{provider="paystack",outcome="bad_signature"\} [3-9]/,
    );
  });

  it('and the callback record one payment, whichever comes first', async () => {
    const first = await orderPaidWith('paystack');
    const back = paystack.pay(first.reference);
    expect((await paystack.postWebhook(status.paymentHooks.paystack, first.reference)).status).toBe(200);
    const callback = await call(server.url, 'GET', pathOf(back), { headers: {} });
    expect(callback.status).toBe(200); // fetch followed the 303 to the order page
    expect(await serverPayments(first.id)).toHaveLength(1);

    const second = await orderPaidWith('paystack');
    const backAgain = paystack.pay(second.reference);
    await call(server.url, 'GET', pathOf(backAgain));
    expect(await paystack.postWebhook(status.paymentHooks.paystack, second.reference)).toEqual({
      status: 200,
      body: { outcome: 'repeated', status: 'paid' },
    });
    expect(await serverPayments(second.id)).toHaveLength(1);
    expect((await atCounter(second.id)).payments).toEqual(['paid']);
  });

  it('record a payment of another amount as failed, and never take the event’s word for it', async () => {
    const short = await orderPaidWith('paystack');
    paystack.pay(short.reference, { amountKobo: 100_000 });
    expect(await paystack.postWebhook(status.paymentHooks.paystack, short.reference)).toEqual({
      status: 200,
      body: { outcome: 'recorded', status: 'failed' },
    });
    expect(await serverPayments(short.id)).toEqual([
      expect.objectContaining({ status: 'failed', amountKobo: 100_000 }),
    ]);
    const here = await atCounter(short.id);
    expect(here.order.paymentStatus).toBe('failed');

    // A charge.success for a payment Paystack itself has not confirmed: asked again later, not recorded.
    const unpaid = await orderPaidWith('paystack');
    const changes = await changeCount();
    const early = await paystack.postWebhook(status.paymentHooks.paystack, unpaid.reference);
    expect(early.status).toBe(503);
    expect(await changeCount()).toBe(changes);
    expect(await serverPayments(unpaid.id)).toEqual([]);

    // Paystack down while verifying: 503, so Paystack sends the event again; then it is recorded.
    paystack.pay(unpaid.reference);
    paystack.failNext(1, { answer: 500 });
    expect((await paystack.postWebhook(status.paymentHooks.paystack, unpaid.reference)).status).toBe(503);
    expect(await serverPayments(unpaid.id)).toEqual([]);
    expect((await paystack.postWebhook(status.paymentHooks.paystack, unpaid.reference)).status).toBe(200);
    expect(await serverPayments(unpaid.id)).toEqual([expect.objectContaining({ status: 'paid' })]);
  });

  it('answer 200 at once for other events and for payments that are not our orders’', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    paystack.pay(reference);
    const changes = await changeCount();
    const verifies = verifyRequests(reference);
    for (const event of ['transfer.success', 'charge.dispute.create', 'subscription.create']) {
      expect(await paystack.postWebhook(status.paymentHooks.paystack, reference, { event })).toEqual({
        status: 200,
        body: { outcome: 'ignored' },
      });
    }
    expect(verifyRequests(reference)).toBe(verifies);
    // The shop's Paystack account takes other payments too (a payment link, its POS).
    const other = await fetch(`${paystack.url}/transaction/initialize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${paystack.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'walkin@example.com',
        amount: 50_000,
        reference: 'POS-2026-0001',
        callback_url: 'https://example.com/paid',
      }),
    });
    expect(other.status).toBe(200);
    paystack.pay('POS-2026-0001');
    expect(await paystack.postWebhook(status.paymentHooks.paystack, 'POS-2026-0001')).toEqual({
      status: 200,
      body: { outcome: 'ignored' },
    });
    const notJson = await fetch(status.paymentHooks.paystack, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paystack-signature': '' },
      body: 'not json',
    });
    expect(notJson.status).toBe(401);
    expect(await changeCount()).toBe(changes);
    expect(await serverPayments(id)).toEqual([]);
    expect(await metricsText()).toMatch(
      /kasuwa_webhooks_total\{provider="paystack",outcome="ignored"\} [4-9]/,
    );
  });
});

// ── Flutterwave ──────────────────────────────────────────────────────────────────────────────

const newestTransaction = (txRef: string) => {
  const found = [...flutterwave.transactions.values()].filter((each) => each.tx_ref === txRef).at(-1);
  if (found === undefined) throw new Error(`no Flutterwave transaction under ${txRef}`);
  return found.id;
};

describe('Flutterwave webhooks', () => {
  it('record a payment carrying the secret hash once, verified by transaction id, and the counter pulls it', async () => {
    const { id, reference } = await orderPaidWith('flutterwave');
    flutterwave.pay(reference);
    const transaction = newestTransaction(reference);
    const secretHash = status.paymentHooks.flutterwaveSecretHash;
    expect(
      await flutterwave.postWebhook(status.paymentHooks.flutterwave, transaction, { secretHash }),
    ).toEqual({
      status: 200,
      body: { outcome: 'recorded', status: 'paid' },
    });
    expect(flutterwave.requests.at(-1)?.path).toBe(`/v3/transactions/${transaction}/verify`);
    expect(await serverPayments(id)).toEqual([
      expect.objectContaining({ provider: 'flutterwave', reference, status: 'paid', amountKobo: PRICE_KOBO }),
    ]);
    const here = await atCounter(id);
    expect(here.payments).toEqual(['paid']);
    expect(here.order.paymentStatus).toBe('paid');
  });

  it('refuse a wrong or missing verif-hash, recording nothing', async () => {
    const { id, reference } = await orderPaidWith('flutterwave');
    flutterwave.pay(reference);
    const transaction = newestTransaction(reference);
    const changes = await changeCount();
    const url = status.paymentHooks.flutterwave;
    expect((await flutterwave.postWebhook(url, transaction, { secretHash: 'guessed-hash' })).status).toBe(
      401,
    );
    expect((await flutterwave.postWebhook(url, transaction, { secretHash: null })).status).toBe(401);
    const hooks = await ok<{ termii: string }>(server.url, 'GET', '/v1/hooks', { token });
    // The key in the URL is not the secret hash: knowing the URL is not enough.
    const key = hooks.termii.split('/').at(-1) ?? '';
    expect((await flutterwave.postWebhook(url, transaction, { secretHash: key })).status).toBe(401);
    expect(await changeCount()).toBe(changes);
    expect(await serverPayments(id)).toEqual([]);
  });

  it('and the redirect record one payment; another amount or currency is failed; other events are ignored', async () => {
    const secretHash = status.paymentHooks.flutterwaveSecretHash;
    const url = status.paymentHooks.flutterwave;
    const paid = await orderPaidWith('flutterwave');
    const back = flutterwave.pay(paid.reference);
    await call(server.url, 'GET', pathOf(back));
    expect(await flutterwave.postWebhook(url, newestTransaction(paid.reference), { secretHash })).toEqual({
      status: 200,
      body: { outcome: 'repeated', status: 'paid' },
    });
    expect(await serverPayments(paid.id)).toHaveLength(1);

    const short = await orderPaidWith('flutterwave');
    flutterwave.pay(short.reference, { amountNaira: 100 });
    expect(await flutterwave.postWebhook(url, newestTransaction(short.reference), { secretHash })).toEqual({
      status: 200,
      body: { outcome: 'recorded', status: 'failed' },
    });
    const dollars = await orderPaidWith('flutterwave');
    flutterwave.pay(dollars.reference, { currency: 'USD' });
    await flutterwave.postWebhook(url, newestTransaction(dollars.reference), { secretHash });
    expect((await serverPayments(dollars.id)).map((row) => row.status)).toEqual(['failed']);

    const ignored = await orderPaidWith('flutterwave');
    flutterwave.pay(ignored.reference);
    const changes = await changeCount();
    expect(
      await flutterwave.postWebhook(url, newestTransaction(ignored.reference), {
        secretHash,
        event: 'transfer.completed',
      }),
    ).toEqual({ status: 200, body: { outcome: 'ignored' } });
    expect(await changeCount()).toBe(changes);
  });
});

// ── Check payment at the counter ─────────────────────────────────────────────────────────────

describe('checking a payment from the counter', () => {
  const check = (orderId: string, as = token) =>
    call<StorePaymentCheck>(server.url, 'POST', `/v1/storefront/orders/${orderId}/verify`, {
      token: as,
      body: {},
    });

  it('records a Paystack payment whose shopper never came back, once', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    expect(await check(id)).toMatchObject({
      status: 200,
      body: { orderId: id, outcome: 'pending', added: false, payment: null },
    });
    paystack.pay(reference);
    const first = await check(id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      outcome: 'paid',
      added: true,
      payment: { orderId: id, provider: 'paystack', reference, status: 'paid', amountKobo: PRICE_KOBO },
    });
    expect(await check(id)).toMatchObject({ body: { outcome: 'paid', added: false } });
    // Paystack's webhook arriving late changes nothing.
    expect((await paystack.postWebhook(status.paymentHooks.paystack, reference)).body).toEqual({
      outcome: 'repeated',
      status: 'paid',
    });
    expect(await serverPayments(id)).toHaveLength(1);
  });

  it('finds the try that was paid when the shopper opened the checkout again, and Flutterwave by reference', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    paystack.pay(reference);
    // Back at the store without the callback, the shopper presses Pay again and leaves.
    const again = await fetch(`${server.url}/s/${SLUG}/order/${id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.41.0.1' },
      body: '',
      redirect: 'manual',
    });
    expect(again.status).toBe(303);
    expect((await check(id)).body).toMatchObject({ outcome: 'paid', payment: { reference } });

    const flw = await orderPaidWith('flutterwave');
    expect((await check(flw.id)).body).toMatchObject({ outcome: 'pending', payment: null });
    flutterwave.pay(flw.reference);
    const paid = await check(flw.id);
    expect(flutterwave.requests.at(-1)?.path).toBe(
      `/v3/transactions/verify_by_reference?tx_ref=${encodeURIComponent(flw.reference)}`,
    );
    expect(paid.body).toMatchObject({ outcome: 'paid', added: true, payment: { reference: flw.reference } });
    // Its webhook, by transaction id, is the same payment.
    const webhook = await flutterwave.postWebhook(
      status.paymentHooks.flutterwave,
      newestTransaction(flw.reference),
      {
        secretHash: status.paymentHooks.flutterwaveSecretHash,
      },
    );
    expect(webhook.body).toEqual({ outcome: 'repeated', status: 'paid' });
    expect(await serverPayments(flw.id)).toHaveLength(1);
  });

  it('records a payment that did not go through as failed', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    paystack.pay(reference, { status: 'failed' });
    expect((await check(id)).body).toMatchObject({
      outcome: 'failed',
      added: true,
      payment: { status: 'failed' },
    });
  });

  it('refuses orders it cannot check, and callers without a device token', async () => {
    const transfer = await call<{ id: string }>(server.url, 'POST', `/s/${SLUG}/order`, {
      headers: { 'x-forwarded-for': '10.42.0.1' },
      body: {
        items: [{ productId, quantity: 1 }],
        name: 'Tunde Bakare',
        phone: '+2348091234567',
        email: '',
        state: 'Lagos',
        lgaCity: 'Yaba',
        address: '4 Herbert Macaulay Way',
        delivery: 'pickup',
        payment: 'bankTransfer',
        note: '',
      },
    });
    expect(transfer.status).toBe(201);
    expect((await check(transfer.body.id)).status).toBe(400);
    expect((await check('0190a5c2-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await check('not-an-id')).status).toBe(404);
    const { id } = await orderPaidWith('paystack');
    expect((await check(id, 'not-a-token')).status).toBe(401);
  });

  it('at the counter: store:checkPayment asks the server, then a sync pass brings the payment', async () => {
    const { id, reference } = await orderPaidWith('paystack');
    await counter.sync1();
    expect(counter.storeOrders.get(id).paymentStatus).toBe('awaiting-payment');
    // Not paid yet: the order stays as it is.
    expect((await counter.store.checkPayment(id)).paymentStatus).toBe('awaiting-payment');
    paystack.pay(reference);
    const order = await counter.store.checkPayment(id);
    expect(order).toMatchObject({ id, paymentStatus: 'paid', paymentReference: reference });
    const rows = (await atCounter(id)).payments;
    expect(rows).toEqual(['paid']);
    const row = (await serverPayments(id))[0];
    expect(row).toBeDefined();
    // The same row the server recorded, by its derived id.
    const held = counter.db.sqlite
      .prepare<[string], { id: string }>('SELECT id FROM store_payments WHERE order_id = ?')
      .all(id);
    expect(held.map((each) => each.id)).toEqual([row?.id]);
  });

  it('at the counter: an order that is not online-paid is refused with a sentence', async () => {
    const transfer = (await counter.sync1(),
    counter.storeOrders.list({ status: 'all', offset: 0, limit: 200 })).rows.find(
      (order) => order.paymentMethod === 'bankTransfer',
    );
    if (transfer === undefined) throw new Error('no bank transfer order at the counter');
    await expect(counter.store.checkPayment(transfer.id)).rejects.toThrow(/not paid online/);
  });
});
