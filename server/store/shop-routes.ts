/**
 * The published storefronts as shoppers reach them, at `/s/<slug>/` on any host and at `/` on a
 * store's custom domain (by the Host header; the server's own routes keep their paths on every
 * host, and on any other host a path no route knows is the usual 404):
 *
 *   GET  /s/:slug                      → 301 /s/:slug/
 *   GET  /s/:slug/*        GET /*      the site's files (index.html for a folder)
 *   POST /s/:slug/order    POST /order an order: the checkout form (urlencoded) or JSON
 *   GET  /s/:slug/order/:id            the order's confirmation page
 *   POST /s/:slug/order/:id/pay        start (again) the online payment of an unpaid order
 *   GET  /s/:slug/order/:id/paid       the payment provider's callback
 *   (and the same three under /order/:id on a custom domain)
 *
 * A form post is answered with pages (303 to the confirmation or the provider's checkout, or a
 * 400 page saying what is wrong); a JSON post with JSON (201 {id, number, totalKobo,
 * paymentStatus, next}, or 400 {error: {code, message, details: {field}}}).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UUID_PATTERN } from '../../shared/ids';
import { orderInputFromForm, orderInputSchema, type OrderInput } from '../../shared/store/storefront';
import type { StoreOrderRow } from '../../shared/sync/protocol';
import type { ServerContext } from '../app';
import { errorBody } from '../http/api-error';
import { OrderLimit } from './order-limit';
import type { OrderView, StoreOrders } from './orders';
import { orderPage, problemPage, type PageFrame } from './pages';
import { isOrderReference, type PaymentSettlement } from './payment-settlement';
import {
  PROVIDER_NAMES,
  PaymentProviderError,
  type PaymentProvider,
  type PaymentProviderId,
} from './payments/provider';
import { acceptsGzip, cacheControlFor, contentTypeFor, etagMatches, requestedSitePath } from './site-files';
import type { SiteEntry, Storefront, Storefronts } from './storefronts';

export interface ShopServices {
  storefronts: Storefronts;
  orders: StoreOrders;
  providers: Record<PaymentProviderId, PaymentProvider>;
  settlement: PaymentSettlement;
  orderLimit: OrderLimit;
}

/** An order form is a few kilobytes even with fifty lines. */
const ORDER_BODY_LIMIT = 64 * 1024;

/** Where a request's site is and what its pages link from. */
interface SiteAt {
  site: Storefront;
  frame: PageFrame;
}

type Fields = Record<string, string | string[]>;

function formFields(text: string): Fields {
  const fields: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) (fields[key] ??= []).push(value);
  return fields;
}

function isJson(request: FastifyRequest): boolean {
  return /^application\/(?:[\w.+-]*\+)?json\b/i.test(request.headers['content-type'] ?? '');
}

const isOnline = (method: string): method is PaymentProviderId =>
  method === 'paystack' || method === 'flutterwave';

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

const HOST_SHAPE = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The origin the caller reached us at (X-Forwarded-* only from trusted proxies), for callbacks and webhook URLs. */
export function requestOrigin(request: FastifyRequest): string | null {
  const protocol = request.protocol.toLowerCase() === 'https' ? 'https' : 'http';
  return HOST_SHAPE.test(request.host) ? `${protocol}://${request.host}` : null;
}

function html(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(page);
}

const NO_STORE: PageFrame = { base: '/', shopName: 'Kasuwa' };

export async function registerShopRoutes(
  app: FastifyInstance,
  context: ServerContext,
  services: ShopServices,
): Promise<void> {
  const { metrics, now } = context;
  const { storefronts, orders, providers, settlement, orderLimit } = services;

  const atSlug = async (slug: string): Promise<SiteAt | null> => {
    const site = await storefronts.bySlug(slug);
    return site === null ? null : { site, frame: { base: `/s/${site.slug}/`, shopName: site.config.name } };
  };
  const atHost = async (request: FastifyRequest): Promise<SiteAt | null> => {
    const site = await storefronts.byHost(request.hostname);
    return site === null ? null : { site, frame: { base: '/', shopName: site.config.name } };
  };

  const noStore = (reply: FastifyReply) =>
    html(
      reply,
      404,
      problemPage(NO_STORE, 'There is no store here', 'This store is not online, or the address is wrong.'),
    );

  // ── Files ────────────────────────────────────────────────────────────────────────────────

  async function sendFile(
    request: FastifyRequest,
    reply: FastifyReply,
    at: SiteAt,
    path: string,
    entry: SiteEntry,
    status = 200,
  ) {
    const blob = await storefronts.blob(at.site.businessId, entry.sha256);
    if (blob === null) {
      request.log.error({ path }, 'a live storefront file has no blob');
      return html(
        reply,
        503,
        problemPage(
          at.frame,
          'This page is not available',
          'Part of this store is missing on the server. Try again later.',
        ),
      );
    }
    reply
      .code(status)
      .header('content-type', contentTypeFor(path, entry.contentType))
      .header('cache-control', cacheControlFor(path))
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin');
    if (status === 200) {
      reply.header('etag', `"${entry.sha256}"`);
      if (etagMatches(request.headers['if-none-match'], entry.sha256)) return reply.code(304).send();
    }
    if (blob.gzip !== null && acceptsGzip(request.headers['accept-encoding'])) {
      return reply.header('content-encoding', 'gzip').send(blob.gzip);
    }
    return reply.send(blob.body);
  }

  async function serveSite(request: FastifyRequest, reply: FastifyReply, at: SiteAt, encodedPath: string) {
    if (!at.site.live) return noStore(reply);
    const path = requestedSitePath(encodedPath);
    if (path === null) {
      return html(
        reply,
        400,
        problemPage(
          at.frame,
          'That address is not part of this store',
          'Check the link, or start from the home page.',
        ),
      );
    }
    const { files } = at.site;
    // `/about` is `about.html` when there is no file `about`, as static hosts do.
    const served = files.has(path) || /\.[A-Za-z0-9]+$/.test(path) ? path : `${path}.html`;
    const entry = files.get(served);
    if (entry !== undefined) return sendFile(request, reply, at, served, entry);
    if (files.has(`${path}/index.html`)) {
      return reply.redirect(`${at.frame.base}${encodedPath.split('?', 1)[0] ?? ''}/`, 301);
    }
    // The site's own 404 page links relative to the site root, so it is right only one level down.
    const missing = path.includes('/') ? undefined : files.get('404.html');
    if (missing !== undefined) return sendFile(request, reply, at, '404.html', missing, 404);
    return html(reply, 404, problemPage(at.frame, 'Page not found', 'This store has no such page.'));
  }

  // ── Orders ───────────────────────────────────────────────────────────────────────────────

  /** A refusal of an order post: JSON for JSON, otherwise a page that says what to change. */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    frame: PageFrame,
    status: 400 | 404 | 429,
    code: string,
    message: string,
    field?: string,
  ) {
    if (isJson(request)) {
      const text = sentence(message);
      const body =
        field === undefined ? errorBody(code, text) : { error: { code, message: text, details: { field } } };
      return reply.code(status).header('access-control-allow-origin', '*').send(body);
    }
    const title =
      status === 429
        ? 'Please wait a little'
        : status === 404
          ? 'There is no store here'
          : 'Your order was not sent';
    const back = backLink(request, frame);
    return html(
      reply,
      status,
      problemPage(frame, title, sentence(message), back === frame.base ? undefined : back),
    );
  }

  /** The page the form was on, when it is this store's; else the store's home page. */
  function backLink(request: FastifyRequest, frame: PageFrame): string {
    const referer = request.headers.referer;
    if (referer !== undefined) {
      try {
        const url = new URL(referer);
        if (url.host === request.host && url.pathname.startsWith(frame.base))
          return `${url.pathname}${url.search}`;
      } catch {
        // Not a URL: the home page will do.
      }
    }
    return frame.base;
  }

  const confirmationPath = (frame: PageFrame, orderId: string) => `${frame.base}order/${orderId}`;

  async function placeOrder(request: FastifyRequest, reply: FastifyReply, at: SiteAt | null) {
    reply.header('access-control-allow-origin', '*');
    const raw = isJson(request) ? request.body : orderInputFromForm((request.body ?? {}) as Fields);
    const asked =
      typeof raw === 'object' && raw !== null ? (raw as { payment?: unknown }).payment : undefined;
    const payment = typeof asked === 'string' ? asked : 'unknown';
    const frame = at?.frame ?? NO_STORE;
    const limit = orderLimit.take(request.ip);
    if (!limit.allowed) {
      metrics.countStoreOrder(payment, 'rate_limited');
      reply.header('retry-after', String(limit.retryAfterSeconds));
      const minutes = Math.ceil(limit.retryAfterSeconds / 60);
      return refuse(
        request,
        reply,
        frame,
        429,
        'too_many_attempts',
        `Too many orders have come from this connection. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      );
    }
    if (at === null || !at.site.live) {
      metrics.countStoreOrder(payment, 'not_found');
      return refuse(request, reply, frame, 404, 'not_found', 'This store is not online');
    }
    const parsed = orderInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      metrics.countStoreOrder(payment, 'invalid');
      return refuse(
        request,
        reply,
        frame,
        400,
        'invalid_input',
        issue?.message ?? 'Check the order form',
        String(issue?.path[0] ?? 'items'),
      );
    }
    const input = parsed.data;
    if (isOnline(input.payment)) {
      const problem = await onlinePaymentProblem(at.site, input);
      if (problem !== null) {
        metrics.countStoreOrder(payment, 'invalid');
        return refuse(request, reply, frame, 400, 'invalid_input', problem.message, problem.field);
      }
    }
    const placed = await orders.place(at.site, input);
    if (!placed.ok) {
      if (placed.reason === 'gone') {
        metrics.countStoreOrder(payment, 'not_found');
        return refuse(request, reply, frame, 404, 'not_found', 'This store is not online');
      }
      metrics.countStoreOrder(payment, placed.soldOut ? 'sold_out' : 'invalid');
      return refuse(
        request,
        reply,
        frame,
        400,
        placed.soldOut ? 'sold_out' : 'invalid_input',
        placed.message,
        placed.field,
      );
    }
    metrics.countStoreOrder(payment, 'placed');
    const { order } = placed;
    if (!isOnline(order.payment.method))
      return placedAnswer(request, reply, order, confirmationPath(frame, order.id));
    return startPayment(request, reply, at, { order, payments: [], update: null });
  }

  async function onlinePaymentProblem(
    site: Storefront,
    input: OrderInput,
  ): Promise<{ field: string; message: string } | null> {
    // A method the store does not offer is priceOrder's to refuse, in its words.
    if (!site.config.payments.some((option) => option.id === input.payment)) return null;
    const name = PROVIDER_NAMES[input.payment as PaymentProviderId];
    if (input.email === '')
      return { field: 'email', message: `Enter your email address: ${name} sends your receipt there` };
    if ((await orders.secretKey(site.businessId, input.payment as PaymentProviderId)) === null) {
      return {
        field: 'payment',
        message: `This store cannot take ${name} payments right now. Choose another way to pay`,
      };
    }
    return null;
  }

  function placedAnswer(request: FastifyRequest, reply: FastifyReply, order: StoreOrderRow, next: string) {
    if (isJson(request)) {
      return reply.code(201).send({
        id: order.id,
        number: order.number,
        totalKobo: order.totalKobo,
        paymentStatus: order.payment.status,
        next,
      });
    }
    return reply.redirect(next, 303);
  }

  /** Sends the shopper to the provider's checkout; a provider that fails leaves the order unpaid. */
  async function startPayment(request: FastifyRequest, reply: FastifyReply, at: SiteAt, view: OrderView) {
    const { order } = view;
    const method = order.payment.method as PaymentProviderId;
    const provider = providers[method];
    const name = PROVIDER_NAMES[method];
    const key = await orders.secretKey(at.site.businessId, method);
    const origin = requestOrigin(request);
    const fail = (notice: string) => {
      metrics.countStorePayment(method, 'provider_error');
      if (isJson(request)) {
        return reply.code(502).send({
          error: {
            code: 'payment_unavailable',
            message: notice,
            details: { orderId: order.id, number: order.number, next: confirmationPath(at.frame, order.id) },
          },
        });
      }
      return html(reply, 502, orderPage(at.frame, at.site.config, view, notice));
    };
    if (key === null || origin === null) {
      return fail(
        `Your order ${order.number} is saved, but this store cannot take ${name} payments right now. Contact the shop to pay another way.`,
      );
    }
    const reference = `${order.id}-${now().toString(36)}${randomBytes(2).toString('hex')}`;
    let checkoutUrl: string;
    try {
      ({ checkoutUrl } = await provider.start({
        secretKey: key,
        reference,
        amountKobo: order.totalKobo,
        email: order.customer.email,
        phone: order.customer.phone,
        name: order.customer.name,
        callbackUrl: `${origin}${at.frame.base}order/${order.id}/paid`,
        title: `${at.site.config.name} order ${order.number}`,
      }));
    } catch (error) {
      if (!(error instanceof PaymentProviderError)) throw error;
      request.log.warn(
        { provider: method, failure: error.failure, reason: error.message },
        'payment could not start',
      );
      return fail(
        `Your order ${order.number} is saved, but ${name} could not take the payment just now, so no money has left your account. Try paying again in a minute, or contact the shop.`,
      );
    }
    metrics.countStorePayment(method, 'checkout');
    // Kept so a counter can ask the provider about it if neither the shopper nor a webhook comes back.
    await orders.recordAttempt(at.site.businessId, { orderId: order.id, provider: method, reference });
    return placedAnswer(request, reply, order, checkoutUrl);
  }

  async function orderAt(at: SiteAt | null, id: string): Promise<OrderView | null> {
    if (at === null || !UUID_PATTERN.test(id)) return null;
    return orders.view(at.site.businessId, id);
  }

  async function showOrder(reply: FastifyReply, at: SiteAt | null, id: string) {
    const view = await orderAt(at, id);
    if (at === null || view === null)
      return html(
        reply,
        404,
        problemPage(at?.frame ?? NO_STORE, 'Order not found', 'There is no such order in this store.'),
      );
    return html(reply, 200, orderPage(at.frame, at.site.config, view));
  }

  async function payAgain(request: FastifyRequest, reply: FastifyReply, at: SiteAt | null, id: string) {
    const limit = orderLimit.take(request.ip);
    if (!limit.allowed) {
      reply.header('retry-after', String(limit.retryAfterSeconds));
      return refuse(
        request,
        reply,
        at?.frame ?? NO_STORE,
        429,
        'too_many_attempts',
        'Too many tries from this connection. Wait a few minutes and try again',
      );
    }
    const view = await orderAt(at, id);
    if (at === null || view === null)
      return html(
        reply,
        404,
        problemPage(at?.frame ?? NO_STORE, 'Order not found', 'There is no such order in this store.'),
      );
    const settled = view.payments.some((payment) => payment.status === 'paid') || view.update !== null;
    if (!isOnline(view.order.payment.method) || settled)
      return reply.redirect(confirmationPath(at.frame, id), 303);
    return startPayment(request, reply, at, view);
  }

  /** The provider sent the shopper back: verify with the provider, record the outcome once. */
  async function paymentCallback(
    request: FastifyRequest,
    reply: FastifyReply,
    at: SiteAt | null,
    id: string,
  ) {
    const view = await orderAt(at, id);
    if (at === null || view === null)
      return html(
        reply,
        404,
        problemPage(at?.frame ?? NO_STORE, 'Order not found', 'There is no such order in this store.'),
      );
    const { order } = view;
    const method = order.payment.method;
    if (!isOnline(method)) return reply.redirect(confirmationPath(at.frame, id), 303);
    const name = PROVIDER_NAMES[method];
    const query = request.query as Record<string, string | undefined>;
    const reference = (method === 'paystack' ? (query.reference ?? query.trxref) : query.tx_ref) ?? '';
    const transactionId = method === 'flutterwave' ? query.transaction_id : undefined;
    if (!isOrderReference(order.id, reference)) {
      return html(
        reply,
        400,
        problemPage(
          at.frame,
          'This payment link is not for this order',
          `Open your order from the store to see whether it is paid.`,
        ),
      );
    }
    if (method === 'flutterwave' && (transactionId === undefined || transactionId === '')) {
      // Flutterwave sends no transaction back when the shopper cancelled at its checkout.
      return html(
        reply,
        200,
        orderPage(
          at.frame,
          at.site.config,
          view,
          `The payment was cancelled at ${name}, so no money was taken.`,
        ),
      );
    }
    const unconfirmed = `We could not confirm your payment with ${name} just now. If money has left your account, the shop will see it once ${name} confirms; refresh this page in a minute.`;
    let settled;
    try {
      settled = await settlement.settle(at.site.businessId, order, method, {
        reference,
        ...(transactionId === undefined ? {} : { transactionId }),
      });
    } catch (error) {
      if (!(error instanceof PaymentProviderError)) throw error;
      request.log.warn(
        { provider: method, failure: error.failure, reason: error.message },
        'payment could not be verified',
      );
      return html(reply, 502, orderPage(at.frame, at.site.config, view, unconfirmed));
    }
    if (settled.kind === 'no_key') {
      return html(reply, 502, orderPage(at.frame, at.site.config, view, unconfirmed));
    }
    if (settled.kind === 'not_this_order') {
      return html(
        reply,
        400,
        problemPage(
          at.frame,
          'This payment is not for this order',
          'Open your order from the store to see whether it is paid.',
        ),
      );
    }
    if (settled.kind === 'pending') {
      return html(
        reply,
        200,
        orderPage(
          at.frame,
          at.site.config,
          view,
          `${name} has not confirmed the payment yet. Refresh this page in a minute.`,
        ),
      );
    }
    if (settled.mismatch) {
      request.log.warn(
        { provider: method, order: order.number },
        'a payment does not match its order total or currency',
      );
    }
    return reply.redirect(confirmationPath(at.frame, id), 303);
  }

  // ── Routes ───────────────────────────────────────────────────────────────────────────────

  await app.register((shop, _options, done) => {
    shop.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: ORDER_BODY_LIMIT },
      (_request, body, parsed) =>
        parsed(null, formFields(typeof body === 'string' ? body : body.toString('utf8'))),
    );

    // A shopper's browser gets a page, never the JSON envelope; a JSON post gets the envelope.
    shop.setErrorHandler((error: FastifyError, request, reply) => {
      if (isJson(request)) throw error;
      const status =
        typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 503;
      if (status >= 500) request.log.error({ err: error }, 'storefront request failed');
      const words =
        status === 413
          ? 'That order is too large to send.'
          : status < 500
            ? 'The request could not be read. Go back and try again.'
            : 'The store cannot take this right now. Try again in a minute.';
      return html(reply, status, problemPage(NO_STORE, 'Something went wrong', words));
    });

    const orderPost = { bodyLimit: ORDER_BODY_LIMIT };
    const preflight = (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .send();

    type Slug = { Params: { slug: string } };
    type SlugOrder = { Params: { slug: string; id: string } };
    type HostOrder = { Params: { id: string } };

    shop.get<Slug>('/s/:slug', (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/s/${encodeURIComponent(request.params.slug)}/${query}`, 301);
    });
    shop.get<Slug>('/s/:slug/*', async (request, reply) => {
      const at = await atSlug(request.params.slug);
      if (at === null) return noStore(reply);
      const prefix = `/s/${request.params.slug}/`;
      return serveSite(
        request,
        reply,
        at,
        request.url.startsWith(prefix) ? request.url.slice(prefix.length) : '',
      );
    });
    shop.post<Slug>('/s/:slug/order', orderPost, async (request, reply) =>
      placeOrder(request, reply, await atSlug(request.params.slug)),
    );
    shop.options('/s/:slug/order', preflight);
    shop.get<SlugOrder>('/s/:slug/order/:id', async (request, reply) =>
      showOrder(reply, await atSlug(request.params.slug), request.params.id),
    );
    shop.post<SlugOrder>('/s/:slug/order/:id/pay', orderPost, async (request, reply) =>
      payAgain(request, reply, await atSlug(request.params.slug), request.params.id),
    );
    shop.get<SlugOrder>('/s/:slug/order/:id/paid', async (request, reply) =>
      paymentCallback(request, reply, await atSlug(request.params.slug), request.params.id),
    );

    // A custom domain: the same site at the root. On the server's own hosts these find no store.
    shop.get('/*', async (request, reply) => {
      const at = await atHost(request);
      if (at === null) return reply.callNotFound();
      return serveSite(request, reply, at, request.url.slice(1));
    });
    shop.post('/order', orderPost, async (request, reply) => {
      const at = await atHost(request);
      if (at === null) return reply.callNotFound();
      return placeOrder(request, reply, at);
    });
    shop.options('/order', preflight);
    shop.get<HostOrder>('/order/:id', async (request, reply) => {
      const at = await atHost(request);
      if (at === null) return reply.callNotFound();
      return showOrder(reply, at, request.params.id);
    });
    shop.post<HostOrder>('/order/:id/pay', orderPost, async (request, reply) => {
      const at = await atHost(request);
      if (at === null) return reply.callNotFound();
      return payAgain(request, reply, at, request.params.id);
    });
    shop.get<HostOrder>('/order/:id/paid', async (request, reply) => {
      const at = await atHost(request);
      if (at === null) return reply.callNotFound();
      return paymentCallback(request, reply, at, request.params.id);
    });
    done();
  });
}
