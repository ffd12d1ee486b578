/**
 * The live preview of the draft store: the generated site served from this counter on loopback
 * at a secret path, so the wizard's phone, tablet and desktop frames show the real storefront and
 * its links, cart and checkout work. Its checkout takes test orders through the same form and
 * the same pricing as the sync server's intake; a test order lands among the online orders,
 * marked as a test, and ticks the launch checklist. Nothing here needs the internet.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatNaira } from '../../../shared/money';
import { uuidv7 } from '../../../shared/ids';
import type { StoreDraft } from '../../../shared/store/draft';
import {
  orderInputFromForm,
  orderInputSchema,
  priceOrder,
  storeOrderRow,
  type PricedOrder,
  type OrderInput,
} from '../../../shared/store/storefront';
import type { StoreOrderRow } from '../../../shared/sync/protocol';
import type { BuiltSite } from './store-site';
import { escapeHtml } from './storefront/html';

/** Rebuild the site for a page view when the draft changed or the last build is this old. */
const FRESH_MS = 3_000;
const MAX_BODY = 64 * 1024;

type SavedDraft = { draft: StoreDraft; savedAt: number | null };

export interface PreviewDeps {
  draft: () => SavedDraft;
  build: (draft: StoreDraft) => Promise<BuiltSite>;
  /** Takes a test order in (as a pulled order would be) and returns nothing. */
  takeOrder: (row: StoreOrderRow) => void;
  nextTestNumber: () => number;
  now: () => number;
}

/** A page of the preview's own (the order received, a refused order), in the site's styles. */
function page(title: string, body: string, slug?: string): string {
  // On an order's page the site's cart.js empties the cart it came from (see cart-script.ts).
  const store = slug === undefined ? '' : ` data-store="${escapeHtml(slug)}"`;
  const script = slug === undefined ? '' : '<script src="../cart.js" defer></script>';
  const clear = slug === undefined ? '' : ' data-cart-clear';
  return `<!doctype html><html lang="en-NG"${store}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="../styles.css">${script}</head><body><main class="page"${clear}><h1>${escapeHtml(title)}</h1>${body}<p><a href="../index.html">Back to the store</a></p></main></body></html>`;
}

export class PreviewServer {
  private server: http.Server | null = null;
  private starting: Promise<string> | null = null;
  private readonly token = randomBytes(16).toString('hex');
  private built: { site: BuiltSite; savedAt: number | null; at: number } | null = null;
  private building: Promise<BuiltSite> | null = null;

  constructor(private readonly deps: PreviewDeps) {}

  /** The preview's address, starting the server on first use. */
  url(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      const server = http.createServer((request, response) => {
        this.handle(request, response).catch((error: unknown) => {
          if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(
            `The preview could not be made: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        const { port } = server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${port}/${this.token}/`);
      });
    });
    return this.starting;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.starting = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Places an order through the preview's own checkout, as a shopper's browser would. */
  async placeTestOrder(): Promise<string> {
    const base = await this.url();
    const saved = this.deps.draft();
    const { draft } = saved;
    const { config } = await this.site(saved, true);
    const product = config.products.find((candidate) => candidate.available > 0) ?? config.products[0];
    if (product === undefined) throw new Error('Put at least one product online first.');
    const delivery = config.delivery[0];
    const payment =
      config.payments.find((option) => option.id === 'payOnDelivery' || option.id === 'bankTransfer') ??
      config.payments[0];
    if (delivery === undefined) throw new Error('Switch on a delivery option first.');
    if (payment === undefined) throw new Error('Switch on a payment method first.');
    const state = config.shopState ?? 'Lagos';
    const form = new URLSearchParams({
      item: `${product.id}:1`,
      name: 'Test Order',
      phone: '08030000000',
      email: 'test@example.com',
      state,
      lgaCity: '',
      address: delivery.id === 'pickup' ? '' : draft.business.address || 'Test address',
      delivery: delivery.id,
      payment: payment.id,
      note: 'Test order from the store builder',
    });
    const response = await fetch(`${base}order`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    const location = response.headers.get('location');
    if (response.status !== 303 || location === null) {
      const text = await response.text();
      throw new Error(
        text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 300),
      );
    }
    const id = location.split('/').pop() ?? '';
    return id;
  }

  /** The site of the draft as saved, built again when the draft changed (or, `fresh`, went stale). */
  private async site({ draft, savedAt }: SavedDraft, fresh: boolean): Promise<BuiltSite> {
    const current = this.built;
    if (
      current !== null &&
      current.savedAt === savedAt &&
      (!fresh || this.deps.now() - current.at < FRESH_MS)
    ) {
      return current.site;
    }
    this.building ??= this.deps
      .build(draft)
      .then((site) => {
        this.built = { site, savedAt, at: this.deps.now() };
        return site;
      })
      .finally(() => {
        this.building = null;
      });
    return this.building;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const prefix = `/${this.token}/`;
    if (!url.pathname.startsWith(prefix)) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const path = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const saved = this.deps.draft();
    if (request.method === 'POST' && path === 'order') {
      await this.order(request, response, saved);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD, POST' }).end();
      return;
    }
    if (path.startsWith('order/')) {
      const { config } = await this.site(saved, false);
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(
          page(
            'Test order received',
            '<p>This was a test order from the store builder. It is with your online orders, marked as a test; no money was taken.</p>',
            config.slug,
          ),
        );
      return;
    }
    const built = await this.site(saved, path.endsWith('.html'));
    const wanted = path.endsWith('/') ? `${path}index.html` : path;
    const file = built.site.files.find((candidate) => candidate.path === wanted);
    if (file === undefined) {
      const missing = built.site.files.find((candidate) => candidate.path === '404.html');
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(missing?.body ?? 'Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.body.length,
      'cache-control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  private async order(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    saved: SavedDraft,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        response.writeHead(413).end('That order is too large.');
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const json = (request.headers['content-type'] ?? '').includes('application/json');
    let raw: unknown;
    if (json) {
      try {
        raw = JSON.parse(text);
      } catch {
        raw = null;
      }
    } else {
      const fields: Record<string, string[]> = {};
      for (const [key, value] of new URLSearchParams(text)) (fields[key] ??= []).push(value);
      raw = orderInputFromForm(fields);
    }
    const refuse = (message: string) =>
      response
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('Your order was not sent', `<p>${escapeHtml(message)}</p>`));
    const parsed = orderInputSchema.safeParse(raw);
    if (!parsed.success) {
      refuse(parsed.error.issues[0]?.message ?? 'Check the order form.');
      return;
    }
    const { config } = await this.site(saved, false);
    const priced = priceOrder(config, parsed.data);
    if (!priced.ok) {
      refuse(priced.message);
      return;
    }
    const row = this.testRow(parsed.data, priced.value);
    this.deps.takeOrder(row);
    response
      .writeHead(303, { location: `${this.tokenPath()}order/${row.id}`, 'content-type': 'text/plain' })
      .end(`Test order for ${formatNaira(row.totalKobo)} received`);
  }

  private tokenPath(): string {
    return `/${this.token}/`;
  }

  private testRow(input: OrderInput, priced: PricedOrder): StoreOrderRow {
    const at = this.deps.now();
    return storeOrderRow(input, priced, {
      id: uuidv7(at),
      number: this.deps.nextTestNumber(),
      placedAt: at,
      test: true,
    });
  }
}
