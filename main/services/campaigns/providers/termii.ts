/**
 * SMS through Termii (developer.termii.com): `POST /api/sms/send` with the API key in the JSON
 * body, and its message history (`GET /api/sms/inbox`) to settle a message whose answer a crash
 * lost. Termii's send answer carries no price; the cost comes later with its delivery report.
 */
import type { MessageProvider, OutgoingMessage, SendOutcome, SettleOutcome } from './provider';
import {
  answerMessage,
  e164Digits,
  endpoint,
  field,
  providerRequest,
  scrub,
  type ProviderAnswer,
  noAnswer,
} from './http';

export interface TermiiConfig {
  baseUrl: string;
  /** The registered sender ID (3 to 11 characters). */
  senderId: string;
  /** `generic` is Termii's promotional route (no DND numbers); `dnd` must be enabled on the account. */
  route: 'generic' | 'dnd';
  apiKey: string;
  timeoutMs?: number;
}

/** How far before the attempt a history entry may be dated and still be that attempt. */
const SETTLE_SLACK_MS = 60_000;

export class TermiiProvider implements MessageProvider {
  readonly name = 'termii' as const;
  readonly channel = 'sms' as const;

  constructor(private readonly config: TermiiConfig) {}

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendOutcome> {
    const to = e164Digits(message.to);
    if (to === null) return { outcome: 'failed', reason: 'Not an international phone number' };
    if (this.config.senderId.length === 0) {
      return { outcome: 'failed', reason: 'Termii needs a sender ID: set it in the campaign settings' };
    }
    const answer = await providerRequest(
      endpoint(this.config.baseUrl, 'api/sms/send'),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          api_key: this.config.apiKey,
          to,
          from: this.config.senderId,
          sms: message.body,
          type: 'plain',
          channel: this.config.route,
        }),
      },
      signal,
      this.config.timeoutMs,
    );
    return this.sendOutcome(answer);
  }

  private sendOutcome(answer: ProviderAnswer): SendOutcome {
    if (!answer.reached) return noAnswer(answer, this.reason(answer.reason));
    const { status } = answer;
    if (status >= 200 && status < 300) {
      const id = termiiMessageId(answer.json);
      // A 2xx without an id may still have gone out: not trying again keeps it from arriving twice.
      if (id === null) return { outcome: 'failed', reason: 'Termii answered without a message id' };
      return { outcome: 'sent', providerMessageId: id, costKobo: null };
    }
    const said = answerMessage(answer);
    if (status === 429 || status === 408 || status >= 500) {
      return {
        outcome: 'retry',
        reason: this.reason(`HTTP ${status}: ${said}`),
        retryAfterMs: answer.retryAfterMs,
      };
    }
    if (status === 401)
      return { outcome: 'failed', reason: 'Termii refused the API key (check it in Settings)' };
    if (status === 403)
      return { outcome: 'failed', reason: this.reason(`the API key may not do this: ${said}`) };
    // Termii takes DND numbers on the generic route and reports them later ("DND Active on Phone
    // Number"); should it ever refuse one outright, that is the same verdict.
    if (/\bDND\b/i.test(said)) return { outcome: 'undeliverable', reason: this.reason(said) };
    return { outcome: 'failed', reason: this.reason(`HTTP ${status}: ${said}`) };
  }

  /**
   * Finds the message in Termii's history: same receiver, same text, dated no earlier than a
   * minute before the attempt began (clocks differ). Termii writes `created_at` without a zone;
   * it is read as UTC, the latest reading of it (Lagos time is an hour ahead of UTC), so a zone
   * mix-up can only make a match more likely: a gap rather than a double.
   */
  async settle(message: OutgoingMessage, sentSince: number, signal: AbortSignal): Promise<SettleOutcome> {
    const to = e164Digits(message.to);
    // Such a message was never put to Termii (send refuses it before asking).
    if (to === null) return { outcome: 'not-sent' };
    const url = endpoint(this.config.baseUrl, 'api/sms/inbox');
    url.searchParams.set('api_key', this.config.apiKey);
    const answer = await providerRequest(
      url,
      { method: 'GET', headers: { Accept: 'application/json' } },
      signal,
      this.config.timeoutMs,
    );
    if (!answer.reached || answer.status < 200 || answer.status >= 300) return { outcome: 'unknown' };
    const entries = Array.isArray(answer.json) ? answer.json : field(answer.json, 'data');
    if (!Array.isArray(entries)) return { outcome: 'unknown' };

    const since = sentSince - SETTLE_SLACK_MS;
    const text = sameText(message.body);
    let found: { id: string; at: number } | null = null;
    let doubtful = false;
    for (const entry of entries as unknown[]) {
      const receiver = field(entry, 'receiver');
      const body = field(entry, 'message');
      if (typeof receiver !== 'string' && typeof receiver !== 'number') continue;
      if (nigerianDigits(String(receiver)) !== to || typeof body !== 'string' || sameText(body) !== text)
        continue;
      const at = termiiTime(field(entry, 'created_at'));
      const id = termiiMessageId(entry);
      if (at === null || id === null) {
        // It is there but cannot be placed in time or named: say nothing rather than guess.
        doubtful = true;
        continue;
      }
      if (at >= since && (found === null || at < found.at)) found = { id, at };
    }
    if (found !== null) return { outcome: 'sent', providerMessageId: found.id };
    return doubtful ? { outcome: 'unknown' } : { outcome: 'not-sent' };
  }

  /** Nothing to close: fetch's connections are shared and idle out on their own. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private reason(text: string): string {
    return `Termii: ${scrub(text, [this.config.apiKey])}`;
  }
}

/** Termii's ids are long digit strings; `message_id_str` exists for clients whose JSON numbers lose digits. */
function termiiMessageId(value: unknown): string | null {
  const asString = field(value, 'message_id_str');
  if (typeof asString === 'string' && asString.length > 0) return asString;
  const id = field(value, 'message_id');
  if (typeof id === 'string' && id.length > 0) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  return null;
}

/** `2020-08-15 12:36:42` (no zone: read as UTC) or an ISO time with its zone; null if neither. */
function termiiTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const plain = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value.trim());
  if (plain !== null) {
    const [, y, mo, d, h, mi, s] = plain.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

/** A receiver as Termii may list it (`234…`, `+234…`, `0803…`) as international digits. */
function nigerianDigits(receiver: string): string {
  const digits = receiver.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('0') ? `234${digits.slice(1)}` : digits;
}

function sameText(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}
