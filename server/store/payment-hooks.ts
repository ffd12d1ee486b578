/**
 * The payment providers' webhooks, so an order is marked paid even when the shopper paid and
 * closed the tab before coming back to the callback:
 *
 *   POST /hooks/paystack/:key     signed `x-paystack-signature`: hex HMAC-SHA512 of the exact
 *                                 body with the business's Paystack secret key; `charge.success`
 *   POST /hooks/flutterwave/:key  `verif-hash`: the business's Flutterwave secret hash
 *                                 (./hook-secrets.ts); `charge.completed`
 *
 * The key is the business's webhook key (../hooks/hook-keys.ts), the same that names it in its
 * SMS and WhatsApp webhook URLs. The event is only a hint: the payment is verified with the
 * provider and recorded through PaymentSettlement exactly as the callback records it, so a
 * webhook and a callback for one payment append one `store_payment` row.
 *
 * Answers (providers read only the status): 404 for a key that is not ours, 401 for a missing
 * or wrong signature, 400 for a body that is not JSON, 200 at once for an event of another kind
 * or for a payment that is not one of our orders' (the shop's Paystack account may take other
 * payments too), 200 once recorded (or already recorded), and 503 when the provider would not
 * confirm the payment just now, so the provider sends the event again later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../app';
import { errorBody } from '../http/api-error';
import { businessForHookKey } from '../hooks/hook-keys';
import type { WebhookOutcome } from '../ops/metrics';
import { flutterwaveSecretHash, sameSecret } from './hook-secrets';
import type { StoreOrders } from './orders';
import { orderIdOfReference, type PaymentSettlement } from './payment-settlement';
import { PaymentProviderError, type PaymentCallback, type PaymentProviderId } from './payments/provider';

/** Provider events are a few kilobytes. */
const HOOK_BODY_LIMIT = 256 * 1024;

const paystackEvent = z.object({
  event: z.string(),
  data: z
    .object({ reference: z.string().min(1).max(200) })
    .partial()
    .optional(),
});

const flutterwaveEvent = z.object({
  event: z.string().optional(),
  data: z
    .object({
      id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
      tx_ref: z.string(),
    })
    .partial()
    .optional(),
});

/** Paystack signs the exact bytes it sent with the secret key: hex HMAC-SHA512. */
export function validPaystackSignature(raw: Buffer, header: string | undefined, secretKey: string): boolean {
  const given = header?.trim() ?? '';
  if (!/^[0-9a-f]{128}$/i.test(given)) return false;
  const expected = createHmac('sha512', secretKey).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

type Keyed = { Params: { key: string } };

/** What a webhook answers: the outcome, and whether a payment row was appended. */
export interface PaymentHookAnswer {
  outcome: 'recorded' | 'repeated' | 'ignored';
  status?: 'paid' | 'failed';
}

export async function registerPaymentHookRoutes(
  app: FastifyInstance,
  context: ServerContext,
  services: { orders: StoreOrders; settlement: PaymentSettlement },
): Promise<void> {
  const { db, metrics } = context;
  const { orders, settlement } = services;

  /** The payment an event names, checked with the provider and recorded; the webhook's answer. */
  async function settleEvent(
    reply: FastifyReply,
    businessId: string,
    provider: PaymentProviderId,
    asked: PaymentCallback,
  ) {
    const count = (outcome: WebhookOutcome) => metrics.countWebhook(provider, outcome);
    const ignored = () => {
      count('ignored');
      return reply.code(200).send({ outcome: 'ignored' } satisfies PaymentHookAnswer);
    };
    const orderId = orderIdOfReference(asked.reference);
    if (orderId === null) return ignored();
    const view = await orders.view(businessId, orderId);
    if (view === null || view.order.payment.method !== provider) return ignored();
    const unconfirmed = (why: string) => {
      count('unconfirmed');
      return reply.code(503).header('retry-after', '60').send(errorBody('unavailable', why));
    };
    let settled;
    try {
      settled = await settlement.settle(businessId, view.order, provider, asked);
    } catch (error) {
      if (!(error instanceof PaymentProviderError)) throw error;
      reply.log.warn(
        { provider, failure: error.failure, reason: error.message },
        'webhook payment not verified',
      );
      return unconfirmed('The payment could not be verified with the provider just now.');
    }
    if (settled.kind === 'no_key')
      return unconfirmed('The store holds no secret key to verify the payment with.');
    if (settled.kind === 'not_this_order') return ignored();
    if (settled.kind === 'pending') return unconfirmed('The provider has not confirmed the payment yet.');
    if (settled.mismatch) {
      reply.log.warn(
        { provider, order: view.order.number },
        'a payment does not match its order total or currency',
      );
    }
    count(settled.added ? 'appended' : 'duplicate');
    return reply.code(200).send({
      outcome: settled.added ? 'recorded' : 'repeated',
      status: settled.status,
    } satisfies PaymentHookAnswer);
  }

  function refuse(reply: FastifyReply, provider: PaymentProviderId, status: 400 | 401 | 404, why: string) {
    metrics.countWebhook(
      provider,
      status === 404 ? 'unknown_key' : status === 401 ? 'bad_signature' : 'invalid',
    );
    const code = status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'invalid_input';
    return reply.code(status).send(errorBody(code, why));
  }

  function json(raw: Buffer): unknown {
    try {
      return JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /** The server's own trouble is counted too, then answered by the usual error handler. */
  async function counted(provider: PaymentProviderId, handled: Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await handled;
    } catch (error) {
      metrics.countWebhook(provider, 'error');
      throw error;
    }
  }

  const rawBody = (request: FastifyRequest) =>
    Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

  async function paystackHook(request: FastifyRequest<Keyed>, reply: FastifyReply): Promise<FastifyReply> {
    const businessId = await businessForHookKey(db.orm, request.params.key);
    if (businessId === null) return refuse(reply, 'paystack', 404, 'This webhook URL is not known here.');
    const raw = rawBody(request);
    const secretKey = await orders.secretKey(businessId, 'paystack');
    const signature = request.headers['x-paystack-signature'];
    if (
      secretKey === null ||
      !validPaystackSignature(raw, typeof signature === 'string' ? signature : undefined, secretKey)
    ) {
      return refuse(
        reply,
        'paystack',
        401,
        'The x-paystack-signature header is missing or is not the body signed with this store’s Paystack secret key.',
      );
    }
    const event = paystackEvent.safeParse(json(raw));
    if (!event.success) return refuse(reply, 'paystack', 400, 'The webhook body is not a Paystack event.');
    const reference = event.data.data?.reference;
    if (event.data.event !== 'charge.success' || reference === undefined) {
      metrics.countWebhook('paystack', 'ignored');
      return reply.code(200).send({ outcome: 'ignored' } satisfies PaymentHookAnswer);
    }
    return settleEvent(reply, businessId, 'paystack', { reference });
  }

  async function flutterwaveHook(request: FastifyRequest<Keyed>, reply: FastifyReply): Promise<FastifyReply> {
    const businessId = await businessForHookKey(db.orm, request.params.key);
    if (businessId === null) return refuse(reply, 'flutterwave', 404, 'This webhook URL is not known here.');
    const expected = await flutterwaveSecretHash(db.pool, businessId);
    const given = request.headers['verif-hash'];
    if (expected === null || !sameSecret(typeof given === 'string' ? given : undefined, expected)) {
      return refuse(
        reply,
        'flutterwave',
        401,
        'The verif-hash header is missing or is not this store’s Flutterwave secret hash.',
      );
    }
    const event = flutterwaveEvent.safeParse(json(rawBody(request)));
    if (!event.success)
      return refuse(reply, 'flutterwave', 400, 'The webhook body is not a Flutterwave event.');
    const { id, tx_ref: txRef } = event.data.data ?? {};
    if (event.data.event !== 'charge.completed' || id === undefined || txRef === undefined) {
      metrics.countWebhook('flutterwave', 'ignored');
      return reply.code(200).send({ outcome: 'ignored' } satisfies PaymentHookAnswer);
    }
    return settleEvent(reply, businessId, 'flutterwave', { reference: txRef, transactionId: String(id) });
  }

  // The signature is over the exact bytes: these routes take the raw body and parse it themselves.
  await app.register((hooks, _options, done) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT },
      (_request, body, parsed) => parsed(null, body),
    );

    hooks.post<Keyed>('/hooks/paystack/:key', { bodyLimit: HOOK_BODY_LIMIT }, (request, reply) =>
      counted('paystack', paystackHook(request, reply)),
    );
    hooks.post<Keyed>('/hooks/flutterwave/:key', { bodyLimit: HOOK_BODY_LIMIT }, (request, reply) =>
      counted('flutterwave', flutterwaveHook(request, reply)),
    );
    done();
  });
}
