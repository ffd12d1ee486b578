/**
 * Channels of the Campaigns screen: segments (rules over the customer book with a live count),
 * message templates with personal fields, the cost in naira before sending, campaigns and their
 * results per carrier, automated triggers, and the sender's settings (rates, quiet hours, the
 * frequency cap, which provider carries each channel). Provider secrets go to the OS keychain
 * through `campaigns:setCredentials` and are never read back to the screen.
 */
import { z } from 'zod';
import { channel, idInput, kobo, noInput, pageInput, type Page } from '../channel';
import type { Carrier } from '../phone';
import { NIGERIAN_STATES } from '../states';
import type { SmsSegments } from '../sms';
import { CONTACT_CHANNELS, TIERS, type ContactChannel, type Tier } from './customers';

export const CARRIERS = ['MTN', 'Airtel', 'Glo', '9mobile', 'others'] as const satisfies readonly Carrier[];

// ── Segments ──────────────────────────────────────────────────────────────────────────────────

const count = z.number().int().min(0).max(1_000_000_000);
const days = z.number().int().min(0).max(36_500);
const numberOp = z.enum(['at-least', 'at-most', 'between']);
const setOp = z.enum(['in', 'not-in']);

/** One condition of a segment. Money is kobo; "days" count back from now in Lagos time. */
export const segmentRuleSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('totalSpent'), op: numberOp, value: kobo, to: kobo.optional() }),
  z.object({ field: z.literal('purchaseCount'), op: numberOp, value: count, to: count.optional() }),
  z.object({ field: z.literal('points'), op: numberOp, value: count, to: count.optional() }),
  /** `more-than 60` is "lapsed 60 days" (never bought counts as lapsed); `within 30` bought lately. */
  z.object({ field: z.literal('lastPurchase'), op: z.enum(['more-than', 'within', 'never']), days }),
  /** Added to the book: `within N` days, or `this-month` (since the 1st, Lagos time). */
  z.object({ field: z.literal('added'), op: z.enum(['within', 'more-than', 'this-month']), days }),
  z.object({ field: z.literal('tier'), op: setOp, values: z.array(z.enum(TIERS)).min(1).max(4) }),
  z.object({ field: z.literal('state'), op: setOp, values: z.array(z.enum(NIGERIAN_STATES)).min(1).max(37) }),
  /** Delivery zones by id (shared/delivery-zones.ts); a customer's zone follows state and LGA. */
  z.object({
    field: z.literal('zone'),
    op: setOp,
    values: z.array(z.string().min(1).max(40)).min(1).max(40),
  }),
  z.object({ field: z.literal('carrier'), op: setOp, values: z.array(z.enum(CARRIERS)).min(1).max(5) }),
  z.object({
    field: z.literal('tags'),
    op: z.enum(['has-any', 'has-all', 'has-none']),
    values: z.array(z.string().trim().min(1).max(40)).min(1).max(20),
  }),
  z.object({
    field: z.literal('birthdayMonth'),
    op: setOp,
    values: z.array(z.number().int().min(1).max(12)).min(1).max(12),
  }),
  /** Birthday (month and day) falls within the next N days, today included: "this week" is 7. */
  z.object({ field: z.literal('birthdayWithin'), days: z.number().int().min(1).max(366) }),
  z.object({ field: z.literal('consent'), channel: z.enum(CONTACT_CHANNELS), granted: z.boolean() }),
]);
export type SegmentRule = z.output<typeof segmentRuleSchema>;
export type SegmentField = SegmentRule['field'];

export const segmentDefinitionSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  rules: z.array(segmentRuleSchema).max(30).default([]),
});
export type SegmentDefinition = z.output<typeof segmentDefinitionSchema>;

export const READY_SEGMENTS = ['high-value', 'lapsed', 'new-this-month', 'birthdays-this-week'] as const;
export type ReadySegment = (typeof READY_SEGMENTS)[number];

export interface SegmentCount {
  /** Customers in the book who match the rules (archived and merged-away never do). */
  matching: number;
  /** Of those, how many each channel can reach with a promotion: consent and an address. */
  reachable: Record<ContactChannel, number>;
  tookMs: number;
}

export interface Segment {
  id: string;
  name: string;
  definition: SegmentDefinition;
  /** Set for the four ready-made segments, which cannot be deleted. */
  ready: ReadySegment | null;
  count: SegmentCount;
  updatedAt: number;
}

export interface SegmentMember {
  customerId: string;
  displayName: string;
  phone: string;
  carrier: Carrier | null;
  email: string;
  tier: Tier;
  totalSpentKobo: number;
  lastPurchaseAt: number | null;
  consent: Record<ContactChannel, boolean>;
}

const segmentSource = z.union([
  z.object({ segmentId: z.uuid() }),
  z.object({ definition: segmentDefinitionSchema }),
]);
export type SegmentSource = z.output<typeof segmentSource>;

// ── Templates ─────────────────────────────────────────────────────────────────────────────────

export const MESSAGE_KINDS = ['promotional', 'transactional'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The personal fields a template may use, each with the words used when a customer lacks it. */
export const TEMPLATE_FIELDS = [
  'first_name',
  'last_name',
  'name',
  'points',
  'tier',
  'shop_name',
  'shop_phone',
  'total_spent',
  'last_purchase',
  'birthday',
  'state',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export const templateInputSchema = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'Name the template').max(80),
  channel: z.enum(CONTACT_CHANNELS),
  kind: z.enum(MESSAGE_KINDS).default('promotional'),
  body: z.string().min(1, 'Write the message').max(4000),
  /** Email only. */
  subject: z.string().trim().max(200).default(''),
  /**
   * WhatsApp only: the name and language of the template Meta approved; the body's personal
   * fields become its parameters in order of appearance.
   */
  whatsappTemplate: z
    .object({ name: z.string().trim().min(1).max(512), language: z.string().trim().min(2).max(15) })
    .nullable()
    .default(null),
});
export type TemplateInput = z.output<typeof templateInputSchema>;

export interface MessageTemplate extends TemplateInput {
  id: string;
  updatedAt: number;
}

export interface MessagePreview {
  text: string;
  subject: string;
  /** Fields the customer lacked, shown with their fallback words. */
  fellBack: TemplateField[];
  /** Words inside `{{ }}` that are not personal fields: left as written and flagged. */
  unknownFields: string[];
  sms: SmsSegments | null;
  customer: { id: string; displayName: string } | null;
}

// ── Cost, campaigns and results ──────────────────────────────────────────────────────────────

export interface CampaignEstimate {
  matching: number;
  /** Who would be sent to: consent (for promotions), an address, not capped. */
  recipients: number;
  excluded: { noConsent: number; noAddress: number };
  /** SMS pages per message for the longest personalised text (per variant). */
  pagesPerMessage: number;
  encoding: 'GSM-7' | 'UCS-2' | null;
  perMessageKobo: number;
  costKobo: number;
  /** Promotional SMS asked for in quiet hours waits until this time (Lagos 08:00). */
  waitsUntil: number | null;
}

export const campaignInputSchema = z.object({
  name: z.string().trim().min(1, 'Name the campaign').max(120),
  segment: segmentSource,
  templateId: z.uuid(),
  /** An A/B split: the second template goes to `splitPercent` of recipients. */
  templateBId: z.uuid().nullable().default(null),
  splitPercent: z.number().int().min(1).max(99).default(50),
  /** Null: send now (or as soon as quiet hours and the link allow). */
  scheduledAt: z.number().int().min(0).nullable().default(null),
});
export type CampaignInput = z.output<typeof campaignInputSchema>;

export const CAMPAIGN_STATES = ['scheduled', 'sending', 'done', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

export const MESSAGE_STATUSES = [
  'queued',
  'waiting',
  'sending',
  'sent',
  'delivered',
  'failed',
  'opted-out',
  'undeliverable',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const TRIGGERS = ['birthday', 'lapsed', 'tier-upgrade', 'points-ready'] as const;
export type CampaignTrigger = (typeof TRIGGERS)[number];

export interface CampaignTally {
  recipients: number;
  queued: number;
  waiting: number;
  sent: number;
  delivered: number;
  failed: number;
  optedOut: number;
  undeliverable: number;
  costKobo: number;
  /**
   * Delivered out of those whose fate is known (delivered, failed, undeliverable); null until a
   * report or an answer settles one. Sent messages still without a report are not counted.
   */
  deliveryRate: number | null;
}

export interface CampaignSummary {
  id: string;
  name: string;
  channel: ContactChannel;
  kind: MessageKind;
  state: CampaignState;
  trigger: CampaignTrigger | null;
  scheduledAt: number | null;
  createdAt: number;
  finishedAt: number | null;
  tally: CampaignTally;
}

export interface CampaignResults extends CampaignSummary {
  segmentName: string;
  templates: { variant: 'A' | 'B'; templateId: string; name: string; tally: CampaignTally }[];
  perCarrier: { carrier: Carrier | 'email'; tally: CampaignTally }[];
  /** Per hour since the campaign started: how many were sent, delivered and failed. */
  timeline: { at: number; sent: number; delivered: number; failed: number }[];
}

export interface CampaignMessage {
  id: string;
  customerId: string | null;
  displayName: string;
  recipient: string;
  carrier: Carrier | null;
  variant: 'A' | 'B';
  status: MessageStatus;
  reason: string | null;
  costKobo: number;
  updatedAt: number;
}

export interface CampaignProgress {
  campaignId: string;
  state: CampaignState;
  tally: CampaignTally;
}

// ── Settings and providers ───────────────────────────────────────────────────────────────────

export const PROVIDERS = ['termii', 'africastalking', 'whatsapp-cloud', 'smtp'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

const url = z.url().max(300);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM');

export const campaignSettingsSchema = z.object({
  rates: z.object({ smsPageKobo: kobo, whatsappKobo: kobo, emailKobo: kobo }),
  /** Lagos time; promotional SMS is held in between (NCC). */
  quietHours: z.object({ start: timeOfDay, end: timeOfDay }),
  /** At most this many promotional messages per customer in `frequencyCapHours`. */
  frequencyCap: z.object({
    messages: z.number().int().min(1).max(50),
    hours: z.number().int().min(1).max(720),
  }),
  smsProvider: z.enum(['termii', 'africastalking']),
  termii: z.object({
    baseUrl: url,
    senderId: z.string().trim().max(11),
    channel: z.enum(['generic', 'dnd']),
  }),
  africastalking: z.object({
    baseUrl: url,
    username: z.string().trim().max(100),
    senderId: z.string().trim().max(11),
  }),
  whatsapp: z.object({ baseUrl: url, phoneNumberId: z.string().trim().max(40) }),
  smtp: z.object({
    host: z.string().trim().max(253),
    port: z.number().int().min(1).max(65_535),
    secure: z.boolean(),
    username: z.string().trim().max(200),
    from: z.string().trim().max(320),
  }),
  /** Messages per second each provider is sent at, at most. */
  throttlePerSecond: z.record(z.enum(PROVIDERS), z.number().int().min(1).max(1000)),
});
export type CampaignSettings = z.output<typeof campaignSettingsSchema>;

export const credentialsInputSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('termii'), apiKey: z.string().trim().min(1).max(200) }),
  z.object({ provider: z.literal('africastalking'), apiKey: z.string().trim().min(1).max(200) }),
  z.object({ provider: z.literal('whatsapp-cloud'), accessToken: z.string().trim().min(1).max(1000) }),
  z.object({ provider: z.literal('smtp'), password: z.string().min(1).max(500) }),
]);
export type CredentialsInput = z.output<typeof credentialsInputSchema>;

export interface TriggerSetting {
  trigger: CampaignTrigger;
  enabled: boolean;
  templateId: string | null;
  /** Lapsed: days since the last purchase. Points ready: the balance that can be redeemed. */
  threshold: number;
  lastRunAt: number | null;
}

export interface SenderStatus {
  /** Whether the link is up as the send loop sees it. */
  online: boolean;
  /** Providers with a secret in the keychain. */
  configured: Record<ProviderName, boolean>;
  queued: number;
  waiting: number;
  sending: number;
  lastError: string | null;
}

export const campaignChannels = {
  'campaigns:segments': channel<Segment[]>()(noInput),
  'campaigns:countSegment': channel<SegmentCount>()(z.object({ definition: segmentDefinitionSchema })),
  'campaigns:segmentMembers': channel<Page<SegmentMember>>()(
    z.object({ segment: segmentSource, ...pageInput }),
  ),
  'campaigns:saveSegment': channel<Segment>()(
    z.object({
      id: z.uuid().optional(),
      name: z.string().trim().min(1, 'Name the segment').max(80),
      definition: segmentDefinitionSchema,
    }),
  ),
  'campaigns:deleteSegment': channel<{ deleted: true }>()(idInput),
  'campaigns:templates': channel<MessageTemplate[]>()(noInput),
  'campaigns:saveTemplate': channel<MessageTemplate>()(templateInputSchema),
  'campaigns:deleteTemplate': channel<{ deleted: true }>()(idInput),
  'campaigns:preview': channel<MessagePreview>()(
    z.object({
      channel: z.enum(CONTACT_CHANNELS),
      body: z.string().max(4000),
      subject: z.string().max(200).default(''),
      /** A real recipient; null takes the first customer of the segment, or sample words. */
      customerId: z.uuid().nullable().default(null),
      segment: segmentSource.nullable().default(null),
    }),
  ),
  'campaigns:estimate': channel<CampaignEstimate>()(
    z.object({
      segment: segmentSource,
      templateId: z.uuid(),
      templateBId: z.uuid().nullable().default(null),
      scheduledAt: z.number().int().min(0).nullable().default(null),
    }),
  ),
  'campaigns:create': channel<CampaignSummary>()(campaignInputSchema),
  'campaigns:list': channel<Page<CampaignSummary>>()(z.object({ ...pageInput })),
  'campaigns:results': channel<CampaignResults>()(idInput),
  'campaigns:messages': channel<Page<CampaignMessage>>()(
    z.object({
      campaignId: z.uuid(),
      status: z.enum(MESSAGE_STATUSES).nullable().default(null),
      ...pageInput,
    }),
  ),
  'campaigns:cancel': channel<CampaignSummary>()(idInput),
  'campaigns:triggers': channel<TriggerSetting[]>()(noInput),
  'campaigns:setTrigger': channel<TriggerSetting>()(
    z.object({
      trigger: z.enum(TRIGGERS),
      enabled: z.boolean(),
      templateId: z.uuid().nullable(),
      threshold: z.number().int().min(0).max(1_000_000).optional(),
    }),
  ),
  'campaigns:settings': channel<CampaignSettings>()(noInput),
  'campaigns:updateSettings': channel<CampaignSettings>()(campaignSettingsSchema.partial()),
  'campaigns:setCredentials': channel<SenderStatus>()(credentialsInputSchema),
  'campaigns:senderStatus': channel<SenderStatus>()(noInput),
} as const;
