/**
 * The sync server's PostgreSQL schema (drizzle). drizzle-kit turns changes here into new files in
 * `server/migrations/`; a shipped migration is never edited.
 *
 * Tenancy: every row below a business carries its `business_id`, and every query filters on it.
 * The sync tables are `changes` (the append-only log counters pull, one seq per business),
 * `records` (the current copy of every replica and ledger row, for merges, duplicate checks and
 * server reads) and `applied_mutations` (what makes each pushed mutation apply at most once).
 * Times are epoch milliseconds in `bigint`s, as on the counters.
 *
 * The four sync tables carry no foreign key to `businesses`: only a push (or a provider's webhook,
 * see server/hooks/) writes them, holding that business's row lock, so a per-row referential
 * check on the hottest insert path (thousands of rows a second) would guard nothing. Nor does
 * `changes.origin_device_id` reference `devices`: changes the server makes itself (delivery
 * reports, STOP replies) carry the nil UUID as their origin, which is no counter's.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';

const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const businesses = pgTable('businesses', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /**
   * The last change seq handed out. A push locks this row for its whole transaction, which is
   * what keeps seqs committing in order (see server/sync/push.ts).
   */
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
  createdAt: epochMs('created_at').notNull(),
});

export const branches = pgTable(
  'branches',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    name: text('name').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (table) => [index('branches_business').on(table.businessId)],
);

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    name: text('name').notNull(),
    /** sha256 of the device's token (hex); the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: epochMs('created_at').notNull(),
    lastSeenAt: epochMs('last_seen_at'),
    revokedAt: epochMs('revoked_at'),
  },
  (table) => [index('devices_business').on(table.businessId)],
);

export const pairingCodes = pgTable(
  'pairing_codes',
  {
    /** sha256 of the code (hex): a leaked table cannot be used to pair. */
    codeHash: text('code_hash').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => branches.id),
    createdByDeviceId: uuid('created_by_device_id')
      .notNull()
      .references(() => devices.id),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    usedAt: epochMs('used_at'),
    usedByDeviceId: uuid('used_by_device_id').references(() => devices.id),
  },
  (table) => [index('pairing_codes_business').on(table.businessId)],
);

export const changes = pgTable(
  'changes',
  {
    businessId: uuid('business_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** `upsert`, `append` or `resolve`, as the mutation that made it. */
    op: text('op').notNull(),
    originDeviceId: uuid('origin_device_id').notNull(),
    /** For a replica, the whole merged record after the change; for a ledger, the row. */
    data: jsonb('data').notNull(),
    at: epochMs('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.seq] })],
);

export const records = pgTable(
  'records',
  {
    businessId: uuid('business_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').notNull(),
    /** The change that last wrote this record. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.businessId, table.entity, table.entityId] }),
    // The storefront and the load mix find a customer by phone: the E.164 value of the merged field.
    index('records_customer_phone')
      .on(table.businessId, sql`(${table.data} -> 'fields' -> 'phone' ->> 'value')`)
      .where(sql`${table.entity} = 'customer'`),
  ],
);

export const appliedMutations = pgTable(
  'applied_mutations',
  {
    businessId: uuid('business_id').notNull(),
    mutationId: uuid('mutation_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    /** The change it wrote, or null when it changed nothing (a repeat of what the server had). */
    seq: bigint('seq', { mode: 'number' }),
    /** `applied`, or `conflict` for a replica that merged with a newer server copy. */
    status: text('status').notNull(),
    at: epochMs('at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.mutationId] })],
);

/** One row per sale, kept with the sale's append and resolve, so reports never parse sale JSON. */
export const saleFacts = pgTable(
  'sale_facts',
  {
    businessId: uuid('business_id').notNull(),
    saleId: text('sale_id').notNull(),
    /** The branch of the device that pushed the sale. */
    branchId: uuid('branch_id').notNull(),
    /** The counter that made the sale, as the sale row names it. */
    deviceId: text('device_id').notNull(),
    createdAt: epochMs('created_at').notNull(),
    totalKobo: bigint('total_kobo', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.businessId, table.saleId] }),
    index('sale_facts_business_created').on(table.businessId, table.createdAt),
  ],
);

/**
 * Sales per Lagos day, moved in the same statement that writes `sale_facts` (a resolved sale
 * leaves its old day and joins its new one), so a month's report reads whole days from here
 * and only the part-days at the edges of its range from `sale_facts`.
 */
export const saleDays = pgTable(
  'sale_days',
  {
    businessId: uuid('business_id').notNull(),
    /** Days since 1970-01-01, counted in Lagos time (UTC+1). */
    day: integer('day').notNull(),
    sales: bigint('sales', { mode: 'number' }).notNull(),
    totalKobo: bigint('total_kobo', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.day] })],
);

/**
 * Each business's webhook key: the secret last segment of the URLs its SMS and WhatsApp providers
 * post delivery reports and replies to (server/hooks/). Kept as it is, not hashed like device
 * tokens: every paired counter must be able to show the URLs again (the owner pastes them into
 * three providers' dashboards), and Meta's verification handshake compares the key as given. It
 * lets a caller do no more than report deliveries and opt-outs for that one business.
 */
export const hookKeys = pgTable('hook_keys', {
  businessId: uuid('business_id')
    .primaryKey()
    .references(() => businesses.id),
  key: text('key').notNull().unique(),
  createdAt: epochMs('created_at').notNull(),
});

/**
 * Published storefronts (server/store/), one per business: the live site's manifest (each path's
 * sha256 and content type, the bytes in `store_blobs`), the StorefrontConfig its orders are priced
 * from, and the publishing counter's pull cursor: orders with a change seq above it are not yet
 * counted in the config's stock. Unpublishing keeps the row (`unpublished_at`), so the slug stays
 * the business's (its customers' links cannot be taken over) and order numbers never restart;
 * the custom domain is released.
 */
export const storefronts = pgTable('storefronts', {
  businessId: uuid('business_id')
    .primaryKey()
    .references(() => businesses.id),
  slug: text('slug').notNull().unique(),
  /** Lower case, no port; null for none. */
  customDomain: text('custom_domain').unique(),
  config: jsonb('config').notNull(),
  /** `{ "index.html": { "sha256": "…", "contentType": "text/html; charset=utf-8" }, … }` */
  manifest: jsonb('manifest').notNull(),
  publishCursor: bigint('publish_cursor', { mode: 'number' }).notNull(),
  /** The number the next order gets; taken under the business's row lock. */
  nextOrderNumber: integer('next_order_number').notNull().default(1001),
  publishedAt: epochMs('published_at').notNull(),
  unpublishedAt: epochMs('unpublished_at'),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A storefront's files by content (sha256 hex of `body`), per business, so a republish uploads
 * only what changed and one business cannot learn what another holds. `gzip` is kept when it
 * saves a tenth or more (HTML, CSS, JS, JSON, SVG; never WebP).
 */
export const storeBlobs = pgTable(
  'store_blobs',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    sha256: text('sha256').notNull(),
    body: bytea('body').notNull(),
    gzip: bytea('gzip'),
    size: integer('size').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.sha256] })],
);

/**
 * The secret keys the server takes online payments with, per business and provider (`paystack`,
 * `flutterwave`). Written by a publish, read only to call the provider; never returned by any
 * route and never logged.
 */
export const storePaymentKeys = pgTable(
  'store_payment_keys',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    provider: text('provider').notNull(),
    secretKey: text('secret_key').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.provider] })],
);

/**
 * Each online payment the storefront started (server/store/shop-routes.ts): the reference the
 * provider was given for an order, so a counter's "Check payment" can ask the provider about a
 * shopper who paid and closed the tab before coming back. Written once the provider gave a
 * checkout page; never changed.
 */
export const storePaymentAttempts = pgTable(
  'store_payment_attempts',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    reference: text('reference').notNull(),
    orderId: uuid('order_id').notNull(),
    provider: text('provider').notNull(),
    startedAt: epochMs('started_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.businessId, table.reference] }),
    index('store_payment_attempts_order').on(table.businessId, table.orderId),
  ],
);

/**
 * Secrets the payment providers sign their webhooks with that the server makes itself, per
 * business and provider: Flutterwave's "secret hash", made at the first publish and handed to the
 * paired counters for the owner to paste into Flutterwave's dashboard (Paystack signs with the
 * secret key the server already holds). Kept as given, like `hook_keys`: counters show it again.
 */
export const storeHookSecrets = pgTable(
  'store_hook_secrets',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id),
    provider: text('provider').notNull(),
    secret: text('secret').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.provider] })],
);
