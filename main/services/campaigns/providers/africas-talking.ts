/**
 * SMS through Africa's Talking (developers.africastalking.com): `POST /version1/messaging`,
 * form-encoded, the key in the `apiKey` header. The answer is per recipient, with a status code
 * and the price as text ("NGN 2.2000"). Its API has no message history, so a message a crash
 * left unanswered cannot be settled: it stays unknown and is not sent again.
 */
import type { MessageProvider, OutgoingMessage, SendOutcome, SettleOutcome } from './provider';
import {
  answerMessage,
  endpoint,
  field,
  providerRequest,
  scrub,
  e164Digits,
  type ProviderAnswer,
  noAnswer,
} from './http';

export interface AfricasTalkingConfig {
  baseUrl: string;
  username: string;
  /** Empty: Africa's Talking's shared sender. */
  senderId: string;
  apiKey: string;
  /** Ask Africa's Talking to queue the message and answer before the network has taken it. */
  enqueue?: boolean;
  timeoutMs?: number;
}

/** Recipient status codes that say the message is on its way: Processed, Sent, Queued. */
const TAKEN = new Set([100, 101, 102]);
/** InternalServerError, GatewayError, RejectedByGateway: Africa's Talking's side, worth a retry. */
const THEIR_FAULT = new Set([500, 501, 502]);
/** UserInBlacklist: the number is on the do-not-disturb register or has blocked the sender. */
const BLACKLISTED = 406;

export class AfricasTalkingProvider implements MessageProvider {
  readonly name = 'africastalking' as const;
  readonly channel = 'sms' as const;

  constructor(private readonly config: AfricasTalkingConfig) {}

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendOutcome> {
    if (e164Digits(message.to) === null)
      return { outcome: 'failed', reason: 'Not an international phone number' };
    const form = new URLSearchParams({
      username: this.config.username,
      to: message.to,
      message: message.body,
    });
    if (this.config.senderId.length > 0) form.set('from', this.config.senderId);
    if (this.config.enqueue === true) form.set('enqueue', '1');
    const answer = await providerRequest(
      endpoint(this.config.baseUrl, 'version1/messaging'),
      {
        method: 'POST',
        headers: {
          apiKey: this.config.apiKey,
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
      },
      signal,
      this.config.timeoutMs,
    );
    return this.outcome(answer, message.to);
  }

  private outcome(answer: ProviderAnswer, to: string): SendOutcome {
    if (!answer.reached) return noAnswer(answer, this.reason(answer.reason));
    const { status } = answer;
    if (status === 429 || status === 408 || status >= 500) {
      return {
        outcome: 'retry',
        reason: this.reason(`HTTP ${status}: ${answerMessage(answer)}`),
        retryAfterMs: answer.retryAfterMs,
      };
    }
    if (status === 401) {
      return {
        outcome: 'failed',
        reason: "Africa's Talking refused the username or API key (check them in Settings)",
      };
    }
    if (status < 200 || status >= 300) {
      return { outcome: 'failed', reason: this.reason(`HTTP ${status}: ${answerMessage(answer)}`) };
    }

    const data = field(answer.json, 'SMSMessageData');
    const recipients = field(data, 'Recipients');
    const summary = field(data, 'Message');
    if (!Array.isArray(recipients) || recipients.length === 0) {
      // No recipient at all: the request as a whole was refused (InvalidSenderId and the like).
      const said = typeof summary === 'string' && summary.length > 0 ? summary : 'no recipient in the answer';
      return { outcome: 'failed', reason: this.reason(said) };
    }
    const entries = recipients as unknown[];
    const recipient = entries.find((entry) => field(entry, 'number') === to) ?? entries[0];
    const code = Number(field(recipient, 'statusCode'));
    const statusText = field(recipient, 'status');
    const said = typeof statusText === 'string' && statusText.length > 0 ? statusText : `status ${code}`;

    if (TAKEN.has(code)) {
      const id = field(recipient, 'messageId');
      // Taken without an id may still arrive: not trying again keeps it from arriving twice.
      if (typeof id !== 'string' || id.length === 0 || id === 'None') {
        return { outcome: 'failed', reason: "Africa's Talking took the message without a message id" };
      }
      const cost = field(recipient, 'cost');
      return {
        outcome: 'sent',
        providerMessageId: id,
        costKobo: typeof cost === 'string' ? nairaCostKobo(cost) : null,
      };
    }
    if (code === BLACKLISTED)
      return { outcome: 'undeliverable', reason: this.reason(`${said} (do-not-disturb)`) };
    if (THEIR_FAULT.has(code)) return { outcome: 'retry', reason: this.reason(said), retryAfterMs: null };
    // 401 RiskHold, 402 InvalidSenderId, 403 InvalidPhoneNumber, 404 UnsupportedNumberType,
    // 405 InsufficientBalance, 407 CouldNotRoute, and any code this adapter does not know.
    return { outcome: 'failed', reason: this.reason(said) };
  }

  settle(): Promise<SettleOutcome> {
    return Promise.resolve({ outcome: 'unknown' });
  }

  /** Nothing to close: fetch's connections are shared and idle out on their own. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private reason(text: string): string {
    return `Africa's Talking: ${scrub(text, [this.config.apiKey])}`;
  }
}

/**
 * "NGN 2.2000" → 220 kobo, rounded half up from the text (no floating point). Null for another
 * currency or anything unreadable: a price is never guessed.
 */
export function nairaCostKobo(cost: string): number | null {
  const match = /^NGN\s+(\d+)(?:\.(\d+))?$/.exec(cost.trim());
  if (match === null) return null;
  const naira = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(3, '0');
  const kobo = Number(naira) * 100 + Number(fraction.slice(0, 2));
  const kobos = Number(fraction[2]) >= 5 ? kobo + 1 : kobo;
  return Number.isSafeInteger(kobos) ? kobos : null;
}
