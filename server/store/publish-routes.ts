/**
 * Publishing a storefront from a paired counter (device token, like every /v1 route):
 *
 *   POST   /v1/storefront/missing        {hashes} → {missing}: which files to upload
 *   PUT    /v1/storefront/blobs/:sha256  the file's bytes (application/octet-stream, ≤ 5 MB) → 204
 *   PUT    /v1/storefront                {slug, customDomain, files, config, cursor, paymentKeys?}
 *                                        → {url, customDomain, publishedAt, files}: the site goes live
 *   GET    /v1/storefront                the live store (and whether payment keys are held), with
 *                                        `paymentHooks: {paystack, flutterwave, flutterwaveSecretHash}`:
 *                                        the webhook URLs (and Flutterwave's secret hash) for the
 *                                        owner to paste into the providers' dashboards; or 404
 *   DELETE /v1/storefront                unpublish → 204, or 404 when nothing was live
 *   POST   /v1/storefront/orders/:id/verify
 *                                        "Check payment" at the counter: asks the provider about the
 *                                        order's online payments and records the outcome as the
 *                                        callback would → {orderId, outcome, added, payment}
 *
 * Refusals carry `details.field` (slug, customDomain, files, paymentKeys, cursor) so the counter
 * can point at what to change; a slug or domain of another business is 409 `slug_taken` or
 * `domain_taken`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UUID_PATTERN } from '../../shared/ids';
import type { StorePaymentRow } from '../../shared/sync/protocol';
import type { ServerContext } from '../app';
import { hookKeyFor } from '../hooks/hook-keys';
import { ApiError, errorBody, parseInput } from '../http/api-error';
import { presentedToken } from '../tenancy/device-auth';
import { flutterwaveSecretHashFor } from './hook-secrets';
import type { StoreOrders } from './orders';
import type { PaymentCheck, PaymentSettlement } from './payment-settlement';
import { PROVIDER_NAMES, PaymentProviderError } from './payments/provider';
import { requestOrigin } from './shop-routes';
import { MAX_BLOB_BYTES, MAX_SITE_FILES, SHA256_HEX } from './site-files';
import { publishBodySchema, PublishRefusal, type Storefronts } from './storefronts';

/** Where the providers post payment events for this business, and Flutterwave's secret hash. */
export interface PaymentHooks {
  paystack: string;
  flutterwave: string;
  flutterwaveSecretHash: string;
}

/** What a counter's "Check payment" came to. */
export interface PaymentCheckAnswer {
  orderId: string;
  /**
   * `paid` (now or already recorded), `failed` (the provider says it did not go through, or not
   * for the order's total), `pending` (not paid yet: the shopper may still be at the checkout),
   * `not_started` (no checkout was ever opened for it).
   */
  outcome: 'paid' | 'failed' | 'pending' | 'not_started';
  /** Whether this check appended the payment row (false when it was known already). */
  added: boolean;
  payment: StorePaymentRow | null;
}

/** The newest tries at paying an order that a check asks the provider about. */
const ATTEMPTS_CHECKED = 10;

const missingSchema = z.object({
  hashes: z.array(z.string().regex(SHA256_HEX, 'A sha256 is 64 lower-case hex digits')).max(MAX_SITE_FILES),
});

/** 20,000 hashes of 64 digits, with the JSON around them. */
const MISSING_BODY_LIMIT = 2 * 1024 * 1024;
/** A manifest of 20,000 files and the config of 5,000 products, inflated. */
const PUBLISH_BODY_LIMIT = 16 * 1024 * 1024;

export async function registerPublishRoutes(
  app: FastifyInstance,
  context: ServerContext,
  services: { storefronts: Storefronts; orders: StoreOrders; settlement: PaymentSettlement },
): Promise<void> {
  const { auth, db, metrics, now } = context;
  const { storefronts, orders, settlement } = services;

  app.post('/v1/storefront/missing', { bodyLimit: MISSING_BODY_LIMIT }, async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const { hashes } = parseInput(missingSchema, request.body, 'list of files');
    return { missing: await storefronts.missing(device.businessId, hashes) };
  });

  // Raw bytes only here, and only from a known device: the token is checked before the body is read.
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES },
      (_request, body, parsed) => parsed(null, body),
    );
    scope.put<{ Params: { sha256: string } }>(
      '/v1/storefront/blobs/:sha256',
      {
        bodyLimit: MAX_BLOB_BYTES,
        onRequest: async (request) => {
          await auth.require(presentedToken(request.headers));
        },
      },
      async (request, reply) => {
        const device = await auth.require(presentedToken(request.headers));
        const { sha256 } = request.params;
        if (!SHA256_HEX.test(sha256)) {
          throw new ApiError(
            400,
            'invalid_input',
            "The address must end in the file's sha256: 64 lower-case hex digits.",
          );
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await storefronts.putBlob(device.businessId, sha256, body);
        if (outcome === 'wrong_hash') {
          throw new ApiError(
            400,
            'invalid_input',
            `The file's bytes do not have the sha256 ${sha256}: it was damaged on the way. Upload it again.`,
          );
        }
        if (outcome === 'over_quota') {
          throw new ApiError(413, 'too_large', "The store's files would take more than 1 GB on the server.");
        }
        return reply.code(204).send();
      },
    );
    done();
  });

  app.put('/v1/storefront', { bodyLimit: PUBLISH_BODY_LIMIT }, async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const body = parseInput(publishBodySchema, request.body, 'storefront');
    try {
      const answer = await storefronts.publish(device.businessId, body, request.host);
      metrics.storefrontPublishes.inc({ action: 'published' });
      return answer;
    } catch (error) {
      if (!(error instanceof PublishRefusal)) throw error;
      return reply
        .code(error.status)
        .send({ error: { code: error.code, message: error.message, details: { field: error.field } } });
    }
  });

  app.get('/v1/storefront', async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const summary = await storefronts.summary(device.businessId);
    if (summary === null) throw new ApiError(404, 'not_found', 'This business has no store online.');
    const origin = requestOrigin(request);
    if (origin === null) {
      throw new ApiError(
        400,
        'invalid_input',
        'The request has no usable Host header to build the webhook URLs from.',
      );
    }
    const key = await hookKeyFor(db.orm, device.businessId, now());
    const paymentHooks: PaymentHooks = {
      paystack: `${origin}/hooks/paystack/${key}`,
      flutterwave: `${origin}/hooks/flutterwave/${key}`,
      // A store published before secret hashes were made gets its own now.
      flutterwaveSecretHash: await flutterwaveSecretHashFor(db.pool, device.businessId, now()),
    };
    return { ...summary, paymentHooks };
  });

  app.post<{ Params: { id: string } }>('/v1/storefront/orders/:id/verify', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const { id } = request.params;
    const view = UUID_PATTERN.test(id) ? await orders.view(device.businessId, id) : null;
    if (view === null) throw new ApiError(404, 'not_found', 'The server has no such online order.');
    const { order } = view;
    const method = order.payment.method;
    if (method !== 'paystack' && method !== 'flutterwave') {
      throw new ApiError(
        400,
        'invalid_input',
        `Order ${order.number} is not paid online, so there is no payment to check with a provider.`,
      );
    }
    const answer = (
      outcome: PaymentCheckAnswer['outcome'],
      payment: StorePaymentRow | null,
      added = false,
    ): PaymentCheckAnswer => ({ orderId: order.id, outcome, added, payment });
    const known = view.payments.find((payment) => payment.status === 'paid');
    if (known !== undefined) return answer('paid', known);
    const attempts = (await orders.attempts(device.businessId, order.id, ATTEMPTS_CHECKED)).filter(
      (attempt) => attempt.provider === method,
    );
    if (attempts.length === 0) return answer('not_started', null);
    // Every try is asked about: a shopper may have paid once, then opened the checkout again.
    const finals: Extract<PaymentCheck, { kind: 'final' }>[] = [];
    let trouble: PaymentProviderError | null = null;
    for (const attempt of attempts) {
      let checked: PaymentCheck;
      try {
        checked = await settlement.check(device.businessId, order, method, {
          reference: attempt.reference,
        });
      } catch (error) {
        if (!(error instanceof PaymentProviderError)) throw error;
        request.log.warn(
          { provider: method, failure: error.failure, reason: error.message },
          'payment check failed',
        );
        trouble ??= error;
        continue;
      }
      if (checked.kind === 'no_key') {
        return reply
          .code(409)
          .send(
            errorBody(
              'payment_key_missing',
              `The server has no ${PROVIDER_NAMES[method]} secret key to check the payment with. Publish the store again with the key.`,
            ),
          );
      }
      if (checked.kind !== 'final') continue;
      if (checked.status === 'paid') {
        const recorded = await settlement.record(device.businessId, checked);
        return answer('paid', recorded.row, recorded.added);
      }
      finals.push(checked);
    }
    if (trouble !== null) {
      return reply
        .code(502)
        .send(
          errorBody(
            'payment_unavailable',
            `${PROVIDER_NAMES[method]} could not be asked about the payment just now. Try again in a minute.`,
          ),
        );
    }
    // Paystack calls a checkout opened and not finished "abandoned"; the shopper may still pay.
    const failed = finals.find((final) => final.verdict.providerStatus !== 'abandoned');
    if (failed === undefined) return answer('pending', null);
    const recorded = await settlement.record(device.businessId, failed);
    return answer('failed', recorded.row, recorded.added);
  });

  app.delete('/v1/storefront', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    if (!(await storefronts.unpublish(device.businessId))) {
      throw new ApiError(404, 'not_found', 'This business has no store online.');
    }
    metrics.storefrontPublishes.inc({ action: 'unpublished' });
    return reply.code(204).send();
  });
}
