/**
 * HTTP to the sync server: pairing, push, pull, the device list, the webhook URLs and the online
 * store (publishing, its status, checking an order's payment), with time limits sized to
 * the link, gzip both ways, and the link's speed measured on every push so the next batch fits
 * it. A failure becomes a SyncHttpError whose sentence a shop owner can act on.
 */
import { gzipSync } from 'node:zlib';
import type {
  DeviceInfo,
  MeResponse,
  PairingCodeResponse,
  PairResponse,
  PullResponse,
  PushResponse,
  StorePaymentRow,
} from '../../../shared/sync/protocol';
import type { StorefrontConfig } from '../../../shared/store/storefront';

export class SyncHttpError extends Error {
  constructor(
    message: string,
    /** 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }

  /** The server will never take this device's token again: stop trying until re-paired. */
  get revoked(): boolean {
    return this.status === 401;
  }

  /** Worth another try later (the link, the server or its database is down). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface LinkSample {
  /** Both ways, as on the wire (compressed where it was). */
  bytes: number;
  /** The request body as sent. */
  sentBytes: number;
  ms: number;
}

/** The requests the sync engine makes; tests give a real server, never a fake of this. */
export interface WebhookUrls {
  termii: string;
  africastalking: string;
  whatsapp: string;
}

/** What a counter sends to publish its store (the files themselves go up first, by hash). */
export interface PublishStorefrontBody {
  slug: string;
  customDomain: string | null;
  files: { path: string; sha256: string; contentType: string }[];
  config: StorefrontConfig;
  /** This counter's pull cursor: orders after it are not yet counted in the config's stock. */
  cursor: number;
  /** Secret keys the server needs to take online payments; null removes one, absent keeps it. */
  paymentKeys?: { paystack?: string | null; flutterwave?: string | null };
}

export interface PublishStorefrontAnswer {
  url: string;
  customDomain: string | null;
  publishedAt: number;
  files: number;
}

/** Where the payment providers post their events for this business's store. */
export interface StorePaymentHookUrls {
  paystack: string;
  flutterwave: string;
  /** What the owner pastes into Flutterwave's dashboard as "Secret hash". */
  flutterwaveSecretHash: string;
}

/** The business's live store as the server holds it (`GET /v1/storefront`). */
export interface StorefrontStatus extends PublishStorefrontAnswer {
  slug: string;
  cursor: number;
  config: StorefrontConfig;
  /** Whether the server holds each provider's secret key (the keys never come back). */
  paymentKeys: { paystack: boolean; flutterwave: boolean };
  paymentHooks: StorePaymentHookUrls;
}

/** What the server's check of an order's online payment with its provider came to. */
export interface StorePaymentCheck {
  orderId: string;
  /** `not_started`: no checkout was ever opened for it; `pending`: not paid (yet). */
  outcome: 'paid' | 'failed' | 'pending' | 'not_started';
  /** Whether the check appended the payment row (false when it was known already). */
  added: boolean;
  payment: StorePaymentRow | null;
}

export interface SyncTransport {
  createBusiness(
    serverUrl: string,
    body: { businessName: string; branchName: string; deviceName: string },
  ): Promise<PairResponse>;
  pair(serverUrl: string, body: { code: string; deviceName: string }): Promise<PairResponse>;
  me(serverUrl: string, token: string): Promise<MeResponse>;
  pairingCode(serverUrl: string, token: string, body: { branchName?: string }): Promise<PairingCodeResponse>;
  devices(serverUrl: string, token: string): Promise<DeviceInfo[]>;
  revoke(serverUrl: string, token: string, deviceId: string): Promise<DeviceInfo[]>;
  /** The business's webhook addresses to give the message providers. */
  hooks(serverUrl: string, token: string): Promise<WebhookUrls>;
  /** Which of these sha256 hashes the server does not hold yet. */
  storefrontMissing(serverUrl: string, token: string, hashes: string[]): Promise<string[]>;
  storefrontBlob(serverUrl: string, token: string, sha256: string, body: Buffer): Promise<void>;
  publishStorefront(
    serverUrl: string,
    token: string,
    body: PublishStorefrontBody,
  ): Promise<PublishStorefrontAnswer>;
  /** The business's live store with its payment webhook URLs; null when none is online. */
  storefrontStatus(serverUrl: string, token: string): Promise<StorefrontStatus | null>;
  /** Has the server ask the provider about an online order's payment and record the outcome. */
  verifyStorePayment(serverUrl: string, token: string, orderId: string): Promise<StorePaymentCheck>;
  /** `body` is the JSON text of a PushRequest, built without re-encoding the queued payloads. */
  push(
    serverUrl: string,
    token: string,
    body: string,
    gzip: boolean,
  ): Promise<{ response: PushResponse; sample: LinkSample }>;
  pull(
    serverUrl: string,
    token: string,
    after: number,
    limit: number,
  ): Promise<{ response: PullResponse; sample: LinkSample }>;
}

/** Time for a request: a base for a slow start plus what the body needs at 2G-grade speed. */
function timeoutFor(bytes: number): number {
  return 20_000 + Math.ceil(bytes / 2_000) * 1_000;
}

export class HttpSyncTransport implements SyncTransport {
  constructor(private readonly userAgent = 'Kasuwa counter') {}

  private async request(
    serverUrl: string,
    path: string,
    options: {
      method?: string;
      token?: string;
      body?: string | Buffer;
      contentType?: string;
      gzip?: boolean;
      timeoutMs?: number;
      /** Safe to send twice (push is applied at most once, pull only reads). */
      repeatable?: boolean;
    } = {},
  ): Promise<{ value: unknown; bytes: number; sentBytes: number; ms: number }> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'gzip',
      'user-agent': this.userAgent,
    };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.body;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      if (options.gzip === true) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    const sent = body === undefined ? 0 : Buffer.byteLength(body);
    const started = performance.now();
    const attempt = () =>
      fetch(`${serverUrl}${path}`, {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? timeoutFor(sent)),
      });
    let response: Response;
    try {
      response = await attempt();
    } catch (error) {
      // A kept-alive connection the link dropped fails at once; a repeatable request tries a
      // fresh one before giving up. A timeout is not retried: the link is slow, not stale.
      if (options.repeatable !== true || isTimeout(error)) throw unreachable(serverUrl, error);
      try {
        response = await attempt();
      } catch (again) {
        throw unreachable(serverUrl, again);
      }
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw unreachable(serverUrl, error);
    }
    const ms = performance.now() - started;
    if (!response.ok) throw fromAnswer(response.status, text);
    if (text === '') return { value: null, bytes: sent, sentBytes: sent, ms };
    try {
      return {
        value: JSON.parse(text) as unknown,
        bytes: sent + wireLength(response, text),
        sentBytes: sent,
        ms,
      };
    } catch {
      throw new SyncHttpError(
        'The sync server sent an answer Kasuwa cannot read.',
        response.status,
        'bad_answer',
      );
    }
  }

  async createBusiness(
    serverUrl: string,
    body: { businessName: string; branchName: string; deviceName: string },
  ) {
    return (await this.request(serverUrl, '/v1/businesses', { body: JSON.stringify(body) }))
      .value as PairResponse;
  }

  async pair(serverUrl: string, body: { code: string; deviceName: string }) {
    return (await this.request(serverUrl, '/v1/pair', { body: JSON.stringify(body) })).value as PairResponse;
  }

  async me(serverUrl: string, token: string) {
    return (await this.request(serverUrl, '/v1/me', { token })).value as MeResponse;
  }

  async pairingCode(serverUrl: string, token: string, body: { branchName?: string }) {
    const answer = await this.request(serverUrl, '/v1/pairing-codes', { token, body: JSON.stringify(body) });
    return answer.value as PairingCodeResponse;
  }

  async devices(serverUrl: string, token: string) {
    return (await this.request(serverUrl, '/v1/devices', { token })).value as DeviceInfo[];
  }

  async hooks(serverUrl: string, token: string) {
    return (await this.request(serverUrl, '/v1/hooks', { token })).value as WebhookUrls;
  }

  async revoke(serverUrl: string, token: string, deviceId: string) {
    const path = `/v1/devices/${encodeURIComponent(deviceId)}/revoke`;
    const answer = await this.request(serverUrl, path, { token, method: 'POST', body: '{}' });
    return answer.value as DeviceInfo[];
  }

  async storefrontMissing(serverUrl: string, token: string, hashes: string[]) {
    const answer = await this.request(serverUrl, '/v1/storefront/missing', {
      token,
      body: JSON.stringify({ hashes }),
      repeatable: true,
    });
    return (answer.value as { missing: string[] }).missing;
  }

  async storefrontBlob(serverUrl: string, token: string, sha256: string, body: Buffer) {
    await this.request(serverUrl, `/v1/storefront/blobs/${sha256}`, {
      token,
      method: 'PUT',
      body,
      contentType: 'application/octet-stream',
      repeatable: true,
    });
  }

  async publishStorefront(serverUrl: string, token: string, body: PublishStorefrontBody) {
    const answer = await this.request(serverUrl, '/v1/storefront', {
      token,
      method: 'PUT',
      body: JSON.stringify(body),
      gzip: true,
      repeatable: true,
    });
    return answer.value as PublishStorefrontAnswer;
  }

  async storefrontStatus(serverUrl: string, token: string) {
    try {
      const answer = await this.request(serverUrl, '/v1/storefront', { token, repeatable: true });
      return answer.value as StorefrontStatus;
    } catch (error) {
      if (error instanceof SyncHttpError && error.status === 404 && error.code === 'not_found') return null;
      throw error;
    }
  }

  async verifyStorePayment(serverUrl: string, token: string, orderId: string) {
    const path = `/v1/storefront/orders/${encodeURIComponent(orderId)}/verify`;
    // Repeatable: a second check records nothing the first did not.
    const answer = await this.request(serverUrl, path, {
      token,
      method: 'POST',
      body: '{}',
      repeatable: true,
    });
    return answer.value as StorePaymentCheck;
  }

  async push(serverUrl: string, token: string, body: string, gzip: boolean) {
    const result = await this.request(serverUrl, '/v1/push', { token, body, gzip, repeatable: true });
    return {
      response: result.value as PushResponse,
      sample: { bytes: result.bytes, sentBytes: result.sentBytes, ms: result.ms },
    };
  }

  async pull(serverUrl: string, token: string, after: number, limit: number) {
    const result = await this.request(serverUrl, `/v1/pull?after=${after}&limit=${limit}`, {
      token,
      timeoutMs: timeoutFor(limit * 1_000),
      repeatable: true,
    });
    return {
      response: result.value as PullResponse,
      sample: { bytes: result.bytes, sentBytes: result.sentBytes, ms: result.ms },
    };
  }
}

/** What the answer took on the wire: fetch hands back the body already gunzipped. */
function wireLength(response: Response, text: string): number {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > 0) return declared;
  // Chunked and compressed: JSON of this kind shrinks about four times.
  return response.headers.get('content-encoding') === 'gzip' ? Math.ceil(text.length / 4) : text.length;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function unreachable(serverUrl: string, error: unknown): SyncHttpError {
  const timedOut = isTimeout(error);
  return new SyncHttpError(
    timedOut
      ? `The sync server at ${serverUrl} took too long to answer. The link may be slow or down; Kasuwa will try again.`
      : `Kasuwa could not reach the sync server at ${serverUrl}. Check the internet or the shop network; Kasuwa will try again.`,
    0,
    timedOut ? 'timeout' : 'unreachable',
  );
}

function fromAnswer(status: number, text: string): SyncHttpError {
  let code = 'http_error';
  let message = '';
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not our server's error shape (a proxy's page, say): the status says enough.
  }
  if (status === 401) {
    return new SyncHttpError(
      message || 'The sync server no longer accepts this counter. Pair it again from the Sync screen.',
      status,
      code === 'http_error' ? 'unauthorized' : code,
    );
  }
  if (status >= 500) {
    return new SyncHttpError(
      `The sync server has a problem (${status})${message ? `: ${message}` : ''}. Kasuwa will try again.`,
      status,
      code,
    );
  }
  return new SyncHttpError(message || `The sync server refused the request (${status}).`, status, code);
}
