/**
 * The storefront's orders on the server: taking one in (priced from the live config against the
 * server's own view of the stock, numbered, and appended to the business's change log as a
 * `store_order` row every counter pulls), reading one back with its payments and the counter's
 * update, the online payments started for it (their references, for a later check with the
 * provider), and recording an online payment's outcome as a `store_payment` row.
 *
 * Stock: the published config says how many of each product could be ordered at the publishing
 * counter's pull cursor. Orders after that cursor are not in it, so each order's units are taken
 * off — unless a counter has since cancelled that order, which gives them back. Orders of one
 * business are taken one at a time under its row lock (the lock pushes take too), so two shoppers
 * cannot both buy the last unit, and a cancellation being pushed is either seen or not, never half.
 */
import type pg from 'pg';
import { uuidv7 } from '../../shared/ids';
import {
  priceOrder,
  storefrontConfigSchema,
  storeOrderRow,
  type OrderInput,
  type StorefrontConfig,
} from '../../shared/store/storefront';
import {
  checkMutation,
  storeOrderRowSchema,
  storeOrderUpdateRowSchema,
  storePaymentRowSchema,
  type StoreOrderRow,
  type StoreOrderUpdateRow,
  type StorePaymentRow,
} from '../../shared/sync/protocol';
import { inTransaction } from '../db/database';
import { unstorableText } from '../db/storable-text';
import { appendServerRows, appendServerRowsIn, serverRowId } from '../hooks/server-changes';
import type { PaymentProviderId } from './payments/provider';
import type { Storefront } from './storefronts';

export type PlaceOutcome =
  | { ok: true; order: StoreOrderRow }
  /** The store was unpublished (or never was) by the time the order got its turn. */
  | { ok: false; reason: 'gone' }
  | { ok: false; reason: 'refused'; field: string; message: string; soldOut: boolean };

export interface OrderView {
  order: StoreOrderRow;
  /** Oldest first. */
  payments: StorePaymentRow[];
  /** What a counter did with it (fulfilled or cancelled), if anything yet. */
  update: StoreOrderUpdateRow | null;
}

const LOCK_BUSINESS = 'SELECT change_seq FROM businesses WHERE id = $1 FOR NO KEY UPDATE';

const LOCK_STOREFRONT = `
  SELECT published_at, publish_cursor, next_order_number, unpublished_at
    FROM storefronts WHERE business_id = $1 FOR UPDATE`;

/** Units of these products in the business's orders after the cursor that no counter cancelled. */
const UNITS_ORDERED_SINCE = `
  SELECT line ->> 'productId' AS product_id, sum((line ->> 'quantity')::int)::int AS units
    FROM changes o CROSS JOIN LATERAL jsonb_array_elements(o.data -> 'lines') AS line
   WHERE o.business_id = $1 AND o.seq > $2 AND o.entity = 'store_order'
     AND line ->> 'productId' = ANY($3::text[])
     AND NOT EXISTS (
       SELECT 1 FROM records u
        WHERE u.business_id = $1 AND u.entity = 'store_order_update'
          AND u.data ->> 'orderId' = o.entity_id AND u.data ->> 'status' = 'cancelled')
   GROUP BY 1`;

export class StoreOrders {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  /** Prices and takes in an order for `site`, or says which field stops it. */
  async place(site: Storefront, input: OrderInput): Promise<PlaceOutcome> {
    const unstorable = unstorableText(input);
    if (unstorable !== null) {
      const field = unstorable.split(/[.:]/, 1)[0] ?? 'items';
      return {
        ok: false,
        reason: 'refused',
        field,
        message: 'Some of the text has characters that cannot be kept',
        soldOut: false,
      };
    }
    return inTransaction(this.pool, async (client): Promise<PlaceOutcome> => {
      await client.query(LOCK_BUSINESS, [site.businessId]);
      const locked = (
        await client.query<{
          published_at: number;
          publish_cursor: number;
          next_order_number: number;
          unpublished_at: number | null;
        }>(LOCK_STOREFRONT, [site.businessId])
      ).rows[0];
      if (locked === undefined || locked.unpublished_at !== null) return { ok: false, reason: 'gone' };
      // The site as read for this request is usually the one live; if a publish came between,
      // the order is priced from the new one.
      const config =
        locked.published_at === site.publishedAt
          ? site.config
          : await this.liveConfig(client, site.businessId);
      const productIds = [...new Set(input.items.map((item) => item.productId))];
      const ordered = await client.query<{ product_id: string; units: number }>(UNITS_ORDERED_SINCE, [
        site.businessId,
        locked.publish_cursor,
        productIds,
      ]);
      const taken = new Map(ordered.rows.map((row) => [row.product_id, row.units]));
      const published = new Map(config.products.map((product) => [product.id, product.available]));
      const available = (id: string) => Math.max(0, (published.get(id) ?? 0) - (taken.get(id) ?? 0));
      const priced = priceOrder(config, input, available);
      if (!priced.ok) {
        return {
          ok: false,
          reason: 'refused',
          field: priced.field,
          message: priced.message,
          soldOut: priced.field === 'items' && wantsMoreThanLeft(input, published, available),
        };
      }
      const placedAt = this.now();
      const order = storeOrderRow(input, priced.value, {
        id: uuidv7(placedAt),
        number: locked.next_order_number,
        placedAt,
        test: false,
      });
      // What every counter will check on pull: an order it would refuse must not be written.
      const checked = checkMutation(
        { entity: 'store_order', entityId: order.id, op: 'append', data: order },
        'pull',
      );
      if (!checked.ok) throw new Error(`a priced order does not fit the store_order row: ${checked.reason}`);
      await client.query(
        'UPDATE storefronts SET next_order_number = next_order_number + 1 WHERE business_id = $1',
        [site.businessId],
      );
      await appendServerRowsIn(client, site.businessId, [{ entity: 'store_order', data: order }], this.now);
      return { ok: true, order };
    });
  }

  /** An order of the business with its payments and update; null when it has no such order. */
  async view(businessId: string, orderId: string): Promise<OrderView | null> {
    const found = await this.pool.query<{ data: unknown }>(
      "SELECT data FROM records WHERE business_id = $1 AND entity = 'store_order' AND entity_id = $2",
      [businessId, orderId],
    );
    const row = found.rows[0];
    if (row === undefined) return null;
    const related = await this.pool.query<{ entity: string; data: unknown }>(
      `SELECT entity, data FROM records
        WHERE business_id = $1 AND entity IN ('store_payment', 'store_order_update') AND data ->> 'orderId' = $2
        ORDER BY seq`,
      [businessId, orderId],
    );
    const payments: StorePaymentRow[] = [];
    let update: StoreOrderUpdateRow | null = null;
    for (const entry of related.rows) {
      if (entry.entity === 'store_payment') {
        const payment = storePaymentRowSchema.safeParse(entry.data);
        if (payment.success) payments.push(payment.data);
      } else {
        const parsed = storeOrderUpdateRowSchema.safeParse(entry.data);
        if (parsed.success) update = parsed.data;
      }
    }
    return { order: storeOrderRowSchema.parse(row.data), payments, update };
  }

  /**
   * Records a verified payment once: its id is made from the provider, the reference and `also`
   * (the provider's transaction id where one reference may carry several attempts, and the
   * outcome), so a repeated callback appends nothing, while a reference that failed and was then
   * paid appends both.
   */
  async recordPayment(
    businessId: string,
    payment: Omit<StorePaymentRow, 'id' | 'at'>,
    also: string[],
  ): Promise<{ row: StorePaymentRow; added: boolean }> {
    const row: StorePaymentRow = {
      id: serverRowId(businessId, 'store_payment', [payment.provider, payment.reference, ...also]),
      ...payment,
      at: this.now(),
    };
    const outcome = await appendServerRows(
      this.pool,
      businessId,
      [{ entity: 'store_payment', data: row }],
      this.now,
    );
    return { row, added: outcome.added > 0 };
  }

  /** Remembers a payment the provider gave a checkout page for, so it can be checked later. */
  async recordAttempt(
    businessId: string,
    attempt: { orderId: string; provider: PaymentProviderId; reference: string },
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO store_payment_attempts (business_id, reference, order_id, provider, started_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [businessId, attempt.reference, attempt.orderId, attempt.provider, this.now()],
    );
  }

  /** The payments started for an order, newest first (at most `limit`). */
  async attempts(
    businessId: string,
    orderId: string,
    limit: number,
  ): Promise<{ provider: PaymentProviderId; reference: string }[]> {
    const result = await this.pool.query<{ provider: PaymentProviderId; reference: string }>(
      `SELECT provider, reference FROM store_payment_attempts
        WHERE business_id = $1 AND order_id = $2 ORDER BY started_at DESC, reference DESC LIMIT $3`,
      [businessId, orderId, limit],
    );
    return result.rows;
  }

  /** The business's secret key for a provider, only to call that provider with. */
  async secretKey(businessId: string, provider: PaymentProviderId): Promise<string | null> {
    const result = await this.pool.query<{ secret_key: string }>(
      'SELECT secret_key FROM store_payment_keys WHERE business_id = $1 AND provider = $2',
      [businessId, provider],
    );
    return result.rows[0]?.secret_key ?? null;
  }

  private async liveConfig(client: pg.PoolClient, businessId: string): Promise<StorefrontConfig> {
    const result = await client.query<{ config: unknown }>(
      'SELECT config FROM storefronts WHERE business_id = $1',
      [businessId],
    );
    return storefrontConfigSchema.parse(result.rows[0]?.config);
  }
}

function wantsMoreThanLeft(
  input: OrderInput,
  published: ReadonlyMap<string, number>,
  available: (id: string) => number,
): boolean {
  const wanted = new Map<string, number>();
  for (const item of input.items)
    wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
  return [...wanted].some(([id, quantity]) => published.has(id) && quantity > available(id));
}
