/** Channels of the customer book: find, create, edit, archive, merge, consent, import, export. */
import { z } from 'zod';
import { channel, idInput, pageInput, type Page } from '../channel';
import { NIGERIAN_STATES, type NigerianState } from '../states';
import type { Carrier } from '../phone';

export const CONTACT_CHANNELS = ['sms', 'whatsapp', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type Tier = (typeof TIERS)[number];

const birthday = z
  .string()
  .regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Write the birthday as MM-DD or YYYY-MM-DD');

export const customerInputSchema = z.object({
  firstName: z.string().trim().max(60).default(''),
  lastName: z.string().trim().max(60).default(''),
  /** Shown everywhere; made from first and last name when left empty. */
  displayName: z.string().trim().max(120).default(''),
  phone: z.string().trim().min(1, 'Enter a phone number').max(32),
  /** Empty: same as the phone number. */
  whatsapp: z.string().trim().max(32).default(''),
  email: z.union([z.literal(''), z.email('Enter a valid email address')]).default(''),
  address: z.string().trim().max(200).default(''),
  state: z.enum(NIGERIAN_STATES).nullable().default(null),
  lgaCity: z.string().trim().max(80).default(''),
  kind: z.enum(['individual', 'business']).default('individual'),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  notes: z.string().max(2000).default(''),
  preferences: z.record(z.string().max(40), z.string().max(200)).default({}),
  birthday: birthday.nullable().default(null),
  /** Consent given at creation, per channel (true = may receive promotions). */
  consent: z
    .object({
      sms: z.boolean().default(false),
      whatsapp: z.boolean().default(false),
      email: z.boolean().default(false),
    })
    .prefault({}),
  consentSource: z.string().trim().max(60).default('counter'),
  consentWording: z.string().trim().max(500).default(''),
});

export interface CustomerSummary {
  id: string;
  displayName: string;
  phone: string;
  phoneNational: string;
  carrier: Carrier | null;
  tags: string[];
  state: NigerianState | null;
  archived: boolean;
  totalSpentKobo: number;
  purchaseCount: number;
  lastPurchaseAt: number | null;
  pointsBalance: number;
  tier: Tier;
}

export interface ConsentState {
  channel: ContactChannel;
  granted: boolean;
  source: string;
  wording: string;
  at: number;
}

export interface Customer extends CustomerSummary {
  firstName: string;
  lastName: string;
  whatsapp: string | null;
  email: string;
  address: string;
  lgaCity: string;
  kind: 'individual' | 'business';
  notes: string;
  preferences: Record<string, string>;
  birthday: string | null;
  mergedIntoId: string | null;
  consents: ConsentState[];
  createdAt: number;
  updatedAt: number;
}

export interface CustomerPurchase {
  saleId: string;
  receiptNumber: string;
  totalKobo: number;
  refundedKobo: number;
  pointsEarned: number;
  createdAt: number;
}

export interface PointsEntry {
  id: string;
  delta: number;
  kind: 'earn' | 'redeem' | 'refund' | 'adjust' | 'merge';
  note: string;
  saleId: string | null;
  createdAt: number;
}

export interface ConsentEntry extends ConsentState {
  id: string;
}

export const CUSTOMER_CSV_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'phone',
  'whatsapp',
  'email',
  'address',
  'state',
  'lgaCity',
  'tags',
  'notes',
  'birthday',
  'smsConsent',
  'whatsappConsent',
  'emailConsent',
] as const;
export type CustomerCsvField = (typeof CUSTOMER_CSV_FIELDS)[number];

export interface CsvPreview {
  headers: string[];
  sample: string[][];
  rowCount: number;
  /** Field → column index guessed from the headers. */
  suggestedMapping: Partial<Record<CustomerCsvField, number>>;
}

export interface CsvRejectedRow {
  /** 1-based line in the file, counting the header. */
  line: number;
  reason: string;
  raw: string[];
}

export interface CsvImportReport {
  imported: number;
  rejected: CsvRejectedRow[];
}

const MAX_CSV_BYTES = 30 * 1024 * 1024;
const csvText = z.string().max(MAX_CSV_BYTES, 'The file is too large: split it into files under 30 MB');

export const customerSortSchema = z.enum(['name', 'spend', 'lastPurchase', 'points']);

export const customerChannels = {
  'customers:search': channel<CustomerSummary[]>()(
    z.object({
      query: z.string().max(100),
      limit: z.number().int().min(1).max(100).default(50),
      includeArchived: z.boolean().default(false),
    }),
  ),
  'customers:list': channel<Page<CustomerSummary>>()(
    z.object({
      sort: customerSortSchema.default('name'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      tag: z.string().max(40).optional(),
      includeArchived: z.boolean().default(false),
      ...pageInput,
    }),
  ),
  'customers:get': channel<Customer>()(idInput),
  'customers:create': channel<Customer>()(customerInputSchema),
  'customers:update': channel<Customer>()(
    customerInputSchema.omit({ consent: true }).extend({ id: z.uuid() }),
  ),
  'customers:archive': channel<Customer>()(z.object({ id: z.uuid(), archived: z.boolean() })),
  'customers:merge': channel<Customer>()(
    z.object({ keepId: z.uuid(), mergeId: z.uuid() }).refine((v) => v.keepId !== v.mergeId, {
      message: 'Choose two different customers',
      path: ['mergeId'],
    }),
  ),
  'customers:setConsent': channel<Customer>()(
    z.object({
      customerId: z.uuid(),
      channel: z.enum(CONTACT_CHANNELS),
      granted: z.boolean(),
      source: z.string().trim().min(1).max(60),
      wording: z.string().trim().max(500).default(''),
    }),
  ),
  'customers:purchases': channel<Page<CustomerPurchase>>()(z.object({ id: z.uuid(), ...pageInput })),
  'customers:points': channel<Page<PointsEntry>>()(z.object({ id: z.uuid(), ...pageInput })),
  'customers:consentHistory': channel<ConsentEntry[]>()(idInput),
  'customers:importPreview': channel<CsvPreview>()(z.object({ csv: csvText })),
  'customers:import': channel<CsvImportReport>()(
    z.object({
      csv: csvText,
      mapping: z.partialRecord(z.enum(CUSTOMER_CSV_FIELDS), z.number().int().min(0).max(500)),
      hasHeader: z.boolean().default(true),
      /** Progress events carry this id. */
      taskId: z.string().min(1).max(64),
    }),
  ),
  'customers:exportCsv': channel<{ csv: string; rows: number; done: boolean }>()(
    z.object({ offset: pageInput.offset, limit: z.number().int().min(1).max(50_000).default(20_000) }),
  ),
} as const;
