/**
 * Money is integer kobo everywhere; naira appear only when a figure is shown.
 * Formatting works on bigint so no amount ever passes through a float.
 */

export type Kobo = number;

const nairaFormat = new Intl.NumberFormat('en-NG', {
  style: 'currency',
  currency: 'NGN',
  currencyDisplay: 'symbol',
  maximumFractionDigits: 0,
});

export function assertKobo(amount: number): Kobo {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`Amount ${String(amount)} is not a whole number of kobo`);
  }
  return amount;
}

/** ₦1,234.50 from 123450 kobo; whole naira drop the kobo unless `alwaysKobo`. */
export function formatNaira(kobo: Kobo | bigint, options: { alwaysKobo?: boolean } = {}): string {
  const value = typeof kobo === 'bigint' ? kobo : BigInt(assertKobo(kobo));
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const naira = magnitude / 100n;
  const rest = magnitude % 100n;
  const whole = nairaFormat.format(naira);
  const withKobo =
    rest !== 0n || options.alwaysKobo === true ? `${whole}.${rest.toString().padStart(2, '0')}` : whole;
  return negative ? `-${withKobo}` : withKobo;
}

/**
 * Parses what a cashier types ("1,500", "₦1500.5", "-₦20", "NGN 1,500.50") into kobo; null when it
 * is not an amount. Commas (or spaces) must group thousands, so a slip like "1,50,0" is refused, not guessed.
 */
export function parseNairaToKobo(text: string): Kobo | null {
  const cleaned = text.trim().replace(/^NGN\s*/i, '');
  const match = /^(-?)₦?\s*(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (match === null) return null;
  const [, sign = '', naira = '0', kobo = ''] = match;
  const total = Number(naira.replace(/[, ]/g, '')) * 100 + Number(kobo.padEnd(2, '0'));
  return sign === '-' && total !== 0 ? -total : total;
}
