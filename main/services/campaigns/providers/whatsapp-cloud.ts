/**
 * WhatsApp through Meta's Cloud API (developers.facebook.com/docs/whatsapp/cloud-api):
 * `POST {baseUrl}/{phoneNumberId}/messages` with a bearer token. Our message id rides along as
 * `biz_opaque_callback_data`, which Meta hands back in its status webhooks. Price and delivery
 * come only through those webhooks; there is no lookup to settle a message a crash left
 * unanswered, so it stays unknown and is not sent again.
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

export interface WhatsAppCloudConfig {
  /** Graph API root with its version, e.g. `https://graph.facebook.com/v21.0`. */
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

/** 190: the access token is invalid or expired. */
const BAD_TOKEN = 190;
/** 131026: the number is not on WhatsApp, or cannot take this message. */
const UNDELIVERABLE = 131026;
/** Throughput and rate limits: 4 app calls, 80007 account, 130429 throughput, 131048 spam, 131056 pair. */
const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056]);
/** Meta's own trouble: 1 and 2 unknown/temporary, 131000 something went wrong, 131016 unavailable. */
const TEMPORARY = new Set([1, 2, 131000, 131016]);

export class WhatsAppCloudProvider implements MessageProvider {
  readonly name = 'whatsapp-cloud' as const;
  readonly channel = 'whatsapp' as const;

  constructor(private readonly config: WhatsAppCloudConfig) {}

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendOutcome> {
    const to = e164Digits(message.to);
    if (to === null) return { outcome: 'failed', reason: 'Not an international phone number' };
    if (!/^\d+$/.test(this.config.phoneNumberId)) {
      return {
        outcome: 'failed',
        reason: 'WhatsApp needs its phone number ID: set it in the campaign settings',
      };
    }
    const answer = await providerRequest(
      endpoint(this.config.baseUrl, `${this.config.phoneNumberId}/messages`),
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.config.accessToken}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(whatsAppRequest(message, to)),
      },
      signal,
      this.config.timeoutMs,
    );
    return this.outcome(answer);
  }

  private outcome(answer: ProviderAnswer): SendOutcome {
    if (!answer.reached) return noAnswer(answer, this.reason(answer.reason));
    const { status } = answer;
    if (status >= 200 && status < 300) {
      const messages = field(answer.json, 'messages');
      const id = Array.isArray(messages) ? field(messages[0], 'id') : undefined;
      // Accepted without an id may still arrive: not trying again keeps it from arriving twice.
      if (typeof id !== 'string' || id.length === 0) {
        return { outcome: 'failed', reason: 'WhatsApp answered without a message id' };
      }
      return { outcome: 'sent', providerMessageId: id, costKobo: null };
    }
    const error = field(answer.json, 'error');
    const code = Number(field(error, 'code'));
    const message = answerMessage(answer);
    // Meta's messages usually start with their code already: "(#131026) Message undeliverable".
    const said = Number.isFinite(code) && !message.startsWith('(#') ? `(#${code}) ${message}` : message;
    if (status === 401 || code === BAD_TOKEN) {
      return {
        outcome: 'failed',
        reason: 'WhatsApp refused the access token (expired or revoked: renew it in Settings)',
      };
    }
    if (code === UNDELIVERABLE) return { outcome: 'undeliverable', reason: this.reason(said) };
    if (RATE_LIMITED.has(code) || TEMPORARY.has(code) || status === 429 || status >= 500) {
      return { outcome: 'retry', reason: this.reason(said), retryAfterMs: answer.retryAfterMs };
    }
    return { outcome: 'failed', reason: this.reason(`HTTP ${status}: ${said}`) };
  }

  settle(): Promise<SettleOutcome> {
    return Promise.resolve({ outcome: 'unknown' });
  }

  /** Nothing to close: fetch's connections are shared and idle out on their own. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private reason(text: string): string {
    return `WhatsApp: ${scrub(text, [this.config.accessToken])}`;
  }
}

/**
 * The Cloud API's message object. An approved template is the only thing WhatsApp lets a
 * business start a conversation with; the plain `text` form is for a message without a template
 * and Meta delivers it only inside the 24-hour window after the customer last wrote to the shop
 * (outside it the send fails with 131047, re-engagement required).
 */
export function whatsAppRequest(message: OutgoingMessage, to: string): Record<string, unknown> {
  const common = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    biz_opaque_callback_data: message.id,
  };
  const template = message.whatsappTemplate;
  if (template === null) return { ...common, type: 'text', text: { preview_url: false, body: message.body } };
  return {
    ...common,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      // A template without variables takes no body component; an empty parameter list is refused.
      ...(template.parameters.length > 0
        ? {
            components: [
              { type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) },
            ],
          }
        : {}),
    },
  };
}
