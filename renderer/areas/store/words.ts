/** The shop owner's words for the Store screen: times, order and payment states, sizes. */
import type { StoreOrderStatus } from '../../../shared/contract';
import type { OrderPaymentStatus } from '../../../shared/store/storefront';

/** "10:42", in the shop's clock. */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString('en-NG', { hour: '2-digit', minute: '2-digit' });
}

/** "3 Mar 2026, 10:42". */
export function dateTime(at: number): string {
  return new Date(at).toLocaleString('en-NG', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export const ORDER_STATUS_WORDS: Record<StoreOrderStatus, string> = {
  pending: 'Waiting',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
};

export const PAYMENT_STATUS_WORDS: Record<OrderPaymentStatus, string> = {
  'awaiting-payment': 'Not paid yet',
  paid: 'Paid',
  failed: 'Payment failed',
  'on-delivery': 'Pays on delivery',
  'awaiting-transfer': 'Waiting for the transfer',
};

/** "1.2 MB", "640 KB". */
export function size(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} KB`;
}

/** "1–3 days", "same day", "2 days". */
export function daysWords(min: number, max: number): string {
  if (max === 0) return 'same day';
  if (min === max) return `${min} ${min === 1 ? 'day' : 'days'}`;
  return `${min}–${max} days`;
}
