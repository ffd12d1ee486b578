/**
 * The shop owner's words for the campaign screens: channels, states, message statuses, triggers
 * and providers; delivery rates and Lagos times; the badge that shows a campaign's state.
 */
import type {
  CampaignSettings,
  CampaignState,
  CampaignTally,
  CampaignTrigger,
  ContactChannel,
  MessageKind,
  MessageStatus,
  ProviderName,
  ReadySegment,
  SenderStatus,
  TemplateField,
} from '../../../shared/contract';
import { count } from '../sync/words';

export const CHANNEL_WORDS: Record<ContactChannel, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  email: 'Email',
};

export const KIND_WORDS: Record<MessageKind, string> = {
  promotional: 'Promotional (offers and news)',
  transactional: 'Transactional (about their own account)',
};

export const STATE_WORDS: Record<CampaignState, string> = {
  scheduled: 'Scheduled',
  sending: 'Sending',
  done: 'Finished',
  cancelled: 'Cancelled',
};

const STATE_MARKS: Record<CampaignState, string> = {
  scheduled: '…',
  sending: '↻',
  done: '✓',
  cancelled: '✕',
};

export const STATUS_WORDS: Record<MessageStatus, string> = {
  queued: 'Queued',
  waiting: 'Waiting (quiet hours or offline)',
  sending: 'Sending',
  sent: 'Sent, no report yet',
  delivered: 'Delivered',
  failed: 'Failed',
  'opted-out': 'Opted out',
  undeliverable: 'Undeliverable (DND or blocked)',
};

export const TRIGGER_WORDS: Record<
  CampaignTrigger,
  { title: string; explain: string; threshold: string | null }
> = {
  birthday: {
    title: 'Birthday greeting',
    explain: 'Sent on the morning of a customer’s birthday.',
    threshold: null,
  },
  lapsed: {
    title: 'We miss you',
    explain: 'Sent once to a customer who has not bought anything for a while.',
    threshold: 'Days since their last purchase',
  },
  'tier-upgrade': {
    title: 'New tier',
    explain: 'Sent when a customer moves up a loyalty tier.',
    threshold: null,
  },
  'points-ready': {
    title: 'Points ready to spend',
    explain: 'Sent when a customer’s points balance reaches the amount they can redeem.',
    threshold: 'Points balance that can be redeemed',
  },
};

export const PROVIDER_WORDS: Record<ProviderName, string> = {
  termii: 'Termii',
  africastalking: 'Africa’s Talking',
  'whatsapp-cloud': 'WhatsApp Cloud API',
  smtp: 'Email server (SMTP)',
};

export const READY_SEGMENT_WORDS: Record<ReadySegment, string> = {
  'high-value': 'Customers who spend the most',
  lapsed: 'Customers who have not bought for a while',
  'new-this-month': 'Added to the book this month',
  'birthdays-this-week': 'Birthdays in the next 7 days',
};

export const FIELD_WORDS: Record<TemplateField, string> = {
  first_name: 'first name',
  last_name: 'last name',
  name: 'full name',
  points: 'points',
  tier: 'tier',
  shop_name: 'shop name',
  shop_phone: 'shop phone',
  total_spent: 'total spent',
  last_purchase: 'last purchase',
  birthday: 'birthday',
  state: 'state',
};

/** The provider that carries a channel with these settings. */
export function providerFor(channel: ContactChannel, settings: CampaignSettings): ProviderName {
  if (channel === 'sms') return settings.smsProvider;
  return channel === 'whatsapp' ? 'whatsapp-cloud' : 'smtp';
}

/** Why a channel cannot send yet, or null when its provider has its secret. */
export function notReadyReason(
  channel: ContactChannel,
  settings: CampaignSettings | null,
  sender: SenderStatus | null,
): string | null {
  if (settings === null || sender === null) return null;
  const provider = providerFor(channel, settings);
  return sender.configured[provider]
    ? null
    : `${CHANNEL_WORDS[channel]} is not set up yet: save the ${PROVIDER_WORDS[provider]} key under Settings first. Messages wait until then.`;
}

/**
 * "87 %" delivered; a dash before any message has left, and while every message that left still
 * waits for its report (0 % would read as "all failed").
 */
export function rateWords(tally: CampaignTally): string {
  const reported = tally.delivered + tally.failed + tally.undeliverable;
  if (tally.deliveryRate === null || reported === 0) return '—';
  return `${Math.round(tally.deliveryRate * 1000) / 10} %`;
}

/** Messages that have left or were settled, of all recipients: how far a send has come. */
export function handled(tally: CampaignTally): number {
  return tally.sent + tally.delivered + tally.failed + tally.optedOut + tally.undeliverable;
}

export function people(value: number): string {
  return `${count(value)} ${value === 1 ? 'customer' : 'customers'}`;
}

export function messages(value: number): string {
  return `${count(value)} ${value === 1 ? 'message' : 'messages'}`;
}

export function pages(value: number): string {
  return `${count(value)} ${value === 1 ? 'page' : 'pages'}`;
}

const LAGOS_OFFSET_MS = 60 * 60 * 1000;

/** A `datetime-local` value read as Lagos time (the shop's clock, whatever the PC's zone). */
export function lagosInputToEpoch(value: string): number | null {
  const at = Date.parse(`${value}:00.000Z`);
  return Number.isNaN(at) ? null : at - LAGOS_OFFSET_MS;
}

export function epochToLagosInput(at: number): string {
  return new Date(at + LAGOS_OFFSET_MS).toISOString().slice(0, 16);
}

export function StateBadge({ state }: { state: CampaignState }) {
  return (
    <span className={`campaign-badge campaign-state-${state}`}>
      <span aria-hidden="true">{STATE_MARKS[state]}</span> {STATE_WORDS[state]}
    </span>
  );
}
