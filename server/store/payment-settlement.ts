/**
 * Settling an online payment, whichever way word of it arrives: the shopper's return to the
 * callback, the provider's webhook, or a counter's "Check payment". Each asks the provider itself
 * (a redirect's query or a webhook's body is never taken at its word), checks the payment is this
 * order's, for its total, in naira, and records the outcome as the same `store_payment` row (its
 * id made from the provider, the reference, Flutterwave's transaction id and the outcome), so the
 * three together append it once.
 */
import type { StoreOrderRow, StorePaymentRow } from '../../shared/sync/protocol';
import type { ServerMetrics } from '../ops/metrics';
import type { StoreOrders } from './orders';
import {
  PaymentProviderError,
  type PaymentCallback,
  type PaymentProvider,
  type PaymentProviderId,
  type PaymentVerdict,
} from './payments/provider';

/** What the provider said of one payment, before anything is recorded. */
export type PaymentCheck =
  /** The server holds no secret key for the provider: nothing can be asked. */
  | { kind: 'no_key' }
  /** The provider's transaction carries another order's reference. */
  | { kind: 'not_this_order' }
  /** No outcome yet (the shopper is at the bank's page, or never finished the checkout). */
  | { kind: 'pending'; verdict: PaymentVerdict }
  | {
      kind: 'final';
      status: 'paid' | 'failed';
      /** Paid at the provider, but not this order's total in naira: recorded as failed. */
      mismatch: boolean;
      verdict: PaymentVerdict;
      payment: Omit<StorePaymentRow, 'id' | 'at'>;
      /** What the row's id is made from besides the provider and the reference. */
      also: string[];
    };

export type Settlement =
  | Exclude<PaymentCheck, { kind: 'final' }>
  | { kind: 'recorded'; status: 'paid' | 'failed'; mismatch: boolean; added: boolean; row: StorePaymentRow };

/** A reference we made for this order: `<order id>-<attempt>`. */
export const isOrderReference = (orderId: string, reference: string): boolean =>
  reference.startsWith(`${orderId}-`) && reference.length <= 200;

/** The order a reference of ours belongs to, or null for one we did not make. */
export function orderIdOfReference(reference: string): string | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-/i.exec(reference);
  return match?.[1] !== undefined && reference.length <= 200 ? match[1].toLowerCase() : null;
}

export class PaymentSettlement {
  constructor(
    private readonly orders: StoreOrders,
    private readonly providers: Record<PaymentProviderId, PaymentProvider>,
    private readonly metrics: ServerMetrics,
  ) {}

  /**
   * Asks the provider about one payment of `order`. A provider that fails, refuses or does not
   * answer in time throws its PaymentProviderError (counted here).
   */
  async check(
    businessId: string,
    order: StoreOrderRow,
    method: PaymentProviderId,
    asked: PaymentCallback,
  ): Promise<PaymentCheck> {
    const key = await this.orders.secretKey(businessId, method);
    if (key === null) {
      this.metrics.countStorePayment(method, 'provider_error');
      return { kind: 'no_key' };
    }
    let verdict: PaymentVerdict;
    try {
      verdict = await this.providers[method].verify(key, asked);
    } catch (error) {
      if (error instanceof PaymentProviderError) this.metrics.countStorePayment(method, 'provider_error');
      throw error;
    }
    if (!isOrderReference(order.id, verdict.reference) || verdict.reference !== asked.reference) {
      return { kind: 'not_this_order' };
    }
    if (verdict.status === 'pending') {
      this.metrics.countStorePayment(method, 'pending');
      return { kind: 'pending', verdict };
    }
    const paid =
      verdict.status === 'paid' && verdict.amountKobo === order.totalKobo && verdict.currency === 'NGN';
    const status = paid ? 'paid' : 'failed';
    // Flutterwave's reference can carry several transactions (one per try at its checkout), so
    // its transaction id is part of the row's identity; a Paystack reference is one transaction.
    const transactionId =
      method === 'flutterwave' ? (asked.transactionId ?? verdict.transactionId ?? '') : '';
    return {
      kind: 'final',
      status,
      mismatch: verdict.status === 'paid' && !paid,
      verdict,
      payment: {
        orderId: order.id,
        provider: method,
        reference: verdict.reference,
        status,
        amountKobo: verdict.amountKobo,
      },
      also: [transactionId, status],
    };
  }

  /** Records a final outcome once; `repeated` in the metrics when it was already recorded. */
  async record(
    businessId: string,
    final: Extract<PaymentCheck, { kind: 'final' }>,
  ): Promise<Extract<Settlement, { kind: 'recorded' }>> {
    const recorded = await this.orders.recordPayment(businessId, final.payment, final.also);
    this.metrics.countStorePayment(final.payment.provider, recorded.added ? final.status : 'repeated');
    return {
      kind: 'recorded',
      status: final.status,
      mismatch: final.mismatch,
      added: recorded.added,
      row: recorded.row,
    };
  }

  /** `check`, then `record` a final outcome. */
  async settle(
    businessId: string,
    order: StoreOrderRow,
    method: PaymentProviderId,
    asked: PaymentCallback,
  ): Promise<Settlement> {
    const checked = await this.check(businessId, order, method, asked);
    return checked.kind === 'final' ? this.record(businessId, checked) : checked;
  }
}
