/**
 * The online store on the sync server against a real PostgreSQL and fake Paystack and Flutterwave
 * servers on 127.0.0.1: publishing by hash (missing → upload → put), slugs and domains of other
 * businesses refused, the site served with its types, gzip, ETags, 304s, its own 404 page and on
 * its custom domain by Host header (the server's own routes untouched), paths that try to leave
 * the site refused, form and JSON orders priced by the server and pulled by the counters, the last
 * unit sold once under concurrent orders and given back by a cancellation, both providers end to
 * end through their callbacks (a repeated callback recorded once, a wrong amount recorded as
 * failed, a provider that fails or goes silent leaving the order unpaid with a clear page),
 * the per-address order limit, and clear 400s for bad forms and bad JSON. The same publish,
 * serve and order also run once on the embedded database.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids';
import type { StorefrontConfig } from '../../shared/store/storefront';
import {
  checkMutation,
  type Change,
  type PairResponse,
  type PullResponse,
  type PushResponse,
  type StoreOrderRow,
  type StoreOrderUpdateRow,
  type StorePaymentRow,
} from '../../shared/sync/protocol';
import {
  acceptsGzip,
  contentTypeFor,
  etagMatches,
  isSitePath,
  normalHost,
  requestedSitePath,
} from '../../server/store/site-files';
import {
  startFakeFlutterwave,
  startFakePaystack,
  type FakeFlutterwave,
  type FakePaystack,
} from '../support/fake-payments';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { call, newBusiness, ok, startServerApp, type RunningServer } from '../support/sync-server-app';
import { mutation } from '../support/sync-rows';

let cluster: PostgresCluster;
let server: RunningServer;
let paystack: FakePaystack;
let flutterwave: FakeFlutterwave;

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
      // Shoppers are told apart by X-Forwarded-For, so each test orders from its own address.
      trustProxy: true,
    },
  );
});

afterAll(async () => {
  await server.close();
  await paystack.close();
  await flutterwave.close();
  await cluster.stop();
});

// ── Requests ─────────────────────────────────────────────────────────────────────────────────

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** One request with the path sent exactly as given (no URL normalising) and no redirect followed. */
function raw(
  method: string,
  requestPath: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; base?: RunningServer } = {},
): Promise<RawAnswer> {
  const target = options.base ?? server;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        method,
        path: requestPath,
        headers: options.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            text: body.toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

let addresses = 0;
/** A shopper's own client address. */
const newShopper = () => {
  addresses += 1;
  return `10.20.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

type FormFields = [string, string][];

function postForm(
  requestPath: string,
  fields: FormFields,
  shopper: string,
  headers: Record<string, string> = {},
  base?: RunningServer,
) {
  return raw('POST', requestPath, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': shopper, ...headers },
    body: new URLSearchParams(fields).toString(),
    base,
  });
}

interface JsonAnswer<T> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

async function postJson<T>(requestPath: string, body: unknown, shopper: string): Promise<JsonAnswer<T>> {
  const answer = await raw('POST', requestPath, {
    headers: { 'content-type': 'application/json', 'x-forwarded-for': shopper },
    body: JSON.stringify(body),
  });
  return { status: answer.status, body: JSON.parse(answer.text) as T, headers: answer.headers };
}

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

async function pullAll(token: string, after = 0, base: RunningServer = server): Promise<Change[]> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const page = await ok<PullResponse>(base.url, 'GET', `/v1/pull?after=${cursor}&limit=500`, { token });
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

async function pulled<T>(token: string, entity: string, base: RunningServer = server): Promise<T[]> {
  const changes = (await pullAll(token, 0, base)).filter((change) => change.entity === entity);
  for (const change of changes) expect(checkMutation(change).ok).toBe(true);
  return changes.map((change) => change.data as T);
}

async function orderRow(token: string, id: string): Promise<StoreOrderRow> {
  const row = (await pulled<StoreOrderRow>(token, 'store_order')).find((order) => order.id === id);
  if (row === undefined) throw new Error(`order ${id} was not pulled`);
  return row;
}

const cursorOf = async (token: string, base: RunningServer = server) =>
  (await ok<{ cursor: number }>(base.url, 'GET', '/v1/me', { token })).cursor;

async function changeCount(businessId: string): Promise<number> {
  const result = await server.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM changes WHERE business_id = $1',
    [businessId],
  );
  return result.rows[0]?.n ?? -1;
}

// ── A store ──────────────────────────────────────────────────────────────────────────────────

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

interface Product {
  id: string;
  name: string;
  priceKobo: number;
  available: number;
}

function product(name: string, priceKobo: number, available: number): Product {
  return { id: uuidv7(), name, priceKobo, available };
}

function configFor(
  slug: string,
  products: Product[],
  payments: StorefrontConfig['payments'] = allPayments,
): StorefrontConfig {
  return {
    slug,
    name: 'Mama Nkechi Provisions',
    whatsapp: '2348031234567',
    phone: '0803 123 4567',
    shopState: 'Lagos',
    products,
    zones: [
      {
        id: 'lagos-mainland',
        name: 'Lagos Mainland',
        priceKobo: 150_000,
        states: ['Lagos'],
        days: { min: 1, max: 2 },
      },
      {
        id: 'south-west',
        name: 'South-West',
        priceKobo: 250_000,
        states: ['Ogun', 'Oyo'],
        days: { min: 2, max: 4 },
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
      {
        id: 'gig',
        label: 'GIG Logistics',
        pricing: 'zone',
        priceKobo: 50_000,
        days: { min: 0, max: 1 },
        note: '',
      },
    ],
    payments,
  };
}

const allPayments: StorefrontConfig['payments'] = [
  { id: 'payOnDelivery', label: 'Pay on delivery', instructions: 'Pay the rider in cash or by transfer.' },
  { id: 'bankTransfer', label: 'Bank transfer', instructions: 'GTBank 0123456789 — Mama Nkechi Provisions' },
  { id: 'paystack', label: 'Card (Paystack)', instructions: '' },
  { id: 'flutterwave', label: 'Card or USSD (Flutterwave)', instructions: '' },
];
const offlinePayments = allPayments.slice(0, 2);

interface SiteFile {
  path: string;
  contentType: string;
  body: Buffer;
}

function siteFiles(products: Product[], version = 1): SiteFile[] {
  const list = products
    .map((item) => `<li><a href="p/${item.id}.html">${item.name}</a> — in stock</li>`)
    .join('');
  const index = `<!doctype html><html lang="en-NG"><head><meta charset="utf-8"><title>Mama Nkechi Provisions</title><link rel="stylesheet" href="styles.css"></head><body><h1>Mama Nkechi Provisions v${version}</h1><ul>${list}</ul>${'<p>Fresh foodstuff, delivered across Lagos and the South-West. Order before noon for delivery tomorrow.</p>'.repeat(20)}</body></html>`;
  // Bytes that do not shrink, as a WebP does not.
  const picture = Buffer.from(
    Array.from({ length: 4_000 }, (_, i) => createHash('sha256').update(String(i)).digest()[0] ?? 0),
  );
  return [
    { path: 'index.html', contentType: 'text/html; charset=utf-8', body: Buffer.from(index) },
    {
      path: 'styles.css',
      contentType: 'text/css; charset=utf-8',
      body: Buffer.from(`body{font-family:system-ui}${'.x{margin:0}'.repeat(200)}`),
    },
    { path: 'img/rice-320.webp', contentType: 'image/webp', body: picture },
    {
      path: 'p/rice.html',
      contentType: 'text/html; charset=utf-8',
      body: Buffer.from('<!doctype html><title>Rice</title><h1>Rice 5 kg</h1>'),
    },
    {
      path: '404.html',
      contentType: 'text/html; charset=utf-8',
      body: Buffer.from('<!doctype html><title>Not here</title><h1>This page is not in the store</h1>'),
    },
  ];
}

interface Published {
  url: string;
  customDomain: string | null;
  publishedAt: number;
  files: number;
}

async function upload(token: string, files: SiteFile[], base: RunningServer = server): Promise<string[]> {
  const { missing } = await ok<{ missing: string[] }>(base.url, 'POST', '/v1/storefront/missing', {
    token,
    body: { hashes: files.map((file) => sha256(file.body)) },
  });
  for (const file of files) {
    const hash = sha256(file.body);
    if (!missing.includes(hash)) continue;
    const answer = await call(base.url, 'PUT', `/v1/storefront/blobs/${hash}`, {
      token,
      rawBody: new Uint8Array(file.body),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(answer.status).toBe(204);
  }
  return missing;
}

async function publish(
  token: string,
  slug: string,
  products: Product[],
  options: {
    customDomain?: string | null;
    paymentKeys?: { paystack?: string | null; flutterwave?: string | null };
    payments?: StorefrontConfig['payments'];
    cursor?: number;
    files?: SiteFile[];
    base?: RunningServer;
  } = {},
) {
  const base = options.base ?? server;
  const files = options.files ?? siteFiles(products);
  await upload(token, files, base);
  return call<Published>(base.url, 'PUT', '/v1/storefront', {
    token,
    body: {
      slug,
      customDomain: options.customDomain ?? null,
      files: files.map((file) => ({
        path: file.path,
        sha256: sha256(file.body),
        contentType: file.contentType,
      })),
      config: configFor(slug, products, options.payments ?? offlinePayments),
      cursor: options.cursor ?? (await cursorOf(token, base)),
      ...(options.paymentKeys === undefined ? {} : { paymentKeys: options.paymentKeys }),
    },
  });
}

const customer = (payment: string, extra: FormFields = []): FormFields => [
  ['name', 'Adaeze Okafor'],
  ['phone', '0803 555 0101'],
  ['email', 'adaeze@example.com'],
  ['state', 'Lagos'],
  ['lgaCity', 'Ikeja'],
  ['address', '12 Allen Avenue'],
  ['delivery', 'gig'],
  ['payment', payment],
  ['note', 'Call when you are at the gate'],
  ...extra,
];

const jsonOrder = (
  items: { productId: string; quantity: number }[],
  payment = 'bankTransfer',
  extra: Record<string, unknown> = {},
) => ({
  items,
  name: 'Tunde Bakare',
  phone: '+2348091234567',
  email: 'tunde@example.com',
  state: 'Ogun',
  lgaCity: 'Abeokuta',
  address: '4 Ibara Road',
  delivery: 'gig',
  payment,
  note: '',
  ...extra,
});

const orderIdFrom = (location: string | string[] | undefined) => {
  const match = /\/order\/([0-9a-f-]{36})$/.exec(String(location));
  if (match?.[1] === undefined) throw new Error(`no order in ${String(location)}`);
  return match[1];
};

// ── Pure rules ───────────────────────────────────────────────────────────────────────────────

describe('site file rules', () => {
  it('takes only paths inside the site, published or requested', () => {
    for (const good of ['index.html', 'p/rice-5kg.html', 'img/rice-320.webp', 'legal/privacy.html']) {
      expect(isSitePath(good)).toBe(true);
    }
    for (const bad of [
      '',
      '/index.html',
      '../x.html',
      'a/../../x',
      'a//b',
      './a',
      'a\\b',
      'a%2e',
      'a?b',
      'a\u0000b',
      'x/',
    ]) {
      expect(isSitePath(bad), bad).toBe(false);
    }
    const table: [string, string | null][] = [
      ['', 'index.html'],
      ['p/', 'p/index.html'],
      ['img/rice-320.webp?v=2', 'img/rice-320.webp'],
      ['p/jollof%20rice.html', 'p/jollof rice.html'],
      ['..', null],
      ['../../etc/passwd', null],
      ['%2e%2e/%2e%2e/etc/passwd', null],
      ['img/..%2f..%2fsecret', null],
      ['..%5cindex.html', null],
      ['index.html%00.webp', null],
      ['a//b', null],
      ['%E0%A4%A', null],
    ];
    for (const [asked, path] of table) expect(requestedSitePath(asked), asked).toBe(path);
  });

  it('serves by extension, declared types only when they cannot run, and reads the request headers', () => {
    expect(contentTypeFor('about.html', 'image/png')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('img/a.webp', 'text/html')).toBe('image/webp');
    expect(contentTypeFor('files/menu', 'image/png')).toBe('image/png');
    expect(contentTypeFor('files/menu', 'text/html')).toBe('application/octet-stream');
    expect(contentTypeFor('files/menu', 'image/svg+xml')).toBe('application/octet-stream');
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(etagMatches('W/"abc", "def"', 'def')).toBe(true);
    expect(etagMatches('"abc"', 'def')).toBe(false);
    expect(normalHost('Shop.Example.COM.ng:8443')).toBe('shop.example.com.ng');
    expect(normalHost('shop.example.ng.')).toBe('shop.example.ng');
    expect(normalHost('[::1]:8787')).toBe('[::1]');
  });
});

// ── Publishing ───────────────────────────────────────────────────────────────────────────────

describe('publishing', () => {
  let shop: PairResponse;
  let other: PairResponse;
  const products = [
    product('Rice 5 kg', 850_000, 10),
    product('Palm oil 1 L', 250_000, 4),
    product('Garri 2 kg', 120_000, 7),
  ];

  beforeAll(async () => {
    shop = await newBusiness(server.url, 'Mama Nkechi Provisions');
    other = await newBusiness(server.url, 'Alhaji Musa Foods');
  });

  it('uploads only what the server lacks, then swaps the site live', async () => {
    const files = siteFiles(products);
    const uploaded = await upload(shop.token, files);
    expect(uploaded).toHaveLength(files.length);
    // Asked again, nothing is missing; another business holds none of it.
    expect(await upload(shop.token, files)).toEqual([]);
    const theirs = await ok<{ missing: string[] }>(server.url, 'POST', '/v1/storefront/missing', {
      token: other.token,
      body: { hashes: [sha256(files[0]?.body ?? Buffer.alloc(0))] },
    });
    expect(theirs.missing).toHaveLength(1);

    const answer = await publish(shop.token, 'mama-nkechi', products, {
      customDomain: 'Shop.MamaNkechi.com.ng',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      url: '/s/mama-nkechi/',
      customDomain: 'shop.mamankechi.com.ng',
      files: 5,
    });
    expect(answer.body.publishedAt).toBeGreaterThan(0);

    const live = await ok<{ slug: string; files: number; config: StorefrontConfig; paymentKeys: unknown }>(
      server.url,
      'GET',
      '/v1/storefront',
      { token: shop.token },
    );
    expect(live).toMatchObject({
      slug: 'mama-nkechi',
      files: 5,
      paymentKeys: { paystack: false, flutterwave: false },
    });
    expect(live.config.products).toHaveLength(3);
    expect((await call(server.url, 'GET', '/v1/storefront', { token: other.token })).status).toBe(404);
  });

  it('checks each upload: its hash, its device, its size', async () => {
    const body = Buffer.from('<p>hello</p>');
    const wrong = await call<{ error: { code: string; message: string } }>(
      server.url,
      'PUT',
      `/v1/storefront/blobs/${sha256(Buffer.from('something else'))}`,
      {
        token: shop.token,
        rawBody: new Uint8Array(body),
        headers: { 'content-type': 'application/octet-stream' },
      },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/damaged on the way/);
    const anonymous = await call(server.url, 'PUT', `/v1/storefront/blobs/${sha256(body)}`, {
      rawBody: new Uint8Array(body),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(anonymous.status).toBe(401);
    const large = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
    const tooLarge = await call(server.url, 'PUT', `/v1/storefront/blobs/${sha256(large)}`, {
      token: shop.token,
      rawBody: new Uint8Array(large),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(tooLarge.status).toBe(413);
    const badName = await call(server.url, 'PUT', '/v1/storefront/blobs/not-a-hash', {
      token: shop.token,
      rawBody: new Uint8Array(body),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(badName.status).toBe(400);
    // The same bytes twice are fine.
    for (let i = 0; i < 2; i += 1) {
      const again = await call(server.url, 'PUT', `/v1/storefront/blobs/${sha256(body)}`, {
        token: shop.token,
        rawBody: new Uint8Array(body),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(again.status).toBe(204);
    }
  });

  it('refuses a slug or a domain of another business with 409, and the server’s own host as a domain', async () => {
    const clash = await publish(other.token, 'mama-nkechi', products);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: { code: 'slug_taken', details: { field: 'slug' } } });
    expect(JSON.stringify(clash.body)).toMatch(
      /Another business already has the store address \/s\/mama-nkechi\//,
    );
    const domain = await publish(other.token, 'alhaji-musa', products, {
      customDomain: 'shop.mamankechi.com.ng',
    });
    expect(domain.status).toBe(409);
    expect(domain.body).toMatchObject({
      error: { code: 'domain_taken', details: { field: 'customDomain' } },
    });
    // The counter reaches this server as 127.0.0.1, which is no name; a name it reaches it by is refused.
    const own = await call(server.url, 'PUT', '/v1/storefront', {
      token: other.token,
      headers: { 'x-forwarded-host': 'sync.kasuwa.example' },
      body: {
        slug: 'alhaji-musa',
        customDomain: 'sync.kasuwa.example',
        files: siteFiles(products).map((file) => ({
          path: file.path,
          sha256: sha256(file.body),
          contentType: file.contentType,
        })),
        config: configFor('alhaji-musa', products, offlinePayments),
        cursor: 0,
      },
    });
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({ error: { code: 'domain_reserved' } });
    // Nothing of the refused publishes went live.
    expect((await call(server.url, 'GET', '/v1/storefront', { token: other.token })).status).toBe(404);
  });

  it('refuses a missing file, an unsafe path, a bad config, a cursor ahead of the server and an online method without its key', async () => {
    const files = siteFiles(products);
    const unsent = {
      path: 'img/unsent.webp',
      contentType: 'image/webp',
      body: Buffer.from('never uploaded'),
    };
    const body = (overrides: Record<string, unknown>) => ({
      slug: 'alhaji-musa',
      customDomain: null,
      files: files.map((file) => ({
        path: file.path,
        sha256: sha256(file.body),
        contentType: file.contentType,
      })),
      config: configFor('alhaji-musa', products, offlinePayments),
      cursor: 0,
      ...overrides,
    });
    await upload(other.token, files);
    const put = (overrides: Record<string, unknown>) =>
      call<{ error: { code: string; message: string; details?: { field: string } } }>(
        server.url,
        'PUT',
        '/v1/storefront',
        {
          token: other.token,
          body: body(overrides),
        },
      );

    const missing = await put({
      files: [...files, unsent].map((file) => ({
        path: file.path,
        sha256: sha256(file.body),
        contentType: file.contentType,
      })),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'blob_missing', details: { field: 'files' } });
    expect(missing.body.error.message).toMatch(/img\/unsent\.webp/);

    const escape = await put({
      files: [
        {
          path: '../escape.html',
          sha256: sha256(files[0]?.body ?? Buffer.alloc(0)),
          contentType: 'text/html',
        },
      ],
    });
    expect(escape.status).toBe(400);
    expect(escape.body.error.code).toBe('invalid_input');

    const badConfig = await put({
      config: {
        ...configFor('alhaji-musa', products),
        products: [{ id: 'x', name: '', priceKobo: -1, available: 0 }],
      },
    });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.message).toMatch(/config\.products/);

    const ahead = await put({ cursor: 1_000_000 });
    expect(ahead.status).toBe(400);
    expect(ahead.body.error.details?.field).toBe('cursor');

    const noKey = await put({ config: configFor('alhaji-musa', products, allPayments) });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toMatchObject({
      code: 'payment_key_missing',
      details: { field: 'paymentKeys' },
    });
    expect(noKey.body.error.message).toMatch(/Paystack is on in the store/);

    const publicKey = await put({
      config: configFor('alhaji-musa', products, allPayments),
      paymentKeys: { paystack: 'pk_test_0123456789abcdef0123456789', flutterwave: flutterwave.secretKey },
    });
    expect(publicKey.status).toBe(400);
    expect(publicKey.body.error.message).toMatch(/public key/);
    expect((await call(server.url, 'GET', '/v1/storefront', { token: other.token })).status).toBe(404);
  });

  it('keeps payment keys it is given and never hands them back', async () => {
    const keyed = await publish(other.token, 'alhaji-musa', products, {
      payments: allPayments,
      paymentKeys: { paystack: paystack.secretKey, flutterwave: flutterwave.secretKey },
    });
    expect(keyed.status).toBe(200);
    // Absent keys are kept.
    const kept = await publish(other.token, 'alhaji-musa', products, { payments: allPayments });
    expect(kept.status).toBe(200);
    const live = await call(server.url, 'GET', '/v1/storefront', { token: other.token });
    expect(live.body).toMatchObject({ paymentKeys: { paystack: true, flutterwave: true } });
    const text = JSON.stringify(live.body) + JSON.stringify(keyed.body) + JSON.stringify(kept.body);
    expect(text).not.toContain(paystack.secretKey);
    expect(text).not.toContain(flutterwave.secretKey);
    // Null removes one: then the config may not offer it.
    const removed = await publish(other.token, 'alhaji-musa', products, {
      payments: allPayments.filter((payment) => payment.id !== 'flutterwave'),
      paymentKeys: { flutterwave: null },
    });
    expect(removed.status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/storefront', { token: other.token })).body).toMatchObject({
      paymentKeys: { paystack: true, flutterwave: false },
    });
  });
});

// ── Serving ──────────────────────────────────────────────────────────────────────────────────

describe('serving the site', () => {
  let shop: PairResponse;
  const products = [product('Beans 1 kg', 180_000, 20)];
  const files = siteFiles(products);
  const file = (name: string) => {
    const found = files.find((candidate) => candidate.path === name);
    if (found === undefined) throw new Error(name);
    return found;
  };

  beforeAll(async () => {
    shop = await newBusiness(server.url, 'Iya Bisi Foods');
    const answer = await publish(shop.token, 'iya-bisi', products, { customDomain: 'iyabisi.com.ng', files });
    expect(answer.status).toBe(200);
  });

  it('serves each file with its type, ETag and cache lifetime, gzipped when the browser takes it', async () => {
    const redirect = await raw('GET', '/s/iya-bisi?ref=wa');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/s/iya-bisi/?ref=wa');

    const home = await raw('GET', '/s/iya-bisi/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.headers.etag).toBe(`"${sha256(file('index.html').body)}"`);
    expect(home.headers['cache-control']).toBe('public, max-age=60');
    expect(home.headers['content-encoding']).toBeUndefined();
    expect(home.body.equals(file('index.html').body)).toBe(true);

    const zipped = await raw('GET', '/s/iya-bisi/index.html', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.body.length).toBeLessThan(file('index.html').body.length / 2);
    expect(gunzipSync(zipped.body).equals(file('index.html').body)).toBe(true);

    const picture = await raw('GET', '/s/iya-bisi/img/rice-320.webp', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(picture.status).toBe(200);
    expect(picture.headers['content-type']).toBe('image/webp');
    expect(picture.headers['content-encoding']).toBeUndefined();
    expect(picture.headers['cache-control']).toBe('public, max-age=86400');
    expect(picture.body.equals(file('img/rice-320.webp').body)).toBe(true);

    const css = await raw('GET', '/s/iya-bisi/styles.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['x-content-type-options']).toBe('nosniff');

    const again = await raw('GET', '/s/iya-bisi/img/rice-320.webp', {
      headers: { 'if-none-match': picture.headers.etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const changed = await raw('GET', '/s/iya-bisi/img/rice-320.webp', {
      headers: { 'if-none-match': '"0000"' },
    });
    expect(changed.status).toBe(200);

    const head = await raw('HEAD', '/s/iya-bisi/');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(home.headers.etag);

    // A page without its extension, as static hosts allow.
    const clean = await raw('GET', '/s/iya-bisi/p/rice');
    expect(clean.status).toBe(200);
    expect(clean.text).toContain('Rice 5 kg');
  });

  it('answers an unknown page with the site’s own 404 page, and an unknown store with a plain one', async () => {
    const missing = await raw('GET', '/s/iya-bisi/yam.html');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(missing.text).toContain('This page is not in the store');
    // Deeper down, the site's 404 page's relative links would point nowhere: the server's own
    // page links back from the site root.
    const deep = await raw('GET', '/s/iya-bisi/p/yam.html');
    expect(deep.status).toBe(404);
    expect(deep.text).toContain('This store has no such page.');
    expect(deep.text).toContain('href="/s/iya-bisi/"');
    const none = await raw('GET', '/s/no-such-store/');
    expect(none.status).toBe(404);
    expect(none.text).toMatch(/There is no store here/);
  });

  it('refuses paths that try to leave the site', async () => {
    for (const attempt of [
      '/s/iya-bisi/../../v1/me',
      '/s/iya-bisi/%2e%2e/%2e%2e/etc/passwd',
      '/s/iya-bisi/img/..%2f..%2f..%2fv1%2fstorefront',
      '/s/iya-bisi/..%5cindex.html',
      '/s/iya-bisi/index.html%00.webp',
      '/s/iya-bisi/p//rice.html',
    ]) {
      const answer = await raw('GET', attempt, { headers: { authorization: `Bearer ${shop.token}` } });
      expect(answer.status, attempt).toBe(400);
      expect(answer.text).not.toContain('Mama Nkechi Provisions v1');
      expect(answer.text).not.toContain('"deviceId"');
    }
    const onDomain = await raw('GET', '/%2e%2e/%2e%2e/etc/passwd', { headers: { host: 'iyabisi.com.ng' } });
    expect(onDomain.status).toBe(400);
  });

  it('serves the same site at / on its custom domain, leaving the server’s routes and hosts alone', async () => {
    const home = await raw('GET', '/', {
      headers: { host: 'IyaBisi.com.ng:443', 'accept-encoding': 'gzip' },
    });
    expect(home.status).toBe(200);
    expect(gunzipSync(home.body).equals(file('index.html').body)).toBe(true);
    const page = await raw('GET', '/p/rice.html', { headers: { host: 'iyabisi.com.ng' } });
    expect(page.text).toContain('Rice 5 kg');
    const missing = await raw('GET', '/nothing.html', { headers: { host: 'iyabisi.com.ng' } });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('This page is not in the store');

    // The server's own routes keep their answers on the store's host …
    const health = await raw('GET', '/health', { headers: { host: 'iyabisi.com.ng' } });
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    // … and on the server's own host (and any other) the root is no store.
    for (const host of [`127.0.0.1:${server.port}`, 'unknown-shop.com.ng']) {
      const root = await raw('GET', '/', { headers: { host } });
      expect(root.status).toBe(404);
      expect(JSON.parse(root.text)).toMatchObject({ error: { code: 'not_found' } });
    }
    const unknownPost = await raw('POST', '/order', {
      headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unknownPost.status).toBe(404);
  });

  it('follows a republish at once: new files, and a moved domain leaves the old one', async () => {
    const next = siteFiles(products, 2);
    const answer = await publish(shop.token, 'iya-bisi', products, {
      customDomain: 'www.iyabisi.ng',
      files: next,
    });
    expect(answer.status).toBe(200);
    const home = await raw('GET', '/s/iya-bisi/');
    expect(home.text).toContain('Mama Nkechi Provisions v2');
    expect((await raw('GET', '/', { headers: { host: 'www.iyabisi.ng' } })).text).toContain('v2');
    expect((await raw('GET', '/', { headers: { host: 'iyabisi.com.ng' } })).status).toBe(404);
  });
});

// ── Orders ───────────────────────────────────────────────────────────────────────────────────

describe('orders', () => {
  let shop: PairResponse;
  const rice = product('Rice 5 kg', 850_000, 10);
  const oil = product('Palm oil 1 L', 250_050, 5);

  beforeAll(async () => {
    shop = await newBusiness(server.url, 'Chika Stores');
    const answer = await publish(shop.token, 'chika', [rice, oil], { customDomain: 'chika.com.ng' });
    expect(answer.status).toBe(200);
  });

  it('takes a form order, prices it itself, and the counters pull it', async () => {
    const answer = await postForm(
      '/s/chika/order',
      customer('payOnDelivery', [
        ['item', `${rice.id}:2`],
        ['item', `${oil.id}:1`],
        // A price in the form is not believed.
        ['priceKobo', '1'],
      ]),
      newShopper(),
    );
    expect(answer.status).toBe(303);
    const id = orderIdFrom(answer.headers.location);
    expect(answer.headers.location).toBe(`/s/chika/order/${id}`);

    const row = await orderRow(shop.token, id);
    expect(row).toMatchObject({
      number: 1001,
      customer: {
        name: 'Adaeze Okafor',
        phone: '+2348035550101',
        state: 'Lagos',
        lgaCity: 'Ikeja',
        address: '12 Allen Avenue',
      },
      delivery: {
        option: 'gig',
        label: 'GIG Logistics',
        zoneId: 'lagos-mainland',
        priceKobo: 200_000,
        quoted: false,
      },
      payment: { method: 'payOnDelivery', status: 'on-delivery' },
      subtotalKobo: 2 * 850_000 + 250_050,
      totalKobo: 2 * 850_000 + 250_050 + 200_000,
      note: 'Call when you are at the gate',
      test: false,
    });
    expect(row.lines).toEqual([
      { productId: rice.id, name: 'Rice 5 kg', unitPriceKobo: 850_000, quantity: 2, totalKobo: 1_700_000 },
      { productId: oil.id, name: 'Palm oil 1 L', unitPriceKobo: 250_050, quantity: 1, totalKobo: 250_050 },
    ]);

    const page = await raw('GET', `/s/chika/order/${id}`);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<link rel="stylesheet" href="/s/chika/styles.css">');
    expect(page.text).toContain('order <strong>1001</strong>');
    expect(page.text).toContain('Rice 5 kg');
    expect(page.text).toContain('₦21,500.50');
    expect(page.text).toContain('Pay the rider in cash or by transfer.');
    expect(page.text).toContain(
      `https://wa.me/2348031234567?text=${encodeURIComponent('Hello Mama Nkechi Provisions, I placed order 1001 on your online store.')}`,
    );
    // The shopper's phone and address are not on a page anyone with the link can open.
    expect(page.text).not.toContain('12 Allen Avenue');
    expect(page.text).not.toContain('0101');
  });

  it('takes a JSON order with a bank transfer, on the custom domain too', async () => {
    const answer = await postJson<{
      id: string;
      number: number;
      totalKobo: number;
      paymentStatus: string;
      next: string;
    }>('/s/chika/order', jsonOrder([{ productId: oil.id, quantity: 2 }]), newShopper());
    expect(answer.status).toBe(201);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.body).toMatchObject({
      totalKobo: 500_100 + 300_000,
      paymentStatus: 'awaiting-transfer',
      next: `/s/chika/order/${answer.body.id}`,
    });
    const row = await orderRow(shop.token, answer.body.id);
    expect(row).toMatchObject({
      number: answer.body.number,
      delivery: { zoneId: 'south-west' },
      payment: { status: 'awaiting-transfer' },
    });
    const page = await raw('GET', answer.body.next);
    expect(page.text).toContain('GTBank 0123456789');
    expect(page.text).toContain(`use <strong>${row.number}</strong> as the reference`);

    const onDomain = await postForm(
      '/order',
      customer('bankTransfer', [['item', `${rice.id}:1`]]),
      newShopper(),
      { host: 'chika.com.ng' },
    );
    expect(onDomain.status).toBe(303);
    const id = orderIdFrom(onDomain.headers.location);
    expect(onDomain.headers.location).toBe(`/order/${id}`);
    const domainPage = await raw('GET', `/order/${id}`, { headers: { host: 'chika.com.ng' } });
    expect(domainPage.text).toContain('<link rel="stylesheet" href="/styles.css">');
    expect((await orderRow(shop.token, id)).number).toBe(row.number + 1);

    const preflight = await raw('OPTIONS', '/s/chika/order', {
      headers: { origin: 'https://chika.netlify.app', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses a bad form with a page that says what is wrong and links back', async () => {
    const shopper = newShopper();
    const noName = await postForm(
      '/s/chika/order',
      customer('payOnDelivery', [['item', `${rice.id}:1`]]).map(
        ([key, value]) => [key, key === 'name' ? '' : value] as [string, string],
      ),
      shopper,
      {
        referer: `http://127.0.0.1:${server.port}/s/chika/checkout.html?cart=1`,
      },
    );
    expect(noName.status).toBe(400);
    expect(noName.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(noName.text).toContain('Your order was not sent');
    expect(noName.text).toContain('Enter your name.');
    expect(noName.text).toContain('href="/s/chika/checkout.html?cart=1"');

    const empty = await postForm('/s/chika/order', customer('payOnDelivery'), shopper);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Your cart is empty.');
    expect(empty.text).toContain('<a href="/s/chika/">Back to Mama Nkechi Provisions</a>');

    const tooMany = await postForm(
      '/s/chika/order',
      customer('payOnDelivery', [['item', `${oil.id}:50`]]),
      shopper,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toMatch(/Only \d+ of Palm oil 1 L left/);

    const online = await postForm(
      '/s/chika/order',
      customer('paystack', [['item', `${rice.id}:1`]]),
      shopper,
    );
    expect(online.status).toBe(400);
    expect(online.text).toContain('This store does not take that payment method');
  });

  it('refuses bad JSON with the field it is about', async () => {
    const shopper = newShopper();
    type Refusal = { error: { code: string; message: string; details?: { field: string } } };
    const badState = await postJson<Refusal>(
      '/s/chika/order',
      jsonOrder([{ productId: rice.id, quantity: 1 }], 'bankTransfer', { state: 'Atlantis' }),
      shopper,
    );
    expect(badState.status).toBe(400);
    expect(badState.body).toEqual({
      error: { code: 'invalid_input', message: 'Choose your state.', details: { field: 'state' } },
    });
    const unknown = await postJson<Refusal>(
      '/s/chika/order',
      jsonOrder([{ productId: uuidv7(), quantity: 1 }]),
      shopper,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details?.field).toBe('items');
    const phone = await postJson<Refusal>(
      '/s/chika/order',
      jsonOrder([{ productId: rice.id, quantity: 1 }], 'bankTransfer', { phone: '12' }),
      shopper,
    );
    expect(phone.body.error.details?.field).toBe('phone');
    const broken = await raw('POST', '/s/chika/order', {
      headers: { 'content-type': 'application/json', 'x-forwarded-for': shopper },
      body: '{"items": [',
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({ error: { code: 'invalid_input' } });
    const gone = await postJson<Refusal>(
      '/s/no-such-store/order',
      jsonOrder([{ productId: rice.id, quantity: 1 }]),
      shopper,
    );
    expect(gone.status).toBe(404);
  });

  it('counts orders in the metrics', async () => {
    const metrics = await raw('GET', '/metrics');
    expect(metrics.text).toMatch(
      /kasuwa_store_orders_total\{payment="payOnDelivery",outcome="placed"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /kasuwa_store_orders_total\{payment="bankTransfer",outcome="invalid"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/kasuwa_storefront_publishes_total\{action="published"\} [1-9]/);
  });

  it('limits order posts per client address with 429', async () => {
    const shopper = newShopper();
    for (let i = 0; i < 30; i += 1) {
      const answer = await postForm('/s/chika/order', customer('payOnDelivery'), shopper);
      expect(answer.status).toBe(400);
    }
    const limited = await postForm(
      '/s/chika/order',
      customer('payOnDelivery', [['item', `${rice.id}:1`]]),
      shopper,
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.text).toMatch(/Too many orders have come from this connection/);
    const json = await postJson<{ error: { code: string } }>(
      '/s/chika/order',
      jsonOrder([{ productId: rice.id, quantity: 1 }]),
      shopper,
    );
    expect(json.status).toBe(429);
    expect(json.body.error.code).toBe('too_many_attempts');
    // Another shopper is not held up; the first is let in again once the window has passed.
    expect(
      (await postForm('/s/chika/order', customer('payOnDelivery', [['item', `${rice.id}:1`]]), newShopper()))
        .status,
    ).toBe(303);
    server.clock.advance(10 * 60 * 1000 + 1);
    expect(
      (await postForm('/s/chika/order', customer('payOnDelivery', [['item', `${rice.id}:1`]]), shopper))
        .status,
    ).toBe(303);
  });
});

// ── Stock ────────────────────────────────────────────────────────────────────────────────────

describe('stock', () => {
  let shop: PairResponse;
  const lastOne = product('Generator 2.5 kVA', 45_000_000, 1);
  const plenty = product('Extension box', 500_000, 50);

  beforeAll(async () => {
    shop = await newBusiness(server.url, 'Emeka Electricals');
    expect((await publish(shop.token, 'emeka', [lastOne, plenty])).status).toBe(200);
  });

  it('sells the last unit once under concurrent orders, and a cancellation gives it back', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        postJson<{ id?: string; error?: { code: string; message: string } }>(
          '/s/emeka/order',
          jsonOrder([
            { productId: lastOne.id, quantity: 1 },
            { productId: plenty.id, quantity: 1 },
          ]),
          newShopper(),
        ),
      ),
    );
    const placed = attempts.filter((answer) => answer.status === 201);
    expect(placed).toHaveLength(1);
    for (const refused of attempts.filter((answer) => answer.status !== 201)) {
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'sold_out',
        message: 'Generator 2.5 kVA is sold out.',
      });
    }
    const orders = await pulled<StoreOrderRow>(shop.token, 'store_order');
    expect(orders).toHaveLength(1);
    const orderId = placed[0]?.body.id ?? '';
    expect(orders[0]?.id).toBe(orderId);

    // The counter cancels the order: its units are orderable again.
    const update: StoreOrderUpdateRow = {
      id: uuidv7(),
      orderId,
      status: 'cancelled',
      saleId: null,
      reason: 'The customer changed their mind',
      staffId: null,
      createdAt: Date.now(),
    };
    const push = await ok<PushResponse>(server.url, 'POST', '/v1/push', {
      token: shop.token,
      body: {
        deviceTime: Date.now(),
        mutations: [mutation('store_order_update', update.id, 'append', update)],
      },
    });
    expect(push.results[0]?.status).toBe('applied');
    const again = await postJson<{ id: string; number: number }>(
      '/s/emeka/order',
      jsonOrder([{ productId: lastOne.id, quantity: 1 }]),
      newShopper(),
    );
    expect(again.status).toBe(201);
    expect(again.body.number).toBe(1002);
    const after = await postJson<{ error: { code: string } }>(
      '/s/emeka/order',
      jsonOrder([{ productId: lastOne.id, quantity: 1 }]),
      newShopper(),
    );
    expect(after.body.error.code).toBe('sold_out');
  });

  it('counts only orders after the publishing counter’s cursor against the published stock', async () => {
    // The counter has pulled every order so far and counts them in the stock it publishes.
    const restocked = { ...lastOne, available: 1 };
    expect(
      (await publish(shop.token, 'emeka', [restocked, plenty], { cursor: await cursorOf(shop.token) }))
        .status,
    ).toBe(200);
    const answer = await postJson<{ number: number }>(
      '/s/emeka/order',
      jsonOrder([{ productId: lastOne.id, quantity: 1 }]),
      newShopper(),
    );
    expect(answer.status).toBe(201);
    // Numbers go on across publishes.
    expect(answer.body.number).toBe(1003);
  });
});

// ── Online payments ──────────────────────────────────────────────────────────────────────────

describe('online payments', () => {
  let shop: PairResponse;
  const fabric = product('Ankara fabric, 6 yards', 1_250_050, 100);
  const withPickup = (payment: string, extra: FormFields = []) =>
    customer(payment, [['item', `${fabric.id}:1`], ...extra]).map(
      ([key, value]) => [key, key === 'delivery' ? 'pickup' : value] as [string, string],
    );

  beforeAll(async () => {
    shop = await newBusiness(server.url, 'Kemi Fabrics');
    const answer = await publish(shop.token, 'kemi', [fabric], {
      payments: allPayments,
      paymentKeys: { paystack: paystack.secretKey, flutterwave: flutterwave.secretKey },
    });
    expect(answer.status).toBe(200);
  });

  async function orderWith(payment: 'paystack' | 'flutterwave') {
    const answer = await postForm('/s/kemi/order', withPickup(payment), newShopper());
    expect(answer.status).toBe(303);
    const orders = await pulled<StoreOrderRow>(shop.token, 'store_order');
    const order = orders.at(-1);
    if (order === undefined) throw new Error('no order');
    return { answer, order };
  }

  const paymentsOf = async (orderId: string) =>
    (await pulled<StorePaymentRow>(shop.token, 'store_payment')).filter(
      (payment) => payment.orderId === orderId,
    );

  it('Paystack: checkout in kobo, the callback verified and recorded once', async () => {
    const { answer, order } = await orderWith('paystack');
    expect(order.payment).toEqual({ method: 'paystack', status: 'awaiting-payment' });
    expect(String(answer.headers.location)).toMatch(new RegExp(`^${paystack.url}/checkout/ac_`));
    const started = paystack.requests.at(-1);
    expect(started).toMatchObject({
      method: 'POST',
      path: '/transaction/initialize',
      authorization: `Bearer ${paystack.secretKey}`,
      body: {
        email: 'adaeze@example.com',
        amount: 1_250_050,
        currency: 'NGN',
        callback_url: `${server.url}/s/kemi/order/${order.id}/paid`,
      },
    });
    const reference = (started?.body as { reference: string }).reference;
    expect(reference.startsWith(`${order.id}-`)).toBe(true);

    const back = paystack.pay(reference);
    const before = await changeCount(shop.businessId);
    const callback = await raw('GET', pathOf(back));
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe(`/s/kemi/order/${order.id}`);
    expect(await paymentsOf(order.id)).toEqual([
      expect.objectContaining({ provider: 'paystack', reference, status: 'paid', amountKobo: 1_250_050 }),
    ]);
    expect(await changeCount(shop.businessId)).toBe(before + 1);

    // The shopper refreshes the callback page: nothing new.
    expect((await raw('GET', pathOf(back))).status).toBe(303);
    expect(await changeCount(shop.businessId)).toBe(before + 1);
    const page = await raw('GET', `/s/kemi/order/${order.id}`);
    expect(page.text).toContain('You paid ₦12,500.50 with Paystack');
  });

  it('Paystack: a payment of another amount is recorded as failed, and the shopper can pay again', async () => {
    const { order } = await orderWith('paystack');
    const reference = (paystack.requests.at(-1)?.body as { reference: string }).reference;
    const callback = await raw('GET', pathOf(paystack.pay(reference, { amountKobo: 100_000 })));
    expect(callback.status).toBe(303);
    expect(await paymentsOf(order.id)).toEqual([
      expect.objectContaining({ status: 'failed', amountKobo: 100_000, reference }),
    ]);
    const page = await raw('GET', `/s/kemi/order/${order.id}`);
    expect(page.text).toContain('did not go through');
    expect(page.text).toContain(`action="/s/kemi/order/${order.id}/pay"`);
    const retry = await raw('POST', `/s/kemi/order/${order.id}/pay`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': newShopper() },
      body: '',
    });
    expect(retry.status).toBe(303);
    const second = (paystack.requests.at(-1)?.body as { reference: string }).reference;
    expect(second).not.toBe(reference);
    expect((await raw('GET', pathOf(paystack.pay(second)))).status).toBe(303);
    expect((await paymentsOf(order.id)).map((payment) => payment.status)).toEqual(['failed', 'paid']);
  });

  it('Paystack: a callback naming another order’s payment is refused', async () => {
    const first = await orderWith('paystack');
    const firstReference = (paystack.requests.at(-1)?.body as { reference: string }).reference;
    paystack.pay(firstReference);
    const second = await orderWith('paystack');
    const before = await changeCount(shop.businessId);
    const forged = await raw(
      'GET',
      `/s/kemi/order/${second.order.id}/paid?trxref=${firstReference}&reference=${firstReference}`,
    );
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('not for this order');
    expect(await changeCount(shop.businessId)).toBe(before);
    expect(first.order.id).not.toBe(second.order.id);
  });

  it('Flutterwave: checkout in naira with the customer, the redirect verified by transaction id, once', async () => {
    const { answer, order } = await orderWith('flutterwave');
    expect(String(answer.headers.location)).toMatch(new RegExp(`^${flutterwave.url}/v3/hosted/pay/`));
    const started = flutterwave.requests.at(-1);
    expect(started).toMatchObject({
      method: 'POST',
      path: '/v3/payments',
      authorization: `Bearer ${flutterwave.secretKey}`,
      body: {
        amount: 12_500.5,
        currency: 'NGN',
        redirect_url: `${server.url}/s/kemi/order/${order.id}/paid`,
        customer: { email: 'adaeze@example.com', phonenumber: '+2348035550101', name: 'Adaeze Okafor' },
      },
    });
    const txRef = (started?.body as { tx_ref: string }).tx_ref;
    expect(txRef.startsWith(`${order.id}-`)).toBe(true);

    // The shopper first closes the checkout: nothing is recorded.
    const cancelled = await raw('GET', pathOf(flutterwave.cancel(txRef)));
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain('cancelled at Flutterwave');
    expect(await paymentsOf(order.id)).toEqual([]);

    const back = flutterwave.pay(txRef);
    expect(new URL(back).searchParams.get('status')).toBe('successful');
    const callback = await raw('GET', pathOf(back));
    expect(callback.status).toBe(303);
    expect(flutterwave.requests.at(-1)?.path).toMatch(/^\/v3\/transactions\/\d+\/verify$/);
    const before = await changeCount(shop.businessId);
    expect((await raw('GET', pathOf(back))).status).toBe(303);
    expect(await changeCount(shop.businessId)).toBe(before);
    expect(await paymentsOf(order.id)).toEqual([
      expect.objectContaining({
        provider: 'flutterwave',
        reference: txRef,
        status: 'paid',
        amountKobo: 1_250_050,
      }),
    ]);
  });

  it('Flutterwave: a payment in another currency is failed', async () => {
    const { order } = await orderWith('flutterwave');
    const txRef = (flutterwave.requests.at(-1)?.body as { tx_ref: string }).tx_ref;
    expect((await raw('GET', pathOf(flutterwave.pay(txRef, { currency: 'USD' })))).status).toBe(303);
    expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('a provider that fails or goes silent leaves the order saved and unpaid, with a clear page', async () => {
    paystack.failNext(1, { answer: 500 });
    const answer = await postForm('/s/kemi/order', withPickup('paystack'), newShopper());
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    const order = (await pulled<StoreOrderRow>(shop.token, 'store_order')).at(-1);
    if (order === undefined) throw new Error('no order');
    expect(order.payment.status).toBe('awaiting-payment');
    expect(answer.text).toContain(
      `Your order ${order.number} is saved, but Paystack could not take the payment just now`,
    );
    expect(answer.text).toContain(`action="/s/kemi/order/${order.id}/pay"`);
    // Paystack is back: the shopper pays from the page.
    const retry = await raw('POST', `/s/kemi/order/${order.id}/pay`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': newShopper() },
      body: '',
    });
    expect(retry.status).toBe(303);
    expect(String(retry.headers.location)).toMatch(new RegExp(`^${paystack.url}/checkout/`));

    // JSON checkout, the provider silent past the timeout: a 502 envelope that names the order.
    flutterwave.failNext(1, { answer: 'silent' });
    const json = await postJson<{
      error: { code: string; message: string; details: { orderId: string; next: string } };
    }>(
      '/s/kemi/order',
      jsonOrder([{ productId: fabric.id, quantity: 1 }], 'flutterwave', { delivery: 'pickup' }),
      newShopper(),
    );
    expect(json.status).toBe(502);
    expect(json.body.error.code).toBe('payment_unavailable');
    expect(json.body.error.details.next).toBe(`/s/kemi/order/${json.body.error.details.orderId}`);
    expect((await orderRow(shop.token, json.body.error.details.orderId)).payment.status).toBe(
      'awaiting-payment',
    );

    // The verification fails, then goes silent: nothing recorded, a page that says to refresh.
    const { order: paying } = await orderWith('flutterwave');
    const txRef = (flutterwave.requests.at(-1)?.body as { tx_ref: string }).tx_ref;
    const back = flutterwave.pay(txRef);
    for (const failure of [{ answer: 500 }, { answer: 'silent' }] as const) {
      flutterwave.failNext(1, failure);
      const callback = await raw('GET', pathOf(back));
      expect(callback.status).toBe(502);
      expect(callback.text).toContain('We could not confirm your payment with Flutterwave just now');
      expect(await paymentsOf(paying.id)).toEqual([]);
    }
    expect((await raw('GET', pathOf(back))).status).toBe(303);
    expect((await paymentsOf(paying.id)).map((payment) => payment.status)).toEqual(['paid']);

    const metrics = await raw('GET', '/metrics');
    expect(metrics.text).toMatch(
      /kasuwa_store_payments_total\{provider="paystack",outcome="provider_error"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /kasuwa_store_payments_total\{provider="flutterwave",outcome="paid"\} [1-9]/,
    );
  });

  it('needs an email for an online payment', async () => {
    const shopper = newShopper();
    const form = await postForm(
      '/s/kemi/order',
      withPickup('paystack').map(([key, value]) => [key, key === 'email' ? '' : value] as [string, string]),
      shopper,
    );
    expect(form.status).toBe(400);
    expect(form.text).toContain('Enter your email address: Paystack sends your receipt there.');
    const json = await postJson<{ error: { details: { field: string } } }>(
      '/s/kemi/order',
      jsonOrder([{ productId: fabric.id, quantity: 1 }], 'flutterwave', { email: '', delivery: 'pickup' }),
      shopper,
    );
    expect(json.status).toBe(400);
    expect(json.body.error.details.field).toBe('email');
  });
});

// ── Unpublishing ─────────────────────────────────────────────────────────────────────────────

describe('unpublishing', () => {
  it('takes the site down and stops orders, keeps the slug and the orders’ pages', async () => {
    const shop = await newBusiness(server.url, 'Ngozi Cosmetics');
    const other = await newBusiness(server.url, 'Someone Else');
    const cream = product('Shea butter 250 g', 300_000, 9);
    expect((await publish(shop.token, 'ngozi', [cream], { customDomain: 'ngozi.ng' })).status).toBe(200);
    const placed = await postForm(
      '/s/ngozi/order',
      customer('payOnDelivery', [['item', `${cream.id}:1`]]),
      newShopper(),
    );
    const id = orderIdFrom(placed.headers.location);

    expect((await call(server.url, 'DELETE', '/v1/storefront', { token: shop.token })).status).toBe(204);
    expect((await call(server.url, 'DELETE', '/v1/storefront', { token: shop.token })).status).toBe(404);
    expect((await call(server.url, 'GET', '/v1/storefront', { token: shop.token })).status).toBe(404);
    expect((await raw('GET', '/s/ngozi/')).status).toBe(404);
    expect((await raw('GET', '/', { headers: { host: 'ngozi.ng' } })).status).toBe(404);
    const refused = await postForm(
      '/s/ngozi/order',
      customer('payOnDelivery', [['item', `${cream.id}:1`]]),
      newShopper(),
    );
    expect(refused.status).toBe(404);
    expect((await raw('GET', `/s/ngozi/order/${id}`)).text).toContain('order <strong>1001</strong>');
    // The slug stays this business's; the domain is free again.
    expect((await publish(other.token, 'ngozi', [cream])).status).toBe(409);
    expect((await publish(other.token, 'someone-else', [cream], { customDomain: 'ngozi.ng' })).status).toBe(
      200,
    );
    // Published again, numbering carries on.
    expect((await publish(shop.token, 'ngozi', [cream])).status).toBe(200);
    const next = await postForm(
      '/s/ngozi/order',
      customer('payOnDelivery', [['item', `${cream.id}:1`]]),
      newShopper(),
    );
    expect((await orderRow(shop.token, orderIdFrom(next.headers.location))).number).toBe(1002);
  });
});

// ── The embedded database ────────────────────────────────────────────────────────────────────

describe('on the embedded database', () => {
  it('publishes, serves the bytes and takes an order', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-store-'));
    const embedded = await startServerApp({ dataDir });
    try {
      const shop = await newBusiness(embedded.url, 'Baba Sola Provisions');
      const beans = product('Beans 1 kg', 180_000, 3);
      const files = siteFiles([beans]);
      expect((await publish(shop.token, 'baba-sola', [beans], { base: embedded, files })).status).toBe(200);
      const picture = await raw('GET', '/s/baba-sola/img/rice-320.webp', { base: embedded });
      expect(
        picture.body.equals(files.find((file) => file.path === 'img/rice-320.webp')?.body ?? Buffer.alloc(0)),
      ).toBe(true);
      const home = await raw('GET', '/s/baba-sola/', {
        base: embedded,
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(gunzipSync(home.body).toString()).toContain('Beans 1 kg');
      const placed = await postForm(
        '/s/baba-sola/order',
        customer('bankTransfer', [['item', `${beans.id}:3`]]),
        newShopper(),
        {},
        embedded,
      );
      expect(placed.status).toBe(303);
      const orders = await pulled<StoreOrderRow>(shop.token, 'store_order', embedded);
      expect(orders).toEqual([expect.objectContaining({ number: 1001, totalKobo: 540_000 + 200_000 })]);
      const soldOut = await postForm(
        '/s/baba-sola/order',
        customer('bankTransfer', [['item', `${beans.id}:1`]]),
        newShopper(),
        {},
        embedded,
      );
      expect(soldOut.status).toBe(400);
      expect(soldOut.text).toContain('Beans 1 kg is sold out.');
    } finally {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
