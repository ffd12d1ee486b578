/**
 * The desktop database schema (drizzle). drizzle-kit turns changes here into new files in
 * `migrations/`; a shipped migration is never edited.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
