/**
 * The desktop database schema (drizzle). drizzle-kit turns changes here into new files in
 * `migrations/`; a shipped migration is never edited.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const businessProfile = sqliteTable(
  'business_profile',
  {
    id: text('id').primaryKey(),
    /** Always 1: a data folder belongs to exactly one business. */
    singleton: integer('singleton').notNull().default(1),
    name: text('name').notNull(),
    state: text('state').notNull(),
    phone: text('phone').notNull(),
    address: text('address').notNull().default(''),
    email: text('email').notNull().default(''),
    /** JSON: the hybrid-logical-clock stamp of each field (`*` for the ones last set together). */
    syncClock: text('sync_clock').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('business_profile_singleton').on(table.singleton),
    check('business_profile_singleton_is_one', sql`${table.singleton} = 1`),
  ],
);

export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ['owner', 'manager', 'cashier'] }).notNull(),
    /** `scrypt$N$r$p$salt$hash`, never the PIN itself. */
    pinHash: text('pin_hash').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** JSON: the hybrid-logical-clock stamp of each field (`*` for the ones last set together). */
    syncClock: text('sync_clock').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    index('staff_role').on(table.role),
    check('staff_role_known', sql`${table.role} in ('owner', 'manager', 'cashier')`),
  ],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  /** JSON text of the value. */
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /** The clock of the last edit, for the settings every counter of the shop shares. */
  syncClock: text('sync_clock'),
});

/**
 * Append-only and hash-chained: each row's hash covers its own fields and the previous row's
 * hash, so an edited or deleted row breaks the chain from that point on.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    at: integer('at').notNull(),
    actorStaffId: text('actor_staff_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    details: text('details').notNull().default('{}'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [index('audit_log_entity').on(table.entity, table.entityId)],
);

// ── The counter: customers, products and stock, sales, loyalty, risk (issue 3) ─────────────
// Facts are ledgers (stock_moves, sales, sale_lines, sale_payments, refunds, points_ledger,
// customer_consents); the *_stats / product_stock tables are projections of them, written in
// the same transaction, kept only so lists can sort and filter a million rows by index.

export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    firstName: text('first_name').notNull().default(''),
    lastName: text('last_name').notNull().default(''),
    displayName: text('display_name').notNull(),
    /** Lower-cased display name: the index behind prefix search and sorting by name. */
    searchName: text('search_name').notNull(),
    /** E.164. */
    phone: text('phone').notNull(),
    phoneNational: text('phone_national').notNull(),
    carrier: text('carrier'),
    whatsapp: text('whatsapp'),
    email: text('email').notNull().default(''),
    address: text('address').notNull().default(''),
    state: text('state'),
    lgaCity: text('lga_city').notNull().default(''),
    kind: text('kind', { enum: ['individual', 'business'] })
      .notNull()
      .default('individual'),
    /** JSON array of tags. */
    tags: text('tags').notNull().default('[]'),
    /** The live notes of `notes_log`, oldest first: what screens and search read. */
    notes: text('notes').notNull().default(''),
    /** JSON array of `{id, text, hlc}`: notes from every counter are kept, never overwritten. */
    notesLog: text('notes_log').notNull().default('[]'),
    /** JSON object of preferences, merged per key. */
    preferences: text('preferences').notNull().default('{}'),
    /** `MM-DD` or `YYYY-MM-DD`. */
    birthday: text('birthday'),
    archivedAt: integer('archived_at'),
    mergedIntoId: text('merged_into_id'),
    createdByStaffId: text('created_by_staff_id'),
    /** JSON: the hybrid-logical-clock stamp of each field (`*` for the ones last set together). */
    syncClock: text('sync_clock').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    // Not unique: two counters offline can each add the same number; sync queues the pair for
    // the owner to merge. The service still refuses a duplicate typed at this counter.
    index('customers_phone_unmerged')
      .on(table.phone)
      .where(sql`${table.mergedIntoId} IS NULL`),
    index('customers_search_name').on(table.searchName),
    index('customers_listed_name')
      .on(table.searchName)
      .where(sql`${table.mergedIntoId} IS NULL AND ${table.archivedAt} IS NULL`),
    index('customers_phone_national').on(table.phoneNational),
    index('customers_birthday').on(table.birthday),
    check('customers_kind_known', sql`${table.kind} in ('individual', 'business')`),
  ],
);

export const customerStats = sqliteTable(
  'customer_stats',
  {
    customerId: text('customer_id')
      .primaryKey()
      .references(() => customers.id),
    totalSpentKobo: integer('total_spent_kobo').notNull().default(0),
    purchaseCount: integer('purchase_count').notNull().default(0),
    lastPurchaseAt: integer('last_purchase_at'),
    pointsBalance: integer('points_balance').notNull().default(0),
    tier: text('tier', { enum: ['bronze', 'silver', 'gold', 'platinum'] })
      .notNull()
      .default('bronze'),
    /** 1 in the book, 0 archived, -1 merged away: lets the list page through its own indexes. */
    listed: integer('listed').notNull().default(1),
    /**
     * The latest answer of `customer_consents` per channel (1 granted), kept by a trigger on that
     * ledger so a segment over a million customers filters on consent without a subquery a row.
     */
    consentSms: integer('consent_sms').notNull().default(0),
    consentWhatsapp: integer('consent_whatsapp').notNull().default(0),
    consentEmail: integer('consent_email').notNull().default(0),
  },
  (table) => [
    index('customer_stats_listed_spent').on(table.listed, table.totalSpentKobo),
    index('customer_stats_listed_last_purchase').on(table.listed, table.lastPurchaseAt),
    index('customer_stats_listed_points').on(table.listed, table.pointsBalance),
  ],
);

export const customerConsents = sqliteTable(
  'customer_consents',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel', { enum: ['sms', 'whatsapp', 'email'] }).notNull(),
    granted: integer('granted', { mode: 'boolean' }).notNull(),
    /** Where the answer came from: counter, import, storefront, STOP reply … */
    source: text('source').notNull(),
    /** The words the customer agreed to (or the opt-out message). */
    wording: text('wording').notNull().default(''),
    staffId: text('staff_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('customer_consents_customer').on(table.customerId, table.channel, table.createdAt)],
);

export const customerPhoneChanges = sqliteTable(
  'customer_phone_changes',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    oldPhone: text('old_phone').notNull(),
    newPhone: text('new_phone').notNull(),
    staffId: text('staff_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('customer_phone_changes_customer').on(table.customerId, table.createdAt)],
);

export const customerPaymentMethods = sqliteTable(
  'customer_payment_methods',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    method: text('method').notNull(),
    firstUsedAt: integer('first_used_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.method] })],
);

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    searchName: text('search_name').notNull(),
    sku: text('sku'),
    barcode: text('barcode'),
    priceKobo: integer('price_kobo').notNull(),
    costKobo: integer('cost_kobo').notNull().default(0),
    category: text('category').notNull().default(''),
    lowStockThreshold: integer('low_stock_threshold').notNull().default(0),
    /** A small image as a data URL (resized before it is stored). */
    image: text('image'),
    archivedAt: integer('archived_at'),
    /** JSON: the hybrid-logical-clock stamp of each field (`*` for the ones last set together). */
    syncClock: text('sync_clock').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    // Not unique, like the customer's phone: codes given the same offline on two counters meet in sync.
    index('products_sku').on(table.sku),
    index('products_barcode').on(table.barcode),
    index('products_search_name').on(table.searchName),
    index('products_category').on(table.category),
    check('products_price_not_negative', sql`${table.priceKobo} >= 0`),
  ],
);

export const productStock = sqliteTable('product_stock', {
  productId: text('product_id')
    .primaryKey()
    .references(() => products.id),
  quantity: integer('quantity').notNull().default(0),
});

export const stockMoves = sqliteTable(
  'stock_moves',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    kind: text('kind', { enum: ['sale', 'refund', 'void', 'adjustment', 'receive'] }).notNull(),
    /** Signed: a sale is negative, a delivery received positive. */
    quantity: integer('quantity').notNull(),
    saleId: text('sale_id'),
    refundId: text('refund_id'),
    staffId: text('staff_id'),
    note: text('note').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('stock_moves_product').on(table.productId, table.createdAt),
    // Sync reads a sale's (or refund's) moves to send them with it.
    index('stock_moves_sale').on(table.saleId),
    index('stock_moves_refund').on(table.refundId),
  ],
);

export const sales = sqliteTable(
  'sales',
  {
    id: text('id').primaryKey(),
    /** Per counter: `<device code>-<number>`, printed on the receipt. */
    receiptNumber: text('receipt_number').notNull().unique(),
    deviceId: text('device_id').notNull(),
    customerId: text('customer_id').references(() => customers.id),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    subtotalKobo: integer('subtotal_kobo').notNull(),
    discountKobo: integer('discount_kobo').notNull().default(0),
    totalKobo: integer('total_kobo').notNull(),
    pointsEarned: integer('points_earned').notNull().default(0),
    riskScore: integer('risk_score').notNull().default(0),
    /** JSON array of sentences. */
    riskReasons: text('risk_reasons').notNull().default('[]'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('sales_created_at').on(table.createdAt),
    index('sales_customer').on(table.customerId, table.createdAt),
    index('sales_staff').on(table.staffId, table.createdAt),
    check('sales_total_not_negative', sql`${table.totalKobo} >= 0`),
  ],
);

export const saleLines = sqliteTable(
  'sale_lines',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id').references(() => products.id),
    name: text('name').notNull(),
    unitPriceKobo: integer('unit_price_kobo').notNull(),
    quantity: integer('quantity').notNull(),
    discountKobo: integer('discount_kobo').notNull().default(0),
    totalKobo: integer('total_kobo').notNull(),
  },
  (table) => [
    uniqueIndex('sale_lines_sale').on(table.saleId, table.lineNo),
    index('sale_lines_product').on(table.productId),
    check('sale_lines_quantity_positive', sql`${table.quantity} > 0`),
  ],
);

export const salePayments = sqliteTable(
  'sale_payments',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id),
    method: text('method', { enum: ['cash', 'transfer', 'card', 'ussd', 'points'] }).notNull(),
    amountKobo: integer('amount_kobo').notNull(),
    /** Cash handed over; the change is tendered minus amount. */
    tenderedKobo: integer('tendered_kobo'),
    changeKobo: integer('change_kobo').notNull().default(0),
    reference: text('reference').notNull().default(''),
    pointsUsed: integer('points_used').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('sale_payments_sale').on(table.saleId),
    index('sale_payments_method').on(table.method, table.createdAt),
    check('sale_payments_amount_positive', sql`${table.amountKobo} > 0`),
  ],
);

export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    saleId: text('sale_id')
      .notNull()
      .references(() => sales.id),
    kind: text('kind', { enum: ['refund', 'void'] }).notNull(),
    amountKobo: integer('amount_kobo').notNull(),
    /** How the money went back to the customer. */
    method: text('method', { enum: ['cash', 'transfer', 'card', 'ussd', 'points'] }).notNull(),
    reason: text('reason').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    approvedByStaffId: text('approved_by_staff_id')
      .notNull()
      .references(() => staff.id),
    pointsReversed: integer('points_reversed').notNull().default(0),
    /** The counter whose drawer the money left (its Z-report counts it). */
    deviceId: text('device_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('refunds_sale').on(table.saleId), index('refunds_created_at').on(table.createdAt)],
);

export const refundLines = sqliteTable(
  'refund_lines',
  {
    id: text('id').primaryKey(),
    refundId: text('refund_id')
      .notNull()
      .references(() => refunds.id),
    saleLineId: text('sale_line_id')
      .notNull()
      .references(() => saleLines.id),
    quantity: integer('quantity').notNull(),
    amountKobo: integer('amount_kobo').notNull(),
  },
  (table) => [
    index('refund_lines_refund').on(table.refundId),
    index('refund_lines_sale_line').on(table.saleLineId),
  ],
);

export const pointsLedger = sqliteTable(
  'points_ledger',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    delta: integer('delta').notNull(),
    kind: text('kind', { enum: ['earn', 'redeem', 'refund', 'adjust', 'merge'] }).notNull(),
    saleId: text('sale_id'),
    refundId: text('refund_id'),
    note: text('note').notNull().default(''),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('points_ledger_customer').on(table.customerId, table.createdAt),
    index('points_ledger_sale').on(table.saleId),
    index('points_ledger_refund').on(table.refundId),
  ],
);

/** Events campaigns react to (tier upgrades, …). */
export const loyaltyEvents = sqliteTable(
  'loyalty_events',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    kind: text('kind', { enum: ['tier_change'] }).notNull(),
    fromTier: text('from_tier').notNull(),
    toTier: text('to_tier').notNull(),
    saleId: text('sale_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('loyalty_events_created_at').on(table.createdAt)],
);

export const riskReviews = sqliteTable(
  'risk_reviews',
  {
    saleId: text('sale_id')
      .primaryKey()
      .references(() => sales.id),
    status: text('status', { enum: ['open', 'cleared', 'confirmed'] })
      .notNull()
      .default('open'),
    note: text('note').notNull().default(''),
    reviewedByStaffId: text('reviewed_by_staff_id'),
    reviewedAt: integer('reviewed_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('risk_reviews_status').on(table.status, table.createdAt)],
);

/** A closed day: what the drawer should hold and what was counted. */
export const zReports = sqliteTable(
  'z_reports',
  {
    id: text('id').primaryKey(),
    fromAt: integer('from_at').notNull(),
    toAt: integer('to_at').notNull(),
    expectedCashKobo: integer('expected_cash_kobo').notNull(),
    countedCashKobo: integer('counted_cash_kobo').notNull(),
    /** JSON of the report as printed. */
    totals: text('totals').notNull(),
    staffId: text('staff_id')
      .notNull()
      .references(() => staff.id),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('z_reports_to_at').on(table.toAt)],
);

/** Local writes waiting to be pushed to the sync server, committed with the write itself. */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    mutationId: text('mutation_id').notNull().unique(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op').notNull(),
    /** JSON of the mutation. */
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
    pushedAt: integer('pushed_at'),
    /** pending, then the server's answer: applied, conflict or rejected. */
    status: text('status', { enum: ['pending', 'applied', 'conflict', 'rejected'] })
      .notNull()
      .default('pending'),
    /** The refusal's reason, or the conflict it opened. */
    result: text('result'),
  },
  (table) => [
    index('outbox_unpushed').on(table.pushedAt, table.seq),
    index('outbox_status').on(table.status, table.seq),
  ],
);

// ── Sync (issue 4) ─────────────────────────────────────────────────────────────────────────

/** This counter's pairing and progress: server address, device token, pull cursor, clock. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** What sync could not settle by its rules and the owner must: both versions are kept. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['sale-amounts', 'duplicate-customer', 'duplicate-product'] }).notNull(),
    entityId: text('entity_id').notNull(),
    /** JSON of this counter's version (null where there is none, as for a pulled duplicate). */
    mine: text('mine'),
    /** JSON of the other version. */
    theirs: text('theirs').notNull(),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    resolution: text('resolution', { enum: ['keep-mine', 'keep-theirs', 'merge'] }),
    resolvedByStaffId: text('resolved_by_staff_id'),
  },
  (table) => [
    index('sync_conflicts_open').on(table.resolvedAt, table.createdAt),
    index('sync_conflicts_entity').on(table.kind, table.entityId),
  ],
);

/** Refused mutations and failed attempts, newest kept, for the Sync screen. */
export const syncProblems = sqliteTable(
  'sync_problems',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    kind: text('kind', { enum: ['rejected', 'error'] }).notNull(),
    message: text('message').notNull(),
    entity: text('entity'),
    entityId: text('entity_id'),
  },
  (table) => [index('sync_problems_at').on(table.at)],
);

/**
 * A row here, inside one transaction, is the only way past the ledgers' append-only triggers:
 * the owner settling a sale conflict replaces one copy with the other. The row is deleted in
 * the same transaction, and an audit row records the correction.
 */
export const ledgerCorrections = sqliteTable('ledger_corrections', {
  id: text('id').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: integer('created_at').notNull(),
});

// ── Campaigns (issue 5) ─────────────────────────────────────────────────────────────────────
// A message is a row here before it is anything else: the send loop takes rows, marks them
// `sending` before the provider is asked and records the answer after, so a crash in between
// is settled from the row (never by sending again). `message_events` is the history of every
// status a message went through, for results over time.

export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** JSON of the rules (shared/channels/campaigns.ts `segmentDefinitionSchema`). */
    definition: text('definition').notNull(),
    /** One of the ready-made segments, which cannot be deleted. */
    ready: text('ready'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deletedAt: integer('deleted_at'),
  },
  (table) => [uniqueIndex('segments_ready').on(table.ready)],
);

export const messageTemplates = sqliteTable('message_templates', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  channel: text('channel', { enum: ['sms', 'whatsapp', 'email'] }).notNull(),
  kind: text('kind', { enum: ['promotional', 'transactional'] }).notNull(),
  body: text('body').notNull(),
  subject: text('subject').notNull().default(''),
  /** JSON `{name, language}` of the WhatsApp template Meta approved, or null. */
  whatsappTemplate: text('whatsapp_template'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  deletedAt: integer('deleted_at'),
});

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    channel: text('channel', { enum: ['sms', 'whatsapp', 'email'] }).notNull(),
    kind: text('kind', { enum: ['promotional', 'transactional'] }).notNull(),
    segmentId: text('segment_id'),
    segmentName: text('segment_name').notNull(),
    /** The rules as they stood when the campaign was made: its recipients do not drift. */
    definition: text('definition').notNull(),
    templateId: text('template_id').notNull(),
    templateBId: text('template_b_id'),
    splitPercent: integer('split_percent').notNull().default(50),
    state: text('state', { enum: ['scheduled', 'sending', 'done', 'cancelled'] }).notNull(),
    trigger: text('trigger', { enum: ['birthday', 'lapsed', 'tier-upgrade', 'points-ready'] }),
    scheduledAt: integer('scheduled_at'),
    /** When its messages were written (recipients fixed), null while it waits for its time. */
    enqueuedAt: integer('enqueued_at'),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
    createdByStaffId: text('created_by_staff_id'),
  },
  (table) => [
    index('campaigns_created').on(table.createdAt),
    index('campaigns_state').on(table.state, table.scheduledAt),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    /** UUIDv7 made when the message is written; also the reference given to the provider. */
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').references(() => campaigns.id),
    customerId: text('customer_id').references(() => customers.id),
    channel: text('channel', { enum: ['sms', 'whatsapp', 'email'] }).notNull(),
    kind: text('kind', { enum: ['promotional', 'transactional'] }).notNull(),
    variant: text('variant', { enum: ['A', 'B'] })
      .notNull()
      .default('A'),
    /** E.164 for SMS and WhatsApp, an address for email. */
    recipient: text('recipient').notNull(),
    carrier: text('carrier'),
    subject: text('subject').notNull().default(''),
    body: text('body').notNull(),
    /** JSON `{name, language, parameters}` for a WhatsApp template message. */
    whatsappTemplate: text('whatsapp_template'),
    pages: integer('pages').notNull().default(1),
    costKobo: integer('cost_kobo').notNull().default(0),
    status: text('status', {
      enum: ['queued', 'waiting', 'sending', 'sent', 'delivered', 'failed', 'opted-out', 'undeliverable'],
    }).notNull(),
    reason: text('reason'),
    provider: text('provider'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    /** The earliest time the send loop may take it (backoff, quiet hours, a schedule). */
    notBefore: integer('not_before').notNull(),
    /** Set while a provider call is out: what a restart settles instead of resending. */
    sendingSince: integer('sending_since'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    deliveredAt: integer('delivered_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    index('messages_due').on(table.status, table.notBefore),
    index('messages_campaign').on(table.campaignId, table.status),
    // A campaign writes one message per customer, whatever happens while it is being written.
    uniqueIndex('messages_campaign_customer')
      .on(table.campaignId, table.customerId)
      .where(sql`${table.campaignId} IS NOT NULL`),
    index('messages_customer_sent').on(table.customerId, table.kind, table.sentAt),
    index('messages_provider_ref').on(table.provider, table.providerMessageId),
  ],
);

export const messageEvents = sqliteTable(
  'message_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    status: text('status').notNull(),
    reason: text('reason'),
    /** `sender`, `report` (a provider's delivery report) or `restart`. */
    source: text('source').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('message_events_message').on(table.messageId, table.seq)],
);

/** Delivery reports relayed by the sync server, kept until their message is known. */
export const messageReports = sqliteTable(
  'message_reports',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    providerMessageId: text('provider_message_id').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    at: integer('at').notNull(),
    appliedAt: integer('applied_at'),
  },
  (table) => [index('message_reports_ref').on(table.provider, table.providerMessageId)],
);

export const campaignTriggers = sqliteTable('campaign_triggers', {
  trigger: text('trigger', { enum: ['birthday', 'lapsed', 'tier-upgrade', 'points-ready'] }).primaryKey(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  templateId: text('template_id'),
  threshold: integer('threshold').notNull(),
  lastRunAt: integer('last_run_at'),
});

/** One automated message per customer per trigger and period (a birthday a year, a tier once). */
export const triggerSends = sqliteTable(
  'trigger_sends',
  {
    trigger: text('trigger').notNull(),
    customerId: text('customer_id').notNull(),
    period: text('period').notNull(),
    messageId: text('message_id').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.trigger, table.customerId, table.period] })],
);

// ── The online store ─────────────────────────────────────────────────────────────────────────

/** The builder wizard's draft: one row, saved a section at a time (shared/store/draft.ts). */
export const storeDraft = sqliteTable('store_draft', {
  id: integer('id').primaryKey(),
  /** JSON of `storeDraftSchema`. */
  draft: text('draft').notNull(),
  savedAt: integer('saved_at').notNull(),
  /** When the last test order came back through the preview's checkout. */
  testOrderAt: integer('test_order_at'),
});

/** Each time the store was published (the latest row is what shoppers see). */
export const storePublications = sqliteTable('store_publications', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull(),
  url: text('url').notNull(),
  customDomain: text('custom_domain'),
  files: integer('files').notNull(),
  bytes: integer('bytes').notNull(),
  uploaded: integer('uploaded').notNull(),
  publishedAt: integer('published_at').notNull(),
  staffId: text('staff_id'),
});

/**
 * Orders from the online store (and the preview's test orders), as the sync server priced them.
 * `status` follows the `store_order_updates` ledger; `data` is the order row as it arrived.
 */
export const storeOrders = sqliteTable(
  'store_orders',
  {
    id: text('id').primaryKey(),
    number: integer('number').notNull(),
    status: text('status', { enum: ['pending', 'fulfilled', 'cancelled'] })
      .notNull()
      .default('pending'),
    test: integer('test', { mode: 'boolean' }).notNull().default(false),
    customerId: text('customer_id').references(() => customers.id),
    customerName: text('customer_name').notNull(),
    phone: text('phone').notNull(),
    totalKobo: integer('total_kobo').notNull(),
    paymentMethod: text('payment_method').notNull(),
    paymentStatus: text('payment_status').notNull(),
    paymentReference: text('payment_reference'),
    /** JSON of the `store_order` row (shared/sync/protocol.ts). */
    data: text('data').notNull(),
    placedAt: integer('placed_at').notNull(),
    saleId: text('sale_id'),
    reason: text('reason').notNull().default(''),
    updatedAt: integer('updated_at'),
    receivedAt: integer('received_at').notNull(),
  },
  (table) => [
    index('store_orders_status').on(table.status, table.placedAt),
    index('store_orders_placed').on(table.placedAt),
  ],
);

/** The lines of each order: what a pending order holds back from the counter's stock. */
export const storeOrderLines = sqliteTable(
  'store_order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => storeOrders.id),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.lineNo] }),
    index('store_order_lines_product').on(table.productId),
  ],
);

/** What counters did with online orders (fulfilled as a sale, cancelled): a synced ledger. */
export const storeOrderUpdates = sqliteTable(
  'store_order_updates',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    status: text('status', { enum: ['fulfilled', 'cancelled'] }).notNull(),
    saleId: text('sale_id'),
    reason: text('reason').notNull().default(''),
    staffId: text('staff_id'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('store_order_updates_order').on(table.orderId, table.createdAt)],
);

/** Online payments the sync server verified with Paystack or Flutterwave. */
export const storePayments = sqliteTable(
  'store_payments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    provider: text('provider').notNull(),
    reference: text('reference').notNull(),
    status: text('status', { enum: ['paid', 'failed'] }).notNull(),
    amountKobo: integer('amount_kobo').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('store_payments_order').on(table.orderId, table.at)],
);

// ── The segment book (issue 5) ───────────────────────────────────────────────────────────────
// Segments over a million customers read this projection instead of customers joined to their
// stats: on an encrypted file the cost of a pass is the pages it decrypts, and a customer row is
// mostly what no segment reads. Triggers on customers and customer_stats keep it in step
// (migrations/0013); nothing else writes it.

/** The codes the segment book files customers under by state (1–37; 0 is no state, 63 any other). */
export const segmentStateCodes = sqliteTable('segment_state_codes', {
  code: integer('code').primaryKey(),
  state: text('state').notNull().unique(),
});

/**
 * One row per customer in the book (`customer_stats.listed = 1`) with what segment rules and
 * recipient lists read. `pos` orders the book by who the customer can be reached by, then by
 * state: `(reach << 46) | (state code << 40) | sequence`, reach being the bits SMS consent (1),
 * WhatsApp consent (2), email consent (4) and an email address (8). A promotion's recipient list
 * reads only the customers who agreed to its channel, and a state or zone rule only those states.
 * Texts that are almost always the same are kept as NULL: no tags (`[]`), no LGA, no email, a
 * WhatsApp number that is the phone, a display name that is first and last name.
 */
export const segmentBook = sqliteTable(
  'segment_book',
  {
    pos: integer('pos').primaryKey(),
    customerId: text('customer_id').notNull(),
    state: text('state'),
    lgaCity: text('lga_city'),
    carrier: text('carrier'),
    tags: text('tags'),
    birthday: text('birthday'),
    createdAt: integer('created_at').notNull(),
    tier: text('tier').notNull(),
    totalSpentKobo: integer('total_spent_kobo').notNull(),
    purchaseCount: integer('purchase_count').notNull(),
    lastPurchaseAt: integer('last_purchase_at'),
    pointsBalance: integer('points_balance').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    displayName: text('display_name'),
    phone: text('phone').notNull(),
    whatsapp: text('whatsapp'),
    email: text('email'),
  },
  (table) => [
    uniqueIndex('segment_book_customer').on(table.customerId),
    // Members biggest spender first: one order (spend, then position) whether a page walks this
    // index or reads the book and sorts.
    index('segment_book_spend').on(table.totalSpentKobo),
    // Every column a rule reads (consent is in the position): counting reads this alone, and a
    // state or zone rule reads only its states' part of it.
    index('segment_book_rules').on(
      table.state,
      table.lastPurchaseAt,
      table.totalSpentKobo,
      table.createdAt,
      table.purchaseCount,
      table.pointsBalance,
      table.tier,
      table.carrier,
      table.birthday,
      table.tags,
      table.lgaCity,
    ),
  ],
);
