/**
 * What SMS and WhatsApp providers post to the sync server's webhooks, read into one shape:
 * delivery reports (one per status a provider tells of a message we sent) and inbound messages
 * (a customer's reply, where a STOP becomes an opt-out). Pure functions of the decoded body and
 * the time it arrived, one per provider, following each one's documented payload:
 *
 * - Termii: JSON, `type: 'outbound'` for a delivery report (`message_id`, `status` such as
 *   `DELIVERED`, `Message Sent`, `Message Failed`, `Rejected`, `Expired`,
 *   `DND Active on Phone Number`), `type: 'inbound'` for a received message (`sender`,
 *   `message`, `received_at`), and notices of other kinds (`device_status`) that are no concern
 *   here.
 * - Africa's Talking: form fields. A delivery report is `id, status (Sent | Submitted | Buffered
 *   | Success | Rejected | Failed), phoneNumber, networkCode, failureReason`; an incoming SMS is
 *   `from, to, text, date, id, linkId`.
 * - WhatsApp Cloud API: `entry[].changes[].value` holding `statuses[]` (`id, status sent |
 *   delivered | read | failed, timestamp` in seconds, `recipient_id`,
 *   `biz_opaque_callback_data`, `errors[]`) and `messages[]` (`from, id, timestamp, type` with
 *   `text.body`, `button.text`, or `interactive.button_reply.title`).
 *
 * A number on the do-not-disturb register or a provider's blacklist is `undeliverable` (sending
 * again will not help); any other failure is `failed`.
 */
import { z } from 'zod';
import type { ProviderName } from '../channels/campaigns';
import type { ContactChannel } from '../channels/customers';
import { parseNigerianPhone } from '../phone';

export type ReportStatus = 'sent' | 'delivered' | 'failed' | 'undeliverable';

export interface DeliveryReport {
  provider: ProviderName;
  /** The provider's id of the message, as its send API answered it. */
  providerMessageId: string;
  /** Our message id, where the provider echoes it back (WhatsApp's biz_opaque_callback_data). */
  reference: string | null;
  status: ReportStatus;
  /** Why it failed or could not be delivered, in the provider's words; null otherwise. */
  reason: string | null;
  at: number;
}

export interface InboundMessage {
  provider: ProviderName;
  channel: Extract<ContactChannel, 'sms' | 'whatsapp'>;
  /** The provider's id of the inbound message; a retried webhook carries the same one. */
  messageId: string;
  /** The sender in E.164. */
  phone: string;
  text: string;
  at: number;
}

export interface WebhookBatch {
  reports: DeliveryReport[];
  inbound: InboundMessage[];
  /** Items read but of no use here: read receipts of unknown kinds, device notices, media. */
  ignored: number;
}

export type WebhookParse = { ok: true; batch: WebhookBatch } | { ok: false; reason: string };

const MAX_REASON = 300;
const MAX_TEXT = 500;
const MAX_ID = 200;
const MAX_REFERENCE = 512;

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

// ── Phone numbers and STOP ───────────────────────────────────────────────────────────────────

const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * A sender's number as providers write it ("2348031234567", "+234 803…", "08031234567") in
 * E.164. Nigerian numbers go through parseNigerianPhone; any other that is an international
 * number already (a customer abroad) is kept as its digits with a plus. Null for a short code or
 * an alphanumeric sender.
 */
export function senderPhone(raw: string): string | null {
  const nigerian = parseNigerianPhone(raw);
  if (nigerian.ok) return nigerian.e164;
  const digits = raw.trim().replace(/[\s\-().]/g, '');
  const international = digits.startsWith('00')
    ? `+${digits.slice(2)}`
    : digits.startsWith('+')
      ? digits
      : `+${digits}`;
  return E164.test(international) ? international : null;
}

/**
 * The replies that mean "send me no more": the usual keywords, alone, in any case, with any
 * spaces or punctuation around them ("Stop.", " STOP ALL ", "opt-out"), and Meta's own
 * marketing opt-out button. A sentence that merely contains one ("don't stop") is not a STOP.
 */
const STOP_PHRASES = new Set([
  'stop',
  'stop all',
  'stopall',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'opt out',
  'optout',
  'stop promotions',
]);

export function isStopReply(text: string): boolean {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return STOP_PHRASES.has(words);
}

// ── Shared reading helpers ───────────────────────────────────────────────────────────────────

/** Ids arrive as strings, sometimes as numbers. */
const idText = z
  .union([z.string(), z.number().transform(String)])
  .pipe(z.string().trim().min(1, 'is empty').max(MAX_ID, `is longer than ${MAX_ID} characters`));
const optionalText = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .transform((value) => value ?? '');

function firstProblem(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  const where = issue !== undefined && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return clip(`Not ${what}: ${where}${issue?.message ?? 'invalid'}`, MAX_REASON);
}

/** A time a provider wrote with a zone (ISO with Z or an offset); anything else is not trusted. */
function zonedTime(text: string, fallback: number): number {
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) return fallback;
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

function epochSeconds(text: string, fallback: number): number {
  if (!/^\d{1,12}$/.test(text.trim())) return fallback;
  return Number(text.trim()) * 1000;
}

// ── Termii ───────────────────────────────────────────────────────────────────────────────────

const termiiBody = z.object({
  type: optionalText,
  id: z.union([z.string(), z.number()]).nullish(),
  message_id: z.union([z.string(), z.number()]).nullish(),
  status: optionalText,
  sender: optionalText,
  message: optionalText,
  received_at: optionalText,
  channel: optionalText,
});

/** Termii's status words (its docs write them in several cases, some with " | description"). */
function termiiStatus(raw: string): { status: ReportStatus; reason: string | null } | null {
  const word = (raw.split('|')[0] ?? '').trim().toLowerCase();
  const reason = clip(raw.trim(), MAX_REASON);
  if (word === 'delivered' || word === 'received') return { status: 'delivered', reason: null };
  if (word === 'message sent' || word === 'sent') return { status: 'sent', reason: null };
  // Termii's docs: Rejected "means do-not-disturb is active on the recipient phone number".
  if (word.includes('dnd') || word === 'rejected') return { status: 'undeliverable', reason };
  if (word === 'message failed' || word === 'failed' || word === 'expired')
    return { status: 'failed', reason };
  return null;
}

export function parseTermiiWebhook(body: unknown, receivedAt: number): WebhookParse {
  const parsed = termiiBody.safeParse(body);
  if (!parsed.success) return { ok: false, reason: firstProblem(parsed.error, 'a Termii notification') };
  const event = parsed.data;
  const type = event.type.trim().toLowerCase();
  const empty: WebhookBatch = { reports: [], inbound: [], ignored: 0 };

  if (type === 'inbound') {
    const messageId = idText.safeParse(event.message_id ?? event.id);
    if (!messageId.success)
      return { ok: false, reason: 'Not a Termii inbound message: message_id is missing' };
    const phone = senderPhone(event.sender);
    if (phone === null) return { ok: true, batch: { ...empty, ignored: 1 } };
    return {
      ok: true,
      batch: {
        ...empty,
        inbound: [
          {
            provider: 'termii',
            channel: event.channel.trim().toLowerCase() === 'whatsapp' ? 'whatsapp' : 'sms',
            messageId: messageId.data,
            phone,
            text: clip(event.message, MAX_TEXT),
            at: zonedTime(event.received_at, receivedAt),
          },
        ],
      },
    };
  }

  // A delivery report; Termii's own examples sometimes leave `type` out.
  if (type === 'outbound' || (type === '' && event.status !== '')) {
    const messageId = idText.safeParse(event.message_id);
    if (!messageId.success) {
      return {
        ok: false,
        reason: `Not a Termii delivery report: message_id ${messageId.error.issues[0]?.message ?? 'is missing'}`,
      };
    }
    if (event.status.trim() === '')
      return { ok: false, reason: 'Not a Termii delivery report: status is missing' };
    const mapped = termiiStatus(event.status);
    if (mapped === null) return { ok: true, batch: { ...empty, ignored: 1 } };
    return {
      ok: true,
      batch: {
        ...empty,
        reports: [
          {
            provider: 'termii',
            providerMessageId: messageId.data,
            reference: null,
            ...mapped,
            // `sent_at` is when the message left, not when this status came: the arrival is the time.
            at: receivedAt,
          },
        ],
      },
    };
  }

  if (type === '') return { ok: false, reason: 'Not a Termii notification: it has no type and no status' };
  // device_status and other notices.
  return { ok: true, batch: { ...empty, ignored: 1 } };
}

// ── Africa's Talking ─────────────────────────────────────────────────────────────────────────

const atFields = z.record(z.string(), z.union([z.string(), z.number().transform(String)]));

/** failureReason values that mean the number refuses messages from us (blacklist, DND). */
const AT_UNDELIVERABLE = new Set(['userinblacklist', 'dndactive', 'userisondnd']);

function atStatus(
  status: string,
  failureReason: string,
): { status: ReportStatus; reason: string | null } | null {
  const word = status.trim().toLowerCase();
  const reason = clip(failureReason.trim() === '' ? status.trim() : failureReason.trim(), MAX_REASON);
  switch (word) {
    case 'success':
      return { status: 'delivered', reason: null };
    case 'sent':
    case 'submitted':
    case 'buffered':
      return { status: 'sent', reason: null };
    case 'rejected':
    case 'failed':
    case 'absentsubscriber':
    case 'expired':
      return AT_UNDELIVERABLE.has(failureReason.trim().toLowerCase())
        ? { status: 'undeliverable', reason }
        : { status: 'failed', reason };
    default:
      return null;
  }
}

export function parseAfricasTalkingWebhook(body: unknown, receivedAt: number): WebhookParse {
  const parsed = atFields.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: firstProblem(parsed.error, "an Africa's Talking notification") };
  const untrimmed = (name: string) => parsed.data[name] ?? '';
  const field = (name: string) => untrimmed(name).trim();
  const empty: WebhookBatch = { reports: [], inbound: [], ignored: 0 };

  if (field('status') !== '') {
    const messageId = idText.safeParse(field('id'));
    if (!messageId.success)
      return { ok: false, reason: "Not an Africa's Talking delivery report: id is missing" };
    const mapped = atStatus(field('status'), field('failureReason'));
    if (mapped === null) return { ok: true, batch: { ...empty, ignored: 1 } };
    return {
      ok: true,
      batch: {
        ...empty,
        reports: [
          {
            provider: 'africastalking',
            providerMessageId: messageId.data,
            reference: null,
            ...mapped,
            at: receivedAt,
          },
        ],
      },
    };
  }

  if (field('from') !== '' && 'text' in parsed.data) {
    const messageId = idText.safeParse(field('id'));
    if (!messageId.success)
      return { ok: false, reason: "Not an Africa's Talking incoming message: id is missing" };
    const phone = senderPhone(field('from'));
    if (phone === null) return { ok: true, batch: { ...empty, ignored: 1 } };
    return {
      ok: true,
      batch: {
        ...empty,
        inbound: [
          {
            provider: 'africastalking',
            channel: 'sms',
            messageId: messageId.data,
            phone,
            text: clip(untrimmed('text'), MAX_TEXT),
            at: zonedTime(field('date'), receivedAt),
          },
        ],
      },
    };
  }

  return {
    ok: false,
    reason: "Not an Africa's Talking delivery report (id, status) or incoming message (from, text, id)",
  };
}

// ── WhatsApp Cloud API ───────────────────────────────────────────────────────────────────────

const waError = z.object({
  code: z.union([z.number(), z.string()]).nullish(),
  title: optionalText,
  message: optionalText,
  error_data: z.object({ details: optionalText }).nullish(),
});

const waStatus = z.object({
  id: idText,
  status: z.string().min(1),
  timestamp: optionalText,
  recipient_id: optionalText,
  biz_opaque_callback_data: z.string().nullish(),
  errors: z.array(waError).nullish(),
});

const waMessage = z.object({
  id: idText,
  from: optionalText,
  timestamp: optionalText,
  type: optionalText,
  text: z.object({ body: optionalText }).nullish(),
  button: z.object({ text: optionalText, payload: optionalText }).nullish(),
  interactive: z
    .object({
      button_reply: z.object({ title: optionalText }).nullish(),
      list_reply: z.object({ title: optionalText }).nullish(),
    })
    .nullish(),
});

const waBody = z.object({
  object: z.string().nullish(),
  entry: z.array(
    z.object({
      changes: z
        .array(
          z.object({
            field: z.string().nullish(),
            value: z
              .object({
                statuses: z.array(waStatus).nullish(),
                messages: z.array(waMessage).nullish(),
              })
              .nullish(),
          }),
        )
        .nullish(),
    }),
  ),
});

/**
 * Cloud API error codes that mean this number will not take our messages: 131026 (not on
 * WhatsApp, or cannot receive this message), 131050 (the customer stopped the business's
 * marketing messages).
 */
const WA_UNDELIVERABLE = new Set(['131026', '131050']);

function waReport(status: z.output<typeof waStatus>, receivedAt: number): DeliveryReport | null {
  const word = status.status.trim().toLowerCase();
  let mapped: ReportStatus;
  if (word === 'sent') mapped = 'sent';
  // A read (or played) message was delivered; Meta skips "delivered" when both happen at once.
  else if (word === 'delivered' || word === 'read' || word === 'played') mapped = 'delivered';
  else if (word === 'failed') mapped = 'failed';
  else return null;
  let reason: string | null = null;
  if (mapped === 'failed') {
    const error = status.errors?.[0];
    const code = error?.code === undefined || error.code === null ? '' : String(error.code);
    if (WA_UNDELIVERABLE.has(code)) mapped = 'undeliverable';
    const words = [error?.title, error?.error_data?.details ?? error?.message]
      .filter((part): part is string => part !== undefined && part.trim() !== '')
      .filter((part, index, all) => all.indexOf(part) === index)
      .join(': ');
    reason = clip([code, words].filter((part) => part !== '').join(' ') || 'failed', MAX_REASON);
  }
  const reference = status.biz_opaque_callback_data?.trim() ?? '';
  return {
    provider: 'whatsapp-cloud',
    providerMessageId: status.id,
    reference: reference === '' ? null : clip(reference, MAX_REFERENCE),
    status: mapped,
    reason,
    at: epochSeconds(status.timestamp, receivedAt),
  };
}

function waText(message: z.output<typeof waMessage>): string | null {
  switch (message.type.trim().toLowerCase()) {
    case 'text':
      return message.text?.body ?? '';
    case 'button': {
      // A template's quick-reply button: its label, else the payload the business gave it.
      const label = message.button?.text ?? '';
      return label !== '' ? label : (message.button?.payload ?? '');
    }
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? '';
    default:
      return null;
  }
}

export function parseWhatsAppWebhook(body: unknown, receivedAt: number): WebhookParse {
  const parsed = waBody.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: firstProblem(parsed.error, 'a WhatsApp Cloud API webhook') };
  if (
    parsed.data.object !== undefined &&
    parsed.data.object !== null &&
    parsed.data.object !== 'whatsapp_business_account'
  ) {
    return {
      ok: false,
      reason: `Not a WhatsApp Business webhook: object is "${clip(parsed.data.object, 60)}"`,
    };
  }
  const batch: WebhookBatch = { reports: [], inbound: [], ignored: 0 };
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes ?? []) {
      // Other fields (template reviews, account updates) carry no messages.
      if (change.field !== undefined && change.field !== null && change.field !== 'messages') {
        batch.ignored += 1;
        continue;
      }
      for (const status of change.value?.statuses ?? []) {
        const report = waReport(status, receivedAt);
        if (report === null) batch.ignored += 1;
        else batch.reports.push(report);
      }
      for (const message of change.value?.messages ?? []) {
        const text = waText(message);
        const phone = senderPhone(message.from);
        if (text === null || phone === null) {
          batch.ignored += 1;
          continue;
        }
        batch.inbound.push({
          provider: 'whatsapp-cloud',
          channel: 'whatsapp',
          messageId: message.id,
          phone,
          text: clip(text, MAX_TEXT),
          at: epochSeconds(message.timestamp, receivedAt),
        });
      }
    }
  }
  return { ok: true, batch };
}
