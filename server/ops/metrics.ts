/**
 * The sync server's Prometheus metrics, one registry per server instance (so two instances in
 * one test process do not collide): request durations by route, push batch, push group and
 * pull page sizes, mutations by outcome and entity, conflicts by resolution, open realtime sockets,
 * providers' webhooks by provider and outcome, the online store's orders, online payments and
 * publishes, and the default process metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PAYMENT_OPTIONS } from '../../shared/store/draft';
import { SYNC_ENTITIES } from '../../shared/sync/protocol';

const KNOWN_ENTITIES = new Set<string>(SYNC_ENTITIES);

/** The providers whose webhooks the server takes (server/hooks/), as they appear in the URLs. */
export const WEBHOOK_PROVIDERS = ['termii', 'africastalking', 'whatsapp'] as const;
/** The payment providers whose webhooks the online store takes (server/store/payment-hooks.ts). */
export const PAYMENT_WEBHOOK_PROVIDERS = ['paystack', 'flutterwave'] as const;
const KNOWN_WEBHOOK_PROVIDERS = new Set<string>([...WEBHOOK_PROVIDERS, ...PAYMENT_WEBHOOK_PROVIDERS]);

/**
 * What a webhook came to: `appended` (changes for counters), `duplicate` (all of it seen before),
 * `ignored` (nothing of use: a read receipt of an unknown kind, a reply that is not a STOP, a
 * payment event of another kind or for no order of ours), `invalid` (400), `unknown_key` (404),
 * `bad_signature` (401), `verified` and `refused` for Meta's verification handshake,
 * `unconfirmed` (a payment event the provider would not confirm yet: 503, so it is sent again),
 * `error` (the server's own trouble).
 */
export type WebhookOutcome =
  | 'appended'
  | 'duplicate'
  | 'ignored'
  | 'invalid'
  | 'unknown_key'
  | 'bad_signature'
  | 'verified'
  | 'refused'
  | 'unconfirmed'
  | 'error';

/**
 * What an order post to a storefront came to: `placed` (a store_order row for the counters),
 * `invalid` (400: the form or the JSON was not an order this store can take), `sold_out` (400: not
 * enough stock left), `rate_limited` (429), `not_found` (no such live store).
 */
export type StoreOrderOutcome = 'placed' | 'invalid' | 'sold_out' | 'rate_limited' | 'not_found';
const KNOWN_PAYMENT_OPTIONS = new Set<string>(PAYMENT_OPTIONS);

/**
 * An online payment step: `checkout` (the provider gave a checkout page), `paid` and `failed`
 * (verified and recorded), `pending` (the provider has no outcome yet), `repeated` (a callback
 * already recorded), `provider_error` (the provider failed, refused or did not answer in time).
 */
export type StorePaymentOutcome = 'checkout' | 'paid' | 'failed' | 'pending' | 'repeated' | 'provider_error';

export class ServerMetrics {
  readonly registry = new Registry();

  readonly requestSeconds = new Histogram({
    name: 'kasuwa_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly pushBatchSize = new Histogram({
    name: 'kasuwa_push_batch_mutations',
    help: 'Mutations per pushed batch.',
    buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2000],
    registers: [this.registry],
  });

  readonly pushGroupSize = new Histogram({
    name: 'kasuwa_push_group_batches',
    help: 'Pushed batches of one business committed together in one transaction.',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly pullPageSize = new Histogram({
    name: 'kasuwa_pull_page_changes',
    help: 'Changes sent per pull page.',
    buckets: [0, 1, 10, 50, 100, 500, 1000, 2500, 5000],
    registers: [this.registry],
  });

  readonly mutations = new Counter({
    name: 'kasuwa_mutations_total',
    help: 'Pushed mutations by outcome and entity.',
    labelNames: ['status', 'entity'] as const,
    registers: [this.registry],
  });

  readonly conflicts = new Counter({
    name: 'kasuwa_conflicts_total',
    help: 'Conflicts by resolution: merged by the rules, or manual for the owner.',
    labelNames: ['resolution'] as const,
    registers: [this.registry],
  });

  readonly webhooks = new Counter({
    name: 'kasuwa_webhooks_total',
    help: 'Provider webhooks (delivery reports, replies, verification) by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly storeOrders = new Counter({
    name: 'kasuwa_store_orders_total',
    help: 'Order posts to published storefronts by payment method and outcome.',
    labelNames: ['payment', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly storePayments = new Counter({
    name: 'kasuwa_store_payments_total',
    help: 'Online payment steps for storefront orders by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly storefrontPublishes = new Counter({
    name: 'kasuwa_storefront_publishes_total',
    help: 'Storefronts put live or taken down, by action.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  readonly realtimeSockets = new Gauge({
    name: 'kasuwa_realtime_sockets',
    help: 'Open realtime WebSockets.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Both series exist from the start, so a dashboard's rate() sees the first conflict.
    for (const resolution of ['merged', 'manual'] as const) this.conflicts.inc({ resolution }, 0);
  }

  countMutation(entity: string, status: string, resolution?: 'merged' | 'manual'): void {
    // Only known entity names become labels: a client cannot grow the series without end.
    this.mutations.inc({ status, entity: KNOWN_ENTITIES.has(entity) ? entity : 'invalid' });
    if (resolution !== undefined) this.conflicts.inc({ resolution });
  }

  countStoreOrder(payment: string, outcome: StoreOrderOutcome): void {
    // A shopper's made-up payment method does not become a series either.
    this.storeOrders.inc({ payment: KNOWN_PAYMENT_OPTIONS.has(payment) ? payment : 'unknown', outcome });
  }

  countStorePayment(provider: 'paystack' | 'flutterwave', outcome: StorePaymentOutcome): void {
    this.storePayments.inc({ provider, outcome });
  }

  countWebhook(provider: string, outcome: WebhookOutcome): void {
    // As for entities: a caller's made-up provider name does not become a series.
    this.webhooks.inc({ provider: KNOWN_WEBHOOK_PROVIDERS.has(provider) ? provider : 'unknown', outcome });
  }
}
