/**
 * Sentences the storefront shows shoppers and sends on WhatsApp. `cart.js` has the same wording
 * for what it writes in the browser (the unit test holds the two together).
 */
import { formatNaira } from '../../../../shared/money';
import type { StorefrontConfig } from '../../../../shared/store/storefront';
import type { StockVisibility } from '../../../../shared/store/draft';

/** "Same day", "2 days", "1–3 days". */
export function daysText(days: { min: number; max: number }): string {
  if (days.max === 0) return 'Same day';
  if (days.min === days.max) return `${days.max} day${days.max === 1 ? '' : 's'}`;
  return `${days.min}–${days.max} days`;
}

/** What a product's card and page say about its stock; null when the shop hides it. */
export function stockText(
  available: number,
  visibility: StockVisibility,
): { text: string; out: boolean } | null {
  if (available <= 0) return { text: visibility === 'hidden' ? 'Not available' : 'Sold out', out: true };
  if (visibility === 'exact') return { text: `${available} left`, out: false };
  if (visibility === 'in-or-out') return { text: 'In stock', out: false };
  return null;
}

export interface MessageLine {
  name: string;
  quantity: number;
  unitPriceKobo: number;
}

/**
 * The prefilled WhatsApp order: a greeting, one line per item with its price, the subtotal when
 * there is more than one line, then any details ("Name: Ada") the shopper filled in.
 */
export function orderMessage(
  storeName: string,
  lines: readonly MessageLine[],
  details: readonly [string, string][] = [],
): string {
  const out = [`Hello ${storeName}, I would like to order:`];
  let subtotal = 0;
  for (const line of lines) {
    const total = line.unitPriceKobo * line.quantity;
    subtotal += total;
    out.push(`${line.quantity} × ${line.name} (${formatNaira(total)})`);
  }
  if (lines.length > 1) out.push(`Subtotal: ${formatNaira(subtotal)}`);
  for (const [label, value] of details) if (value.trim() !== '') out.push(`${label}: ${value.trim()}`);
  return out.join('\n');
}

export function whatsappLink(digits: string, text: string): string {
  return `https://wa.me/${digits}?text=${encodeURIComponent(text)}`;
}

type DeliveryEntry = StorefrontConfig['delivery'][number];

/** A delivery option's price as a shopper who has not chosen a state yet can know it. */
export function deliveryPriceText(option: DeliveryEntry, zones: StorefrontConfig['zones']): string {
  if (option.pricing === 'free') return 'Free';
  if (option.pricing === 'fixed') return `${formatNaira(option.priceKobo)} · ${daysText(option.days)}`;
  if (option.pricing === 'quoted') return 'Price confirmed after your order';
  const prices = zones.map((zone) => zone.priceKobo + option.priceKobo);
  if (prices.length === 0) return 'By your state';
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  return low === high
    ? `${formatNaira(low)} by your state`
    : `${formatNaira(low)} to ${formatNaira(high)} by your state`;
}
