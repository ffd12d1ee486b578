/**
 * One interface for every way a message leaves the shop: SMS through Termii or Africa's Talking,
 * WhatsApp through the Cloud API, email through SMTP. The send loop knows only this; an adapter
 * turns a message into its provider's documented request and the answer into an outcome.
 */
import type { ContactChannel, ProviderName } from '../../../../shared/contract';

export interface OutgoingMessage {
  /** Our message id (UUIDv7): the reference given to the provider wherever its API takes one. */
  id: string;
  channel: ContactChannel;
  /** E.164 (`+234…`) for SMS and WhatsApp, an address for email. */
  to: string;
  body: string;
  /** Email only. */
  subject: string;
  /** WhatsApp only: the approved template and its body parameters in order. */
  whatsappTemplate: { name: string; language: string; parameters: string[] } | null;
  kind: 'promotional' | 'transactional';
}

export type SendOutcome =
  /** The provider took it; `delivered` when its answer already says so. */
  | {
      outcome: 'sent';
      providerMessageId: string;
      costKobo: number | null;
      delivered?: boolean;
      /** Set by the send loop when it could not confirm the send: the reason it could not. */
      unconfirmed?: string;
    }
  /**
   * Worth another try later: 429, 5xx, a timeout or a dropped connection. `ambiguous` when the
   * provider may have taken it anyway (no answer after the request left): the send loop then
   * settles it from the provider's history before trying again, so it never arrives twice.
   */
  | { outcome: 'retry'; reason: string; retryAfterMs: number | null; ambiguous?: boolean }
  /** Will never succeed as written: 400, 401/403 (bad key), an invalid number. */
  | { outcome: 'failed'; reason: string }
  /** The number is on the do-not-disturb register or the provider's blacklist. */
  | { outcome: 'undeliverable'; reason: string };

/** What a provider's history says of a message a crash left without an answer. */
export type SettleOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'not-sent' }
  /** The provider cannot tell: the message is not sent again (a double is worse than a gap). */
  | { outcome: 'unknown' };

export interface MessageProvider {
  readonly name: ProviderName;
  readonly channel: ContactChannel;
  send(message: OutgoingMessage, signal: AbortSignal): Promise<SendOutcome>;
  /**
   * Looks a message up after a restart found it `sending` (the app stopped between asking the
   * provider and recording its answer). `sentSince` is when that attempt began.
   */
  settle(message: OutgoingMessage, sentSince: number, signal: AbortSignal): Promise<SettleOutcome>;
  /** Lets go of pooled connections (SMTP) when the adapter is replaced or the loop stops. */
  close?(): Promise<void>;
}
