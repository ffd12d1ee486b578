/**
 * What the HTTP adapters share: one request with a time limit (15 s, or the caller's signal,
 * whichever ends first), the answer read whole up to a bound and parsed when it is JSON, every
 * failure handed back as a value, `Retry-After` in milliseconds, phone numbers as the digits
 * providers want, and sentences made from a provider's answer kept short and free of secrets.
 */

export const PROVIDER_TIMEOUT_MS = 15_000;

/** A history listing is the largest answer; anything past this is not read (and not trusted). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export type ProviderAnswer =
  | {
      reached: true;
      status: number;
      retryAfterMs: number | null;
      /** The parsed body when it was JSON; undefined when it was not, or could not be read whole. */
      json: unknown;
      text: string;
    }
  /**
   * No HTTP answer: refused, dropped, unresolvable or timed out. `maybeTaken` is false only when
   * the request cannot have left (the address did not resolve, the connection was refused);
   * after a timeout or a cut connection the provider may well have the message.
   */
  | { reached: false; reason: string; maybeTaken: boolean };

/**
 * Sends one request. A timeout or a network failure comes back as `reached: false`; only the
 * caller's own signal aborting rejects (with its reason), since then the caller has stopped
 * caring about the answer.
 */
export async function providerRequest(
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
  timeoutMs: number = PROVIDER_TIMEOUT_MS,
): Promise<ProviderAnswer> {
  signal.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: combined, redirect: 'error' });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (timeout.aborted) {
      return {
        reached: false,
        reason: `no answer from ${url.host} within ${seconds(timeoutMs)}`,
        maybeTaken: true,
      };
    }
    const code = networkCode(error);
    return {
      reached: false,
      reason: `could not reach ${url.host} (${code})`,
      maybeTaken: !NEVER_SENT.has(code),
    };
  }
  let read: { text: string; whole: boolean };
  try {
    read = await readBounded(response);
  } catch {
    if (signal.aborted) throw signal.reason;
    read = { text: '', whole: false };
  }
  const { text, whole } = read;
  let json: unknown = undefined;
  if (whole && text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return {
    reached: true,
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    json,
    text,
  };
}

async function readBounded(response: Response): Promise<{ text: string; whole: boolean }> {
  if (response.body === null) return { text: '', whole: true };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return { text: '', whole: false };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), whole: true };
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `now`; null when absent. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The failure's code (ECONNREFUSED, ECONNRESET …) from fetch's error chain, without its message. */
/** Failures that happen before a request can leave this computer. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
]);

function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** `{baseUrl}/{path}`, whether or not the configured base URL ends in a slash. */
export function endpoint(baseUrl: string, path: string): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(path.replace(/^\/+/, ''), base);
}

/** `+2348031234567` → `2348031234567`; null for anything that is not E.164. */
export function e164Digits(to: string): string | null {
  return /^\+[1-9]\d{7,14}$/.test(to) ? to.slice(1) : null;
}

/**
 * A provider's words made fit for a reason column: one line, at most 200 characters, and any
 * secret (as written, or URL-encoded as it travels in a query or form) replaced by `***`.
 * Providers do sometimes echo a request back in an error.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let clean = text.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    for (const form of new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ])) {
      clean = clean.split(form).join('***');
    }
  }
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

/** A string field of a JSON object, if it is one. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Text of a provider's error answer: its `message` (or `error.message`), else the raw body. */
export function answerMessage(answer: { json: unknown; text: string }): string {
  const message = field(answer.json, 'message');
  if (typeof message === 'string' && message.length > 0) return message;
  const nested = field(field(answer.json, 'error'), 'message');
  if (typeof nested === 'string' && nested.length > 0) return nested;
  return answer.text.length > 0 ? answer.text : 'no details given';
}

/** A request that got no HTTP answer: always a retry, flagged when the provider may have it anyway. */
export function noAnswer(answer: { maybeTaken: boolean }, reason: string) {
  return { outcome: 'retry', reason, retryAfterMs: null, ambiguous: answer.maybeTaken } as const;
}
