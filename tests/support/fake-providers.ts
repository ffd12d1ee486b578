/**
 * Stand-ins for the message providers, on 127.0.0.1 only: a Termii (send and message history),
 * an Africa's Talking and a WhatsApp Cloud API that take each provider's documented request and
 * answer in its documented shapes, and a real SMTP server (smtp-server). Each records every
 * message it took so a test can count deliveries per recipient, checks the key or token (a wrong
 * one gets the provider's own 401), and can be told to answer the next requests with 429, 500 or
 * 400, to lose an answer after taking the message, or to go silent. Given a callback URL, the
 * HTTP fakes post delivery reports in the provider's webhook format, with an exact share of
 * failures per number prefix so results per carrier can be checked. Everything is bounded (body
 * size, recorded messages, queued reports), quiet (no per-request logging) and stops on close().
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { carrierForNational, type Carrier } from '../../shared/phone';

// ── What every fake shares ────────────────────────────────────────────────────────────────────

export interface AcceptedMessage {
  /** E.164, whatever form the provider's API takes it in. */
  to: string;
  /** The text sent; for a WhatsApp template, its body parameters joined by ' | '. */
  text: string;
  /** Our message id where the provider's API carries one (WhatsApp's biz_opaque_callback_data). */
  reference: string | null;
  providerMessageId: string;
  /** WhatsApp only: the template the message was sent with. */
  template?: { name: string; language: string; parameters: string[] };
  at: number;
}

/** What the next requests get instead of a normal answer. */
export type FakeFailure =
  | { answer: 429; retryAfterSeconds?: number }
  | { answer: 500 }
  | { answer: 400; message?: string; code?: number }
  /** The message is taken and recorded, then the connection is cut before the answer. */
  | { answer: 'lost' }
  /** No answer at all until the fake closes (for timeouts). */
  | { answer: 'silent' };

export interface FakeProviderOptions {
  /** Delivery reports are posted here in the provider's webhook format; none without it. */
  callbackUrl?: string;
  /**
   * Share of messages (0 to 1) reported failed, per number prefix in international digits
   * (`234803`) or national form (`0803`); the longest matching prefix counts. The share is kept
   * exactly, not drawn at random: after n messages to a prefix, round(share × n) have failed.
   */
  failureShare?: Record<string, number>;
  /** E.164 numbers on the do-not-disturb register. */
  dnd?: Iterable<string>;
  /** At most this many messages are recorded; past it sends get 503. Default 200,000. */
  maxMessages?: number;
}

export interface SentRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeProvider {
  /** The base URL to configure the adapter with. */
  readonly url: string;
  readonly accepted: readonly AcceptedMessage[];
  /** API requests answered or refused, all endpoints. */
  readonly requests: number;
  /** The last request to the send endpoint, as it arrived. */
  readonly lastSend: SentRequest | null;
  readonly reports: { posted: number; failed: number; dropped: number };
  /** How many times a message to this E.164 number was taken. */
  countTo(to: string): number;
  /** The next `count` API requests (after the key check) get `failure`. */
  failNext(count: number, failure: FakeFailure): void;
  setDnd(numbers: Iterable<string>): void;
  /** Resolves when every report queued so far has been posted (or has failed to be). */
  reportsSettled(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const MAX_QUEUED_REPORTS = 100_000;
const REPORT_CONCURRENCY = 8;

interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: string;
  /** Set by a 'lost' failure: the answer is replaced by a cut connection. */
  lose: boolean;
}

interface Report {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/** Posts reports in order per message, a few at a time, and can say when all are out. */
class ReportQueue {
  readonly counts = { posted: 0, failed: 0, dropped: 0 };
  private readonly waiting: Report[][] = [];
  private busy = 0;
  private idle: (() => void)[] = [];
  private stopped = false;
  private readonly target: URL;
  // node:http rather than fetch: several times cheaper a request, which 10,000 reports notice.
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: REPORT_CONCURRENCY });

  constructor(url: string) {
    this.target = new URL(url);
    if (this.target.protocol !== 'http:')
      throw new Error('Delivery reports go to a plain http:// URL on loopback');
  }

  push(reports: Report[]): void {
    if (this.stopped) return;
    if (this.waiting.length >= MAX_QUEUED_REPORTS) {
      this.counts.dropped += reports.length;
      return;
    }
    this.waiting.push(reports);
    this.pump();
  }

  settled(): Promise<void> {
    if (this.busy === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    this.stopped = true;
    this.waiting.length = 0;
    this.agent.destroy();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private pump(): void {
    while (this.busy < REPORT_CONCURRENCY && this.waiting.length > 0) {
      const reports = this.waiting.shift();
      if (reports === undefined) break;
      this.busy += 1;
      void this.postAll(reports).finally(() => {
        this.busy -= 1;
        this.pump();
        if (this.busy === 0 && this.waiting.length === 0)
          for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private async postAll(reports: Report[]): Promise<void> {
    for (const report of reports) {
      if (this.stopped) return;
      if (await this.post(report)) this.counts.posted += 1;
      else this.counts.failed += 1;
    }
  }

  private post(report: Report): Promise<boolean> {
    return new Promise((resolve) => {
      const request = http.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          timeout: 5_000,
          headers: {
            'Content-Type': report.contentType,
            'Content-Length': Buffer.byteLength(report.body),
            ...report.headers,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300),
          );
          response.on('error', () => resolve(false));
        },
      );
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(false));
      request.end(report.body);
    });
  }
}

/** Exact failure shares per prefix (see FakeProviderOptions.failureShare). */
class FailureShares {
  private readonly prefixes: { prefix: string; share: number; seen: number; failed: number }[];

  constructor(shares: Record<string, number> = {}) {
    this.prefixes = Object.entries(shares)
      .map(([prefix, share]) => ({
        prefix: prefix.startsWith('0') ? `234${prefix.slice(1)}` : prefix.replace(/^\+/, ''),
        share: Math.min(1, Math.max(0, share)),
        seen: 0,
        failed: 0,
      }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Whether this message (to these international digits) is the one that fails. */
  fails(digits: string): boolean {
    const entry = this.prefixes.find((candidate) => digits.startsWith(candidate.prefix));
    if (entry === undefined) return false;
    entry.seen += 1;
    if (entry.failed < Math.round(entry.share * entry.seen)) {
      entry.failed += 1;
      return true;
    }
    return false;
  }
}

type Route = (exchange: Exchange) => void;

/** The HTTP plumbing under each fake: bounded bodies, failures on request, records, reports. */
class FakeCore {
  readonly accepted: AcceptedMessage[] = [];
  readonly perRecipient = new Map<string, number>();
  readonly shares: FailureShares;
  readonly reports: ReportQueue | null;
  readonly maxMessages: number;
  dnd: Set<string>;
  requests = 0;
  lastSend: SentRequest | null = null;
  private readonly failures: FakeFailure[] = [];
  private readonly held = new Set<http.ServerResponse>();
  private server: http.Server | null = null;

  constructor(options: FakeProviderOptions) {
    this.shares = new FailureShares(options.failureShare);
    this.reports = options.callbackUrl === undefined ? null : new ReportQueue(options.callbackUrl);
    this.maxMessages = options.maxMessages ?? 200_000;
    this.dnd = new Set(options.dnd);
  }

  async listen(route: Route): Promise<string> {
    const server = http.createServer((req, res) => this.receive(req, res, route));
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse, route: Route): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        send(res, 413, 'Request body too large', 'text/plain');
        return;
      }
      const exchange: Exchange = {
        req,
        res,
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        body: Buffer.concat(chunks).toString('utf8'),
        lose: false,
      };
      this.requests += 1;
      try {
        route(exchange);
      } catch {
        if (!res.headersSent) send(res, 500, 'fake provider error', 'text/plain');
      }
    });
  }

  /**
   * The next failure, if one is set. 'silent' holds the answer back here; 'lost' marks the
   * exchange so its answer becomes a cut connection. Other failures are the caller's to answer.
   */
  failure(exchange: Exchange): Exclude<FakeFailure, { answer: 'lost' | 'silent' }> | 'held' | null {
    const failure = this.failures.shift();
    if (failure === undefined) return null;
    if (failure.answer === 'silent') {
      this.held.add(exchange.res);
      exchange.res.once('close', () => this.held.delete(exchange.res));
      return 'held';
    }
    if (failure.answer === 'lost') {
      exchange.lose = true;
      return null;
    }
    return failure;
  }

  failNext(count: number, failure: FakeFailure): void {
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
  }

  full(): boolean {
    return this.accepted.length >= this.maxMessages;
  }

  record(message: AcceptedMessage): void {
    this.accepted.push(message);
    this.perRecipient.set(message.to, (this.perRecipient.get(message.to) ?? 0) + 1);
  }

  /** Queues reports once the answer is out (or cut), as a provider reports after answering. */
  report(exchange: Exchange, reports: () => Report[]): void {
    const queue = this.reports;
    if (queue === null) return;
    exchange.res.once('close', () => queue.push(reports()));
  }

  reply(
    exchange: Exchange,
    status: number,
    body: string,
    contentType: string,
    headers?: Record<string, string>,
  ) {
    if (exchange.lose) {
      exchange.req.socket.destroy();
      return;
    }
    send(exchange.res, status, body, contentType, headers);
  }

  async close(): Promise<void> {
    this.reports?.close();
    for (const res of this.held) res.destroy();
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** What a test holds of a fake: live counts and records, the controls, close(). */
function facadeOf(core: FakeCore, url: string): FakeProvider {
  return {
    url,
    accepted: core.accepted,
    get requests() {
      return core.requests;
    },
    get lastSend() {
      return core.lastSend;
    },
    get reports() {
      return core.reports?.counts ?? { posted: 0, failed: 0, dropped: 0 };
    },
    countTo: (to) => core.perRecipient.get(to) ?? 0,
    failNext: (count, failure) => core.failNext(count, failure),
    setDnd: (numbers) => {
      core.dnd = new Set(numbers);
    },
    reportsSettled: () => core.reports?.settled() ?? Promise.resolve(),
    close: () => core.close(),
  };
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function sentRequest(exchange: Exchange): SentRequest {
  return {
    method: exchange.req.method ?? '',
    path: exchange.url.pathname,
    headers: exchange.req.headers,
    body: exchange.body,
  };
}

/** `YYYY-MM-DD HH:mm:ss` at a fixed offset from UTC, as Termii writes its times. */
function termiiClock(at: number, offsetHours: number): string {
  return new Date(at + offsetHours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function carrierOf(digits: string): Carrier | null {
  return digits.startsWith('234') ? carrierForNational(`0${digits.slice(3)}`) : null;
}

// ── Termii ────────────────────────────────────────────────────────────────────────────────────

export interface FakeTermiiOptions extends FakeProviderOptions {
  apiKey: string;
  /** Sender IDs registered on the account; any sender is taken when absent. */
  senderIds?: string[];
  /** The offset from UTC of the times in the history and reports (Termii gives no zone). Default 0. */
  clockOffsetHours?: number;
  /** Signs each report with X-Termii-Signature (HMAC-SHA512 of the body) when given. */
  signingSecret?: string;
  /** Naira per message, as reports carry it. Default '3.9'. */
  cost?: string;
}

export interface TermiiHistoryEntry {
  sender: string;
  receiver: string;
  message: string;
  amount: number;
  reroute: number;
  status: string;
  sms_type: string;
  send_by: string;
  media_url: null;
  message_id: string;
  notify_url: null;
  notify_id: null;
  created_at: string;
}

export interface FakeTermii extends FakeProvider {
  /** Puts an entry in the message history as if sent at `at` (ms), e.g. an older identical message. */
  addHistory(entry: { to: string; text: string; at: number; status?: string }): string;
}

const TERMII_STATUS = {
  delivered: 'DELIVERED',
  failed: 'Message Failed',
  dnd: 'DND Active on Phone Number',
} as const;

export async function startFakeTermii(options: FakeTermiiOptions): Promise<FakeTermii> {
  const core = new FakeCore(options);
  const offset = options.clockOffsetHours ?? 0;
  const cost = options.cost ?? '3.9';
  /** Oldest first; the inbox answers newest first, as Termii does. */
  const history: TermiiHistoryEntry[] = [];
  let sequence = 0;
  let balance = 1_000_000;
  const nextId = () => {
    sequence += 1;
    return `30175${String(Date.now()).slice(-8)}${String(sequence).padStart(12, '0')}`;
  };
  const error = (exchange: Exchange, status: number, message: string, headers?: Record<string, string>) =>
    core.reply(exchange, status, json({ code: status, message }), 'application/json', headers);

  const refused = (exchange: Exchange): boolean => {
    const failure = core.failure(exchange);
    if (failure === 'held') return true;
    if (failure === null) return false;
    if (failure.answer === 429) {
      error(exchange, 429, 'Too Many Requests', { 'Retry-After': String(failure.retryAfterSeconds ?? 1) });
    } else if (failure.answer === 500) {
      error(exchange, 500, 'Server Error');
    } else {
      error(exchange, 400, failure.message ?? 'Bad Request');
    }
    return true;
  };

  const sendSms = (exchange: Exchange) => {
    core.lastSend = sentRequest(exchange);
    const body = parseJson(exchange.body);
    if (body === undefined) return error(exchange, 400, 'The request body is not valid JSON');
    if (prop(body, 'api_key') !== options.apiKey)
      return error(exchange, 401, 'Unauthorized: invalid API key');
    if (refused(exchange)) return;
    const to = prop(body, 'to');
    const from = prop(body, 'from');
    const sms = prop(body, 'sms');
    const route = prop(body, 'channel');
    if (typeof to !== 'string' || !/^\d{10,15}$/.test(to)) {
      return error(exchange, 400, 'Phone number must be in the international format without +');
    }
    if (typeof from !== 'string' || from.length < 3 || from.length > 11) {
      return error(exchange, 400, 'The from field must be between 3 and 11 characters');
    }
    if (options.senderIds !== undefined && !options.senderIds.includes(from)) {
      return error(exchange, 404, 'Invalid Sender Id');
    }
    if (typeof sms !== 'string' || sms.length === 0) return error(exchange, 400, 'The sms field is required');
    if (prop(body, 'type') !== 'plain') return error(exchange, 400, 'The selected type is invalid');
    if (route !== 'generic' && route !== 'dnd' && route !== 'whatsapp') {
      return error(exchange, 400, 'The selected channel is invalid');
    }
    if (core.full()) return error(exchange, 503, 'Service Unavailable');

    const id = nextId();
    const at = Date.now();
    const e164 = `+${to}`;
    const verdict =
      route === 'generic' && core.dnd.has(e164) ? 'dnd' : core.shares.fails(to) ? 'failed' : 'delivered';
    core.record({ to: e164, text: sms, reference: null, providerMessageId: id, at });
    history.push(
      historyEntry(from, to, sms, id, at, verdict === 'delivered' ? 'Delivered' : TERMII_STATUS[verdict]),
    );
    balance -= 1;
    core.report(exchange, () => {
      const report = json({
        type: 'outbound',
        id: randomUUID(),
        message_id: id,
        receiver: to,
        sender: from,
        message: sms,
        sent_at: termiiClock(at, offset),
        cost,
        status: TERMII_STATUS[verdict],
        channel: route,
      });
      const headers: Record<string, string> = {};
      if (options.signingSecret !== undefined) {
        headers['X-Termii-Signature'] = createHmac('sha512', options.signingSecret)
          .update(report)
          .digest('hex');
      }
      return [{ body: report, contentType: 'application/json', headers }];
    });
    core.reply(
      exchange,
      200,
      json({
        code: 'ok',
        message_id: id,
        message_id_str: id,
        message: 'Successfully Sent',
        balance,
        user: 'Kasuwa Test Shop',
      }),
      'application/json',
    );
  };

  const historyEntry = (
    sender: string,
    receiver: string,
    message: string,
    id: string,
    at: number,
    status: string,
  ): TermiiHistoryEntry => ({
    sender,
    receiver,
    message,
    amount: 1,
    reroute: 0,
    status,
    sms_type: 'plain',
    send_by: 'api',
    media_url: null,
    message_id: id,
    notify_url: null,
    notify_id: null,
    created_at: termiiClock(at, offset),
  });

  const inbox = (exchange: Exchange) => {
    if (exchange.url.searchParams.get('api_key') !== options.apiKey) {
      return error(exchange, 401, 'Unauthorized: invalid API key');
    }
    if (refused(exchange)) return;
    const only = exchange.url.searchParams.get('message_id');
    const entries = only === null ? history.slice().reverse() : history.filter((e) => e.message_id === only);
    core.reply(exchange, 200, json(entries), 'application/json');
  };

  const url = await core.listen((exchange) => {
    const { method } = exchange.req;
    const path = exchange.url.pathname;
    if (method === 'POST' && path === '/api/sms/send') return sendSms(exchange);
    if (method === 'GET' && path === '/api/sms/inbox') return inbox(exchange);
    error(exchange, 404, 'Not Found');
  });
  return Object.assign(facadeOf(core, url), {
    addHistory: ({ to, text, at, status }: { to: string; text: string; at: number; status?: string }) => {
      const id = nextId();
      history.push(historyEntry('Kasuwa', to.replace(/^\+/, ''), text, id, at, status ?? 'Delivered'));
      history.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
      return id;
    },
  });
}

// ── Africa's Talking ─────────────────────────────────────────────────────────────────────────

export interface FakeAfricasTalkingOptions extends FakeProviderOptions {
  username: string;
  apiKey: string;
  /** The account's registered sender ID; other `from` values get InvalidSenderId. */
  senderId?: string;
  /** Naira per message as the answer writes it. Default '2.2000'. */
  cost?: string;
}

/** A per-recipient status instead of Success, for the next requests' recipients. */
export type AfricasTalkingFailure = FakeFailure | { answer: 'recipient'; statusCode: number; status: string };

export interface FakeAfricasTalking extends Omit<FakeProvider, 'failNext'> {
  failNext(count: number, failure: AfricasTalkingFailure): void;
}

/** Africa's Talking's network codes for Nigeria; 99999 is what it gives an unknown network. */
const AT_NETWORK: Record<Carrier, string> = {
  MTN: '62130',
  Airtel: '62120',
  Glo: '62150',
  '9mobile': '62160',
  others: '99999',
};

export async function startFakeAfricasTalking(
  options: FakeAfricasTalkingOptions,
): Promise<FakeAfricasTalking> {
  const core = new FakeCore(options);
  const cost = options.cost ?? '2.2000';
  const recipientFailures: { statusCode: number; status: string }[] = [];
  const text = (exchange: Exchange, status: number, body: string, headers?: Record<string, string>) =>
    core.reply(exchange, status, body, 'text/plain', headers);

  const messaging = (exchange: Exchange) => {
    core.lastSend = sentRequest(exchange);
    const form = new URLSearchParams(exchange.body);
    if (exchange.req.headers.apikey !== options.apiKey || form.get('username') !== options.username) {
      return text(exchange, 401, 'The supplied authentication is invalid');
    }
    const failure = core.failure(exchange);
    if (failure === 'held') return;
    if (failure !== null) {
      if (failure.answer === 429) {
        return text(exchange, 429, 'Too Many Requests', {
          'Retry-After': String(failure.retryAfterSeconds ?? 1),
        });
      }
      if (failure.answer === 500) return text(exchange, 500, 'Internal Server Error');
      return text(exchange, 400, failure.message ?? 'Bad Request');
    }
    const to = form.get('to');
    const message = form.get('message');
    if (to === null || to.length === 0)
      return text(exchange, 400, "Request is missing required form field 'to'");
    if (message === null || message.length === 0) {
      return text(exchange, 400, "Request is missing required form field 'message'");
    }
    const accept = exchange.req.headers.accept ?? '';
    if (!accept.includes('application/json')) {
      // Without Accept: application/json Africa's Talking answers in XML.
      return core.reply(
        exchange,
        201,
        '<AfricasTalkingResponse><SMSMessageData/></AfricasTalkingResponse>',
        'text/xml',
      );
    }
    const from = form.get('from');
    if (from !== null && options.senderId !== undefined && from !== options.senderId) {
      return core.reply(
        exchange,
        201,
        json({ SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } }),
        'application/json',
      );
    }
    if (core.full()) return text(exchange, 503, 'Service Unavailable');

    const recipients: Record<string, string | number>[] = [];
    const taken: { id: string; number: string; failed: boolean }[] = [];
    for (const number of to.split(',').map((n) => n.trim())) {
      const forced = recipientFailures.shift();
      if (!/^\+\d{10,15}$/.test(number)) {
        recipients.push({
          statusCode: 403,
          number,
          status: 'InvalidPhoneNumber',
          cost: '0',
          messageId: 'None',
        });
      } else if (core.dnd.has(number)) {
        recipients.push({ statusCode: 406, number, status: 'UserInBlacklist', cost: '0', messageId: 'None' });
      } else if (forced !== undefined) {
        recipients.push({
          statusCode: forced.statusCode,
          number,
          status: forced.status,
          cost: '0',
          messageId: 'None',
        });
      } else {
        const id = `ATXid_${randomBytes(16).toString('hex')}`;
        recipients.push({ statusCode: 101, number, status: 'Success', cost: `NGN ${cost}`, messageId: id });
        core.record({ to: number, text: message, reference: null, providerMessageId: id, at: Date.now() });
        taken.push({ id, number, failed: core.shares.fails(number.slice(1)) });
      }
    }
    core.report(exchange, () =>
      taken.map(({ id, number, failed }) => {
        const report = new URLSearchParams({
          id,
          status: failed ? 'Failed' : 'Success',
          phoneNumber: number,
          networkCode: AT_NETWORK[carrierOf(number.slice(1)) ?? 'others'],
          retryCount: '0',
        });
        if (failed) report.set('failureReason', 'DeliveryFailure');
        return { body: report.toString(), contentType: 'application/x-www-form-urlencoded' };
      }),
    );
    const total = (Number(cost) * taken.length).toFixed(4);
    core.reply(
      exchange,
      201,
      json({
        SMSMessageData: {
          Message: `Sent to ${taken.length}/${recipients.length} Total Cost: NGN ${total}`,
          Recipients: recipients,
        },
      }),
      'application/json',
    );
  };

  const url = await core.listen((exchange) => {
    if (exchange.req.method === 'POST' && exchange.url.pathname === '/version1/messaging')
      return messaging(exchange);
    text(exchange, 404, 'Not Found');
  });
  return Object.assign(facadeOf(core, url), {
    failNext: (count: number, failure: AfricasTalkingFailure) => {
      if (failure.answer !== 'recipient') return core.failNext(count, failure);
      for (let i = 0; i < count; i += 1) {
        recipientFailures.push({ statusCode: failure.statusCode, status: failure.status });
      }
    },
  });
}

// ── WhatsApp Cloud API ───────────────────────────────────────────────────────────────────────

export interface FakeWhatsAppOptions extends FakeProviderOptions {
  accessToken: string;
  phoneNumberId: string;
  /** Approved templates and how many body parameters each takes; any template when absent. */
  templates?: Record<string, number>;
  /** Signs each webhook with X-Hub-Signature-256 (HMAC-SHA256 of the body) when given. */
  appSecret?: string;
  wabaId?: string;
}

export async function startFakeWhatsAppCloud(options: FakeWhatsAppOptions): Promise<FakeProvider> {
  const core = new FakeCore(options);
  const wabaId = options.wabaId ?? '102290129340398';
  const graphError = (
    exchange: Exchange,
    status: number,
    error: { message: string; type?: string; code: number; error_subcode?: number; details?: string },
    headers?: Record<string, string>,
  ) => {
    const { details, ...rest } = error;
    const body = {
      error: {
        type: 'OAuthException',
        ...rest,
        ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details } }),
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    };
    core.reply(exchange, status, json(body), 'application/json', headers);
  };
  const invalid = (exchange: Exchange, message: string) =>
    graphError(exchange, 400, { message: `(#100) ${message}`, code: 100 });

  const webhook = (status: Record<string, unknown>): Report => {
    const body = json({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '2348000000000', phone_number_id: options.phoneNumberId },
                statuses: [status],
              },
            },
          ],
        },
      ],
    });
    const headers: Record<string, string> = {};
    if (options.appSecret !== undefined) {
      headers['X-Hub-Signature-256'] =
        `sha256=${createHmac('sha256', options.appSecret).update(body).digest('hex')}`;
    }
    return { body, contentType: 'application/json', headers };
  };

  const messages = (exchange: Exchange, phoneNumberId: string) => {
    core.lastSend = sentRequest(exchange);
    if (exchange.req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return graphError(exchange, 401, {
        message: 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
      });
    }
    if (phoneNumberId !== options.phoneNumberId) {
      return graphError(exchange, 400, {
        message: `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    }
    const failure = core.failure(exchange);
    if (failure === 'held') return;
    if (failure !== null) {
      if (failure.answer === 429) {
        return graphError(
          exchange,
          429,
          {
            message: '(#130429) Rate limit hit',
            code: 130429,
            details: 'Cloud API message throughput has been reached.',
          },
          { 'Retry-After': String(failure.retryAfterSeconds ?? 1) },
        );
      }
      if (failure.answer === 500) {
        return graphError(exchange, 500, { message: 'An unknown error has occurred.', code: 1 });
      }
      const code = failure.code ?? 100;
      return graphError(exchange, 400, {
        message: `(#${code}) ${failure.message ?? 'Invalid parameter'}`,
        code,
      });
    }

    const body = parseJson(exchange.body);
    if (prop(body, 'messaging_product') !== 'whatsapp') {
      return invalid(exchange, 'The parameter messaging_product is required.');
    }
    const to = prop(body, 'to');
    if (typeof to !== 'string' || !/^\d{10,15}$/.test(to)) return invalid(exchange, 'Invalid parameter: to');
    const type = prop(body, 'type') ?? 'text';
    const reference = prop(body, 'biz_opaque_callback_data');
    let text: string;
    let template: AcceptedMessage['template'];
    if (type === 'template') {
      const raw = prop(body, 'template');
      const name = prop(raw, 'name');
      const language = prop(prop(raw, 'language'), 'code');
      if (typeof name !== 'string' || typeof language !== 'string') {
        return invalid(exchange, 'The parameter template[name] and template[language][code] are required.');
      }
      const components = prop(raw, 'components');
      const bodyComponent = Array.isArray(components)
        ? (components as unknown[]).find((c) => prop(c, 'type') === 'body')
        : undefined;
      const rawParameters = prop(bodyComponent, 'parameters');
      const parameters = Array.isArray(rawParameters)
        ? (rawParameters as unknown[]).map((p) => (prop(p, 'type') === 'text' ? String(prop(p, 'text')) : ''))
        : [];
      const expected = options.templates?.[name];
      if (options.templates !== undefined && expected === undefined) {
        return graphError(exchange, 404, {
          message: '(#132001) Template name does not exist in the translation',
          code: 132001,
          details: `template name (${name}) does not exist in ${language}`,
        });
      }
      if (expected !== undefined && expected !== parameters.length) {
        return graphError(exchange, 400, {
          message: '(#132000) Number of parameters does not match the expected number of params',
          code: 132000,
          details: `body: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
        });
      }
      template = { name, language, parameters };
      text = parameters.join(' | ');
    } else if (type === 'text') {
      const textBody = prop(prop(body, 'text'), 'body');
      if (typeof textBody !== 'string' || textBody.length === 0) {
        return invalid(exchange, 'The parameter text[body] is required.');
      }
      text = textBody;
    } else {
      return invalid(exchange, `Unsupported message type: ${typeof type === 'string' ? type : typeof type}`);
    }
    const e164 = `+${to}`;
    if (core.dnd.has(e164)) {
      return graphError(exchange, 400, {
        message: '(#131026) Message undeliverable',
        code: 131026,
        details: 'Unable to deliver message: the number is not on WhatsApp or cannot receive this message.',
      });
    }
    if (core.full())
      return graphError(exchange, 503, { message: 'Service temporarily unavailable', code: 2 });

    const id = `wamid.${Buffer.from(randomUUID()).toString('base64url')}`;
    const at = Date.now();
    const ref = typeof reference === 'string' ? reference : null;
    core.record({
      to: e164,
      text,
      reference: ref,
      providerMessageId: id,
      ...(template ? { template } : {}),
      at,
    });
    const failed = core.shares.fails(to);
    core.report(exchange, () => {
      const common = {
        id,
        recipient_id: to,
        timestamp: String(Math.floor(Date.now() / 1000)),
        ...(ref === null ? {} : { biz_opaque_callback_data: ref }),
      };
      const pricing = { billable: true, pricing_model: 'PMP', category: template ? 'marketing' : 'service' };
      return [
        webhook({ ...common, status: 'sent', pricing }),
        webhook(
          failed
            ? {
                ...common,
                status: 'failed',
                errors: [
                  {
                    code: 131026,
                    title: 'Message undeliverable',
                    message: 'Message undeliverable',
                    error_data: { details: 'Message Undeliverable.' },
                  },
                ],
              }
            : { ...common, status: 'delivered', pricing },
        ),
      ];
    });
    core.reply(
      exchange,
      200,
      json({
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id, message_status: 'accepted' }],
      }),
      'application/json',
    );
  };

  const base = await core.listen((exchange) => {
    const match = /^(?:\/v\d+\.\d+)?\/([^/]+)\/messages$/.exec(exchange.url.pathname);
    if (exchange.req.method === 'POST' && match?.[1] !== undefined) return messages(exchange, match[1]);
    graphError(exchange, 400, { message: 'Unknown path components', type: 'OAuthException', code: 2500 });
  });
  return facadeOf(core, `${base}/v21.0`);
}

// ── A collector for delivery reports ─────────────────────────────────────────────────────────

export interface CollectedReport {
  contentType: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ReportCollector {
  url: string;
  readonly received: readonly CollectedReport[];
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1 that answers 200 and keeps what it was sent. */
export async function startReportCollector(limit = 200_000): Promise<ReportCollector> {
  const received: CollectedReport[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (received.length < limit) {
        received.push({
          contentType: req.headers['content-type'] ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      }
      send(res, 200, 'ok', 'text/plain');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ── SMTP ─────────────────────────────────────────────────────────────────────────────────────

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** Header names in lower case, folded lines unfolded. */
  headers: Map<string, string>;
  messageId: string | null;
  subject: string | null;
  /** The body as sent (transfer encoding left as is). */
  body: string;
  /** Who logged in, if anyone did. */
  user: string | null;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  readonly messages: readonly ReceivedMail[];
  /** Refuses this recipient at RCPT TO, for good (550) or for now (451). */
  rejectRecipient(address: string, code: 550 | 451): void;
  /** The next `count` recipients, whoever they are, get this reply at RCPT TO. */
  failNext(count: number, code: 451 | 421 | 550): void;
  close(): Promise<void>;
}

const SMTP_REPLIES: Record<number, string> = {
  421: 'Service not available, closing transmission channel',
  451: 'Requested action aborted: local error in processing, try again later',
  550: 'Mailbox unavailable',
};

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, no TLS. With a password it requires AUTH
 * (any username unless one is given); without one it takes mail from anyone.
 */
export async function startSmtpServer(
  options: { username?: string; password?: string; maxMessages?: number } = {},
): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  const failures: number[] = [];
  const maxMessages = options.maxMessages ?? 10_000;
  const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.password === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: options.password === undefined,
    allowInsecureAuth: true,
    logger: false,
    size: 1024 * 1024,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      const userOk = options.username === undefined || auth.username === options.username;
      if (userOk && auth.password === options.password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const forced = failures.shift();
      const code = forced ?? rejected.get(address.address.toLowerCase());
      if (code !== undefined) {
        callback(smtpError(code, SMTP_REPLIES[code] ?? 'Refused'));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, 'Message exceeds fixed maximum message size'));
          return;
        }
        if (messages.length >= maxMessages) {
          callback(smtpError(452, 'Insufficient system storage'));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        const head = split === -1 ? raw : raw.slice(0, split);
        const headers = new Map<string, string>();
        for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          envelopeFrom: mailFrom === false ? '' : mailFrom.address,
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          headers,
          messageId: headers.get('message-id') ?? null,
          subject: headers.get('subject') ?? null,
          body: split === -1 ? '' : raw.slice(split + 4),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    messages,
    rejectRecipient: (address, code) => rejected.set(address.toLowerCase(), code),
    failNext: (count, code) => {
      for (let i = 0; i < count; i += 1) failures.push(code);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
