/**
 * The wire between a counter and the sync server: what a mutation is, what push and pull
 * send and answer, pairing, and the realtime notice. Both ends parse with these schemas, so a
 * counter and a server of the same protocol version can never disagree on a shape.
 *
 * Entities come in two kinds. Replicas (the business profile, staff, customers, products,
 * settings) are records edited in place: a mutation carries the whole record with a clock on
 * every field, and copies merge per field (./merge.ts). Ledgers (consents, points, stock moves,
 * sales, refunds, message logs) are facts only ever added: a mutation carries the new row (a
 * sale with its lines, payments, stock moves and points as one), and a second copy of the same
 * id is either the same fact or, for a sale whose amounts differ, a conflict for the owner.
 *
 * Four ledgers are written by the sync server alone: delivery reports (`message_report`) and STOP
 * replies (`opt_out`) from providers' webhooks, and the online store's orders (`store_order`) and
 * their online payments (`store_payment`). Counters pull them like any change but never push
 * them; a pushed one is refused. What a counter does with an order (fulfilled as a sale,
 * cancelled) is its own ledger, `store_order_update`.
 */
import { z } from 'zod';
import { PROVIDERS } from '../channels/campaigns';
import { PAYMENT_METHODS } from '../channels/sales';
import { NIGERIAN_STATES } from '../states';
import { PAYMENT_OPTIONS } from '../store/draft';
import { DELIVERY_OPTIONS, ORDER_PAYMENT_STATUSES } from '../store/storefront';

export const SYNC_PROTOCOL_VERSION = 1;

export const REPLICA_ENTITIES = ['business', 'staff', 'customer', 'product', 'setting'] as const;
/** Ledgers only the sync server writes (from providers' webhooks); a counter never pushes them. */
export const SERVER_LEDGER_ENTITIES = ['message_report', 'opt_out', 'store_order', 'store_payment'] as const;
export const LEDGER_ENTITIES = [
  'consent',
  'points',
  'stock_move',
  'sale',
  'refund',
  'message',
  'store_order_update',
  ...SERVER_LEDGER_ENTITIES,
] as const;
export const SYNC_ENTITIES = [...REPLICA_ENTITIES, ...LEDGER_ENTITIES] as const;

export type ReplicaEntity = (typeof REPLICA_ENTITIES)[number];
export type LedgerEntity = (typeof LEDGER_ENTITIES)[number];
export type ServerLedgerEntity = (typeof SERVER_LEDGER_ENTITIES)[number];
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

export function isReplicaEntity(entity: string): entity is ReplicaEntity {
  return (REPLICA_ENTITIES as readonly string[]).includes(entity);
}

export function isServerLedgerEntity(entity: string): entity is ServerLedgerEntity {
  return (SERVER_LEDGER_ENTITIES as readonly string[]).includes(entity);
}

/** The fields each replica may carry; anything else is refused, so a typo never spreads. */
export const REPLICA_FIELDS: Record<ReplicaEntity, readonly string[]> = {
  business: ['name', 'state', 'phone', 'address', 'email'],
  staff: ['name', 'role', 'pinHash', 'active'],
  customer: [
    'firstName',
    'lastName',
    'displayName',
    'phone',
    'whatsapp',
    'email',
    'address',
    'state',
    'lgaCity',
    'kind',
    'tags',
    'birthday',
    'archivedAt',
    'mergedIntoId',
    'createdAt',
  ],
  product: [
    'name',
    'sku',
    'barcode',
    'priceKobo',
    'costKobo',
    'category',
    'lowStockThreshold',
    'image',
    'archivedAt',
    'createdAt',
  ],
  setting: ['value'],
};

const HLC_TEXT = /^\d{15}:[0-9a-z]{4}:.{1,64}$/;
export const hlcText = z.string().regex(HLC_TEXT, 'not a clock value');

const stamped = z.object({ value: z.string().max(400_000).nullable(), hlc: hlcText });

export const replicaSchema = z.object({
  fields: z.record(z.string().max(40), stamped),
  preferences: z.record(z.string().min(1).max(60), stamped).default({}),
  notes: z
    .array(z.object({ id: z.string().min(1).max(64), text: z.string().max(5_000), hlc: hlcText }))
    .max(500)
    .default([]),
});

const id = z.string().min(1).max(64);
const at = z.number().int().nonnegative();
const amount = z.number().int().min(0).max(1_000_000_000_000);
const signed = z.number().int().min(-1_000_000_000).max(1_000_000_000);

export const consentRowSchema = z.object({
  id,
  customerId: id,
  channel: z.enum(['sms', 'whatsapp', 'email']),
  granted: z.boolean(),
  source: z.string().max(80),
  wording: z.string().max(2_000),
  staffId: id.nullable(),
  createdAt: at,
});

export const pointsRowSchema = z.object({
  id,
  customerId: id,
  delta: signed,
  kind: z.enum(['earn', 'redeem', 'refund', 'adjust', 'merge']),
  saleId: id.nullable(),
  refundId: id.nullable(),
  note: z.string().max(500),
  createdAt: at,
});

export const stockMoveRowSchema = z.object({
  id,
  productId: id,
  kind: z.enum(['sale', 'refund', 'void', 'adjustment', 'receive']),
  quantity: signed,
  saleId: id.nullable(),
  refundId: id.nullable(),
  staffId: id.nullable(),
  note: z.string().max(500),
  createdAt: at,
});

export const saleRowSchema = z.object({
  id,
  receiptNumber: z.string().min(1).max(40),
  deviceId: id,
  customerId: id.nullable(),
  staffId: id,
  subtotalKobo: amount,
  discountKobo: amount,
  totalKobo: amount,
  pointsEarned: z.number().int().min(0),
  riskScore: z.number().int().min(0).max(1_000),
  riskReasons: z.array(z.string().max(300)).max(20),
  createdAt: at,
  lines: z
    .array(
      z.object({
        id,
        lineNo: z.number().int().positive(),
        productId: id.nullable(),
        name: z.string().max(200),
        unitPriceKobo: amount,
        quantity: z.number().int().positive(),
        discountKobo: amount,
        totalKobo: amount,
      }),
    )
    .min(1)
    .max(500),
  payments: z
    .array(
      z.object({
        id,
        method: z.enum(PAYMENT_METHODS),
        amountKobo: amount,
        tenderedKobo: amount.nullable(),
        changeKobo: amount,
        reference: z.string().max(80),
        pointsUsed: z.number().int().min(0),
        createdAt: at,
      }),
    )
    .min(1)
    .max(10),
  stockMoves: z.array(stockMoveRowSchema).max(500),
  points: z.array(pointsRowSchema).max(10),
});

export const refundRowSchema = z.object({
  id,
  saleId: id,
  kind: z.enum(['refund', 'void']),
  amountKobo: amount,
  method: z.enum(PAYMENT_METHODS),
  reason: z.string().max(500),
  staffId: id,
  approvedByStaffId: id,
  pointsReversed: z.number().int(),
  /** The counter whose drawer the money left; absent from counters before it was kept. */
  deviceId: id.nullable().default(null),
  createdAt: at,
  lines: z
    .array(z.object({ id, saleLineId: id, quantity: z.number().int().positive(), amountKobo: amount }))
    .max(500),
  stockMoves: z.array(stockMoveRowSchema).max(500),
  points: z.array(pointsRowSchema).max(10),
});

/** A message a campaign or a receipt sent: the sync server keeps the log for reports. */
export const messageRowSchema = z.object({
  id,
  campaignId: id.nullable(),
  customerId: id.nullable(),
  channel: z.enum(['sms', 'whatsapp', 'email']),
  recipient: z.string().min(1).max(320),
  carrier: z.string().max(20).nullable(),
  status: z.enum(['queued', 'waiting', 'sent', 'delivered', 'failed', 'opted-out', 'undeliverable']),
  costKobo: amount,
  createdAt: at,
});

/**
 * A provider's delivery report for one message, as the sync server took it from a webhook. One
 * row per (provider, providerMessageId, status): a provider's retry of the same report is the
 * same row. `reference` is our message id where the provider echoes it back (WhatsApp's
 * `biz_opaque_callback_data`); otherwise a counter finds the message by `providerMessageId`.
 */
export const messageReportRowSchema = z.object({
  id: z.uuid(),
  provider: z.enum(PROVIDERS),
  providerMessageId: z.string().min(1).max(200),
  reference: z.string().min(1).max(512).nullable(),
  status: z.enum(['sent', 'delivered', 'failed', 'undeliverable']),
  reason: z.string().max(300).nullable(),
  at,
});

/** A customer's STOP reply to an SMS or WhatsApp message, as the sync server took it in. */
export const optOutRowSchema = z.object({
  id: z.uuid(),
  channel: z.enum(['sms', 'whatsapp', 'email']),
  /** E.164. */
  phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'not an E.164 phone number'),
  /** The customer's words, as they sent them. */
  text: z.string().max(500),
  provider: z.enum(PROVIDERS),
  at,
});

const storeOrderCustomer = z.object({
  name: z.string().min(1).max(120),
  /** E.164. */
  phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'not an E.164 phone number'),
  email: z.string().max(200),
  state: z.enum(NIGERIAN_STATES),
  lgaCity: z.string().max(120),
  address: z.string().max(300),
});

/** An order from the online store, priced by the sync server from the published config. */
export const storeOrderRowSchema = z.object({
  id: z.uuid(),
  /** Short and human, per business: "1042", said on the phone and printed on the label. */
  number: z.number().int().positive(),
  lines: z
    .array(
      z.object({
        productId: id,
        name: z.string().min(1).max(120),
        unitPriceKobo: amount,
        quantity: z.number().int().positive().max(1_000),
        totalKobo: amount,
      }),
    )
    .min(1)
    .max(50),
  customer: storeOrderCustomer,
  delivery: z.object({
    option: z.enum(DELIVERY_OPTIONS),
    label: z.string().max(60),
    zoneId: z.string().max(40).nullable(),
    priceKobo: amount,
    quoted: z.boolean(),
    daysMin: z.number().int().min(0).max(120),
    daysMax: z.number().int().min(0).max(120),
  }),
  payment: z.object({ method: z.enum(PAYMENT_OPTIONS), status: z.enum(ORDER_PAYMENT_STATUSES) }),
  subtotalKobo: amount,
  totalKobo: amount,
  note: z.string().max(500),
  /** Placed by the owner's "test store" button: shown as a test, never fulfilled as a sale. */
  test: z.boolean(),
  placedAt: at,
});

/** An online payment's outcome for an order, as the sync server verified it with the provider. */
export const storePaymentRowSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  provider: z.enum(['paystack', 'flutterwave']),
  reference: z.string().min(1).max(200),
  status: z.enum(['paid', 'failed']),
  amountKobo: amount,
  at,
});

/** What a counter did with an online order. */
export const storeOrderUpdateRowSchema = z.object({
  id,
  orderId: z.uuid(),
  status: z.enum(['fulfilled', 'cancelled']),
  /** The counter's sale for a fulfilled order. */
  saleId: id.nullable(),
  reason: z.string().max(300),
  staffId: id.nullable(),
  createdAt: at,
});

export type ConsentRow = z.output<typeof consentRowSchema>;
export type PointsRow = z.output<typeof pointsRowSchema>;
export type StockMoveRow = z.output<typeof stockMoveRowSchema>;
export type SaleRow = z.output<typeof saleRowSchema>;
export type RefundRow = z.output<typeof refundRowSchema>;
export type MessageRow = z.output<typeof messageRowSchema>;
export type MessageReportRow = z.output<typeof messageReportRowSchema>;
export type OptOutRow = z.output<typeof optOutRowSchema>;
export type StoreOrderRow = z.output<typeof storeOrderRowSchema>;
export type StorePaymentRow = z.output<typeof storePaymentRowSchema>;
export type StoreOrderUpdateRow = z.output<typeof storeOrderUpdateRowSchema>;
export type ReplicaData = z.output<typeof replicaSchema>;

export const LEDGER_SCHEMAS = {
  consent: consentRowSchema,
  points: pointsRowSchema,
  stock_move: stockMoveRowSchema,
  sale: saleRowSchema,
  refund: refundRowSchema,
  message: messageRowSchema,
  message_report: messageReportRowSchema,
  opt_out: optOutRowSchema,
  store_order: storeOrderRowSchema,
  store_payment: storePaymentRowSchema,
  store_order_update: storeOrderUpdateRowSchema,
} as const satisfies Record<LedgerEntity, z.ZodType>;

/**
 * `upsert` for replicas, `append` for ledgers, and `resolve` for the owner's decision on a sale
 * conflict: the resolving copy replaces the server's.
 */
export const MUTATION_OPS = ['upsert', 'append', 'resolve'] as const;
export type MutationOp = (typeof MUTATION_OPS)[number];

export const mutationSchema = z.object({
  /** Made once on the counter: the server applies each mutation id at most once. */
  id: z.uuid(),
  entity: z.string().min(1).max(40),
  entityId: id,
  op: z.enum(MUTATION_OPS),
  data: z.unknown(),
});
export type Mutation = z.output<typeof mutationSchema>;

export type CheckedMutation =
  | { entity: ReplicaEntity; op: 'upsert'; data: ReplicaData }
  | { entity: 'consent'; op: 'append'; data: ConsentRow }
  | { entity: 'points'; op: 'append'; data: PointsRow }
  | { entity: 'stock_move'; op: 'append'; data: StockMoveRow }
  | { entity: 'sale'; op: 'append' | 'resolve'; data: SaleRow }
  | { entity: 'refund'; op: 'append'; data: RefundRow }
  | { entity: 'message'; op: 'append'; data: MessageRow }
  | { entity: 'message_report'; op: 'append'; data: MessageReportRow }
  | { entity: 'opt_out'; op: 'append'; data: OptOutRow }
  | { entity: 'store_order'; op: 'append'; data: StoreOrderRow }
  | { entity: 'store_payment'; op: 'append'; data: StorePaymentRow }
  | { entity: 'store_order_update'; op: 'append'; data: StoreOrderUpdateRow };

/**
 * Checks one mutation's entity, op and data; a refusal is a sentence for the log and the Sync
 * screen. Used by counters on every pulled change (`direction` pull, the default) and by the
 * server on every pushed mutation (`direction` push): only a pulled change may carry the ledgers
 * the server alone writes.
 */
export function checkMutation(
  mutation: Pick<Mutation, 'entity' | 'entityId' | 'op' | 'data'>,
  direction: 'push' | 'pull' = 'pull',
): { ok: true; value: CheckedMutation } | { ok: false; reason: string } {
  const { entity, op } = mutation;
  if (direction === 'push' && isServerLedgerEntity(entity)) {
    return {
      ok: false,
      reason: `${entity} rows are written by the sync server, never pushed`,
    };
  }
  if (isReplicaEntity(entity)) {
    if (op !== 'upsert') return { ok: false, reason: `${entity} records are upserted, not "${op}"` };
    const parsed = replicaSchema.safeParse(mutation.data);
    if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
    const allowed = REPLICA_FIELDS[entity];
    const unknown = Object.keys(parsed.data.fields).filter((field) => !allowed.includes(field));
    if (unknown.length > 0) return { ok: false, reason: `unknown ${entity} field ${unknown.join(', ')}` };
    return { ok: true, value: { entity, op, data: parsed.data } };
  }
  if (!(LEDGER_ENTITIES as readonly string[]).includes(entity)) {
    return { ok: false, reason: `unknown entity "${entity}"` };
  }
  const ledger = entity as LedgerEntity;
  if (op === 'upsert' || (op === 'resolve' && ledger !== 'sale')) {
    return { ok: false, reason: `${ledger} rows are appended, never "${op}"` };
  }
  const parsed = LEDGER_SCHEMAS[ledger].safeParse(mutation.data);
  if (!parsed.success) return { ok: false, reason: describe(parsed.error) };
  if ((parsed.data as { id: string }).id !== mutation.entityId) {
    return { ok: false, reason: 'the row id and the mutation entityId differ' };
  }
  return { ok: true, value: { entity: ledger, op, data: parsed.data } as CheckedMutation };
}

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid data';
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return `${where}${first.message}`.slice(0, 300);
}

// ── Push ───────────────────────────────────────────────────────────────────────────────────

export const MAX_PUSH_MUTATIONS = 2_000;

export const pushRequestSchema = z.object({
  /** The counter's wall clock when it sent the batch, for the skew the server reports back. */
  deviceTime: at,
  mutations: z.array(z.unknown()).min(1).max(MAX_PUSH_MUTATIONS),
});
export type PushRequest = { deviceTime: number; mutations: Mutation[] };

export interface ServerRow {
  entity: string;
  entityId: string;
  data: unknown;
}

/**
 * `applied`: the server now holds what was sent (a repeat of a mutation already applied is
 * `applied` with `duplicate`). `conflict`: the server's row differs from what was sent; with
 * `resolution: 'merged'` the merge rules settled it and the counter takes `server` in, with
 * `'manual'` (a sale whose amounts differ) the owner decides. `rejected`: not applied, and why.
 */
export type MutationResult =
  | { id: string; status: 'applied'; duplicate?: boolean; server?: ServerRow }
  | { id: string; status: 'conflict'; resolution: 'merged' | 'manual'; server: ServerRow }
  | { id: string; status: 'rejected'; reason: string };

export interface PushResponse {
  serverTime: number;
  /** The business's change cursor after this batch. */
  cursor: number;
  results: MutationResult[];
}

// ── Pull ───────────────────────────────────────────────────────────────────────────────────

export const MAX_PULL_LIMIT = 5_000;

export const pullQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(500),
});

export interface Change {
  seq: number;
  entity: string;
  entityId: string;
  op: MutationOp;
  /** For a replica, the whole merged record as it stood after this change. */
  data: unknown;
}

export interface PullResponse {
  serverTime: number;
  /** Changes after `after` made by other devices; this device's own are skipped. */
  changes: Change[];
  /** Where the next pull starts: past everything this page covered, own changes included. */
  cursor: number;
  hasMore: boolean;
}

// ── Pairing and devices ────────────────────────────────────────────────────────────────────

const label = z.string().trim().min(1).max(80);

export const createBusinessSchema = z.object({
  businessName: label,
  branchName: label.default('Main branch'),
  deviceName: label,
});

export const pairingCodeRequestSchema = z.object({
  /** The branch the new counter joins; by default the branch of the counter that asks. */
  branchId: z.uuid().optional(),
  branchName: label.optional(),
});

/** Eight letters and digits with no look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX. */
export const PAIRING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const pairingCode = z
  .string()
  .transform((text) => text.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/, 'A pairing code is 8 letters and digits'));

export const pairSchema = z.object({ code: pairingCode, deviceName: label });

export interface PairResponse {
  businessId: string;
  businessName: string;
  branchId: string;
  branchName: string;
  deviceId: string;
  /** Shown once; the server keeps only its hash. */
  token: string;
  serverTime: number;
}

export interface PairingCodeResponse {
  code: string;
  expiresAt: number;
  branchId: string;
}

export interface DeviceInfo {
  id: string;
  name: string;
  branchId: string;
  branchName: string;
  createdAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
}

export interface MeResponse {
  deviceId: string;
  deviceName: string;
  businessId: string;
  businessName: string;
  branchId: string;
  branchName: string;
  cursor: number;
  serverTime: number;
}

/** Every answer that is not 2xx carries this body. */
export interface ServerError {
  error: { code: string; message: string };
}

// ── Realtime ───────────────────────────────────────────────────────────────────────────────

/** Server → counter over the WebSocket; counters send nothing but pings. */
export type RealtimeNotice =
  { type: 'hello'; cursor: number; serverTime: number } | { type: 'changes'; cursor: number };

export const realtimeNoticeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), cursor: z.number().int(), serverTime: z.number() }),
  z.object({ type: z.literal('changes'), cursor: z.number().int() }),
]);

// ── Server-side reads (the storefront, reports, the load mix) ──────────────────────────────

export interface SalesReportDay {
  /** Lagos calendar day, YYYY-MM-DD. */
  day: string;
  sales: number;
  totalKobo: number;
}
