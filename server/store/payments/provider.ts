/**
 * What the storefront's order intake needs of an online payment provider, whichever it is: start a
 * payment (a checkout page to send the shopper to, which sends them back to our callback) and
 * verify a payment the provider says was made. Adapters speak each provider's documented API
 * (./paystack.ts, ./flutterwave.ts); a provider that fails, refuses or does not answer in time
 * is a `PaymentProviderError`, whose message names neither the secret key nor the shopper.
 */
export const PAYMENT_PROVIDER_IDS = ['paystack', 'flutterwave'] as const;
export type PaymentProviderId = (typeof PAYMENT_PROVIDER_IDS)[number];

export const PROVIDER_NAMES: Record<PaymentProviderId, string> = {
  paystack: 'Paystack',
  flutterwave: 'Flutterwave',
};

export interface PaymentStart {
  secretKey: string;
  /** Ours, unique per attempt; the provider hands it back to the callback. */
  reference: string;
  amountKobo: number;
  email: string;
  /** E.164. */
  phone: string;
  name: string;
  /** Where the provider sends the shopper back to after paying (or not). */
  callbackUrl: string;
  /** Shown on the provider's checkout page. */
  title: string;
}

/** What to verify: what the provider's callback redirect or webhook carried, or a started attempt's reference. */
export interface PaymentCallback {
  reference: string;
  /**
   * Flutterwave's transaction id (its verify endpoint is by id); absent for Paystack, and for a
   * Flutterwave payment known only by its reference (verified by reference then).
   */
  transactionId?: string;
}

export interface PaymentVerdict {
  /** `pending`: the provider has no outcome yet (the shopper is still at the bank's page). */
  status: 'paid' | 'failed' | 'pending';
  /** What the provider says was charged, in kobo. */
  amountKobo: number;
  currency: string;
  /** The reference the provider holds for the transaction (ours, as given at the start). */
  reference: string;
  /** The provider's own transaction id, when it gave one. */
  transactionId?: string;
  /**
   * The provider's word for the outcome ('abandoned': Paystack's checkout was opened and not
   * finished, which the shopper may still do).
   */
  providerStatus: string;
}

export interface PaymentProvider {
  readonly id: PaymentProviderId;
  /** The provider's checkout page for this payment. */
  start(payment: PaymentStart): Promise<{ checkoutUrl: string }>;
  verify(secretKey: string, callback: PaymentCallback): Promise<PaymentVerdict>;
}

export type PaymentFailure = 'timeout' | 'unreachable' | 'server_error' | 'refused' | 'bad_answer';

export class PaymentProviderError extends Error {
  constructor(
    readonly provider: PaymentProviderId,
    readonly failure: PaymentFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

/** Providers answer in a second or two; a shopper should not wait at a blank page much longer. */
export const DEFAULT_PAYMENT_TIMEOUT_MS = 15_000;
/** No provider answer of ours is anywhere near this; a larger one is not a provider's. */
const MAX_ANSWER_BYTES = 256 * 1024;

/**
 * One JSON request to a provider with its Bearer secret key: the parsed answer and its status, or
 * a PaymentProviderError for a timeout, no connection, a 5xx or an answer that is not JSON. 4xx
 * answers are returned (providers explain refusals in the body).
 */
export async function providerRequest(
  provider: PaymentProviderId,
  url: string,
  secretKey: string,
  timeoutMs: number,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const name = PROVIDER_NAMES[provider];
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${secretKey}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new PaymentProviderError(
      provider,
      timedOut ? 'timeout' : 'unreachable',
      timedOut ? `${name} did not answer within ${timeoutMs} ms` : `${name} could not be reached`,
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new PaymentProviderError(provider, 'unreachable', `${name}'s answer was cut off`);
  }
  if (response.status >= 500) {
    throw new PaymentProviderError(provider, 'server_error', `${name} answered ${response.status}`);
  }
  if (text.length > MAX_ANSWER_BYTES) {
    throw new PaymentProviderError(provider, 'bad_answer', `${name}'s answer is too large`);
  }
  try {
    return { status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    throw new PaymentProviderError(
      provider,
      'bad_answer',
      `${name} answered ${response.status} without JSON`,
    );
  }
}

/** The `message` a provider puts in a refusal, short and on one line. */
export function refusalMessage(json: unknown): string {
  const message =
    typeof json === 'object' && json !== null ? (json as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message.replace(/\s+/g, ' ').slice(0, 200) : 'no reason given';
}

/** A checkout URL is followed by the shopper's browser: it must be a web address, nothing else. */
export function checkoutUrl(provider: PaymentProviderId, value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
    } catch {
      // Not a URL: refused below.
    }
  }
  throw new PaymentProviderError(
    provider,
    'bad_answer',
    `${PROVIDER_NAMES[provider]} gave no checkout address`,
  );
}
