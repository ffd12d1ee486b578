/**
 * The records that merge per field (customers, products, staff, the business profile, shared
 * settings) as sync sees them: each local row read as a replica (every field with its clock
 * stamp, preferences per key, notes as a log), a local edit stamped field by field, and a
 * merged replica written back with its derived columns (search name, national number, carrier,
 * the notes text, the list flags).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from '../../../shared/ids';
import { parseNigerianPhone } from '../../../shared/phone';
import { EMPTY_REPLICA, type NoteEntry, type Replica, type Stamped } from '../../../shared/sync/merge';
import { REPLICA_FIELDS, type ReplicaEntity } from '../../../shared/sync/protocol';

/** Field → stamp; `*` stands for every field without one of its own, `pref:<key>` for preferences. */
export type ClockMap = Record<string, string>;

/** A local row in sync's terms. */
export interface LocalRecord {
  values: Record<string, string | null>;
  preferences: Record<string, string>;
  notes: NoteEntry[];
  clock: ClockMap;
}

/** The settings every counter of a shop shares; the rest (receipt numbering, identity) are per counter. */
export const SHARED_SETTINGS = ['loyaltyRules', 'receiptFooter'] as const;

/** The business profile is one record per shop, whatever its local id. */
export const BUSINESS_ENTITY_ID = 'profile';

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function splitNotes(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

export function notesText(log: NoteEntry[]): string {
  return log
    .filter((note) => note.text !== '')
    .map((note) => note.text)
    .join('\n\n');
}

export function replicaOf(entity: ReplicaEntity, record: LocalRecord): Replica {
  const fields: Record<string, Stamped<string | null>> = {};
  for (const field of REPLICA_FIELDS[entity]) {
    const hlc = record.clock[field] ?? record.clock['*'];
    // A row with no stamp (a placeholder made for a sale that arrived first) claims nothing.
    if (hlc !== undefined) fields[field] = { value: record.values[field] ?? null, hlc };
  }
  const preferences: Record<string, Stamped<string | null>> = {};
  const keys = new Set([
    ...Object.keys(record.preferences),
    ...Object.keys(record.clock)
      .filter((key) => key.startsWith('pref:'))
      .map((key) => key.slice(5)),
  ]);
  for (const key of keys) {
    const hlc = record.clock[`pref:${key}`] ?? record.clock['*'];
    if (hlc !== undefined) preferences[key] = { value: record.preferences[key] ?? null, hlc };
  }
  return { fields, preferences, notes: record.notes };
}

/** The stamps of a replica, the most common field stamp written once as `*`. */
export function clockOf(replica: Replica): ClockMap {
  const counts = new Map<string, number>();
  for (const stamp of Object.values(replica.fields)) counts.set(stamp.hlc, (counts.get(stamp.hlc) ?? 0) + 1);
  let base: string | undefined;
  let most = 0;
  for (const [hlc, count] of counts) {
    if (count > most || (count === most && base !== undefined && hlc > base)) {
      base = hlc;
      most = count;
    }
  }
  const clock: ClockMap = base === undefined ? {} : { '*': base };
  for (const [field, stamp] of Object.entries(replica.fields)) {
    if (stamp.hlc !== base) clock[field] = stamp.hlc;
  }
  // Preferences always carry their own stamp: a removed one has nothing else to keep it.
  for (const [key, stamp] of Object.entries(replica.preferences)) clock[`pref:${key}`] = stamp.hlc;
  return clock;
}

function valuesOf(replica: Replica): Record<string, string | null> {
  return Object.fromEntries(Object.entries(replica.fields).map(([field, stamp]) => [field, stamp.value]));
}

function livePreferences(replica: Replica): Record<string, string> {
  const live: Record<string, string> = {};
  for (const [key, stamp] of Object.entries(replica.preferences)) {
    if (stamp.value !== null) live[key] = stamp.value;
  }
  return live;
}

const text = (value: string | null | undefined, fallback = ''): string => value ?? fallback;
const int = (value: string | null | undefined, fallback = 0): number => {
  const parsed = value === null || value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(parsed) ? parsed : fallback;
};
const maybeInt = (value: string | null | undefined): number | null =>
  value === null || value === undefined || value === '' ? null : int(value);
const str = (value: number | null): string | null => (value === null ? null : String(value));

/** What a merged write changed that other parts of the counter must follow. */
export interface ReplicaWrite {
  created: boolean;
  /** A customer merged into another on some counter: its sales move with it. */
  mergedInto?: { from: string; into: string };
  listed?: number;
  phoneChanged?: boolean;
  codesChanged?: boolean;
}

interface ReplicaTable {
  read(id: string): LocalRecord | null;
  write(id: string, replica: Replica, existing: LocalRecord | null, at: number): ReplicaWrite;
  /** After a local edit: the new stamps (and, for customers, the notes log and its text). */
  saveStamps(id: string, clock: ClockMap, notes: NoteEntry[] | null): void;
}

export class ReplicaTables {
  private readonly tables: Record<ReplicaEntity, ReplicaTable>;

  constructor(private readonly sql: Database.Database) {
    this.tables = {
      customer: this.customers(),
      product: this.products(),
      staff: this.staff(),
      business: this.business(),
      setting: this.settings(),
    };
  }

  read(entity: ReplicaEntity, id: string): LocalRecord | null {
    return this.tables[entity].read(id);
  }

  replica(entity: ReplicaEntity, id: string): Replica | null {
    const record = this.read(entity, id);
    return record === null ? null : replicaOf(entity, record);
  }

  write(
    entity: ReplicaEntity,
    id: string,
    replica: Replica,
    existing: LocalRecord | null,
    at: number,
  ): ReplicaWrite {
    return this.tables[entity].write(id, replica, existing, at);
  }

  /**
   * Stamps what a local edit changed: every field whose value differs from `before` (all of
   * them for a new record), each changed or removed preference, and the notes, whose text is
   * turned into log entries (a new paragraph is a new note, a deleted one a removal).
   */
  stampLocalEdit(entity: ReplicaEntity, id: string, before: LocalRecord | null, stamp: string): void {
    const table = this.tables[entity];
    const after = table.read(id);
    if (after === null) throw new Error(`${entity} ${id} is not there to stamp`);
    let clock: ClockMap;
    if (before === null) {
      clock = { '*': stamp };
      for (const key of Object.keys(after.preferences)) clock[`pref:${key}`] = stamp;
    } else {
      clock = { ...after.clock };
      for (const field of REPLICA_FIELDS[entity]) {
        if (
          (before.values[field] ?? null) !== (after.values[field] ?? null) ||
          (clock[field] === undefined && clock['*'] === undefined)
        ) {
          clock[field] = stamp;
        }
      }
      for (const key of new Set([...Object.keys(before.preferences), ...Object.keys(after.preferences)])) {
        if (before.preferences[key] !== after.preferences[key]) clock[`pref:${key}`] = stamp;
      }
    }
    let notes: NoteEntry[] | null = null;
    if (entity === 'customer') {
      notes = notesAfterEdit(after.notes, after.values.notes ?? '', stamp);
    }
    table.saveStamps(id, clock, notes);
  }

  private customers(): ReplicaTable {
    const select = this.sql.prepare<[string], Record<string, string | number | null>>(
      `SELECT first_name, last_name, display_name, phone, whatsapp, email, address, state, lga_city, kind, tags,
         birthday, archived_at, merged_into_id, created_at, preferences, notes, notes_log, sync_clock
       FROM customers WHERE id = ?`,
    );
    const upsert = this.sql.prepare(
      `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
         whatsapp, email, address, state, lga_city, kind, tags, notes, notes_log, preferences, birthday, archived_at,
         merged_into_id, sync_clock, created_at, updated_at)
       VALUES (@id, @firstName, @lastName, @displayName, @searchName, @phone, @phoneNational, @carrier, @whatsapp,
         @email, @address, @state, @lgaCity, @kind, @tags, @notes, @notesLog, @preferences, @birthday, @archivedAt,
         @mergedIntoId, @syncClock, @createdAt, @at)
       ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         display_name = excluded.display_name, search_name = excluded.search_name, phone = excluded.phone,
         phone_national = excluded.phone_national, carrier = excluded.carrier, whatsapp = excluded.whatsapp,
         email = excluded.email, address = excluded.address, state = excluded.state, lga_city = excluded.lga_city,
         kind = excluded.kind, tags = excluded.tags, notes = excluded.notes, notes_log = excluded.notes_log,
         preferences = excluded.preferences, birthday = excluded.birthday, archived_at = excluded.archived_at,
         merged_into_id = excluded.merged_into_id, sync_clock = excluded.sync_clock, created_at = excluded.created_at,
         updated_at = excluded.updated_at`,
    );
    const saveStamps = this.sql.prepare(
      'UPDATE customers SET sync_clock = ?, notes_log = coalesce(?, notes_log), notes = coalesce(?, notes) WHERE id = ?',
    );
    return {
      read: (id) => {
        const row = select.get(id);
        if (row === undefined) return null;
        return {
          values: {
            firstName: row.first_name as string,
            lastName: row.last_name as string,
            displayName: row.display_name as string,
            phone: row.phone as string,
            whatsapp: row.whatsapp as string | null,
            email: row.email as string,
            address: row.address as string,
            state: row.state as string | null,
            lgaCity: row.lga_city as string,
            kind: row.kind as string,
            tags: row.tags as string,
            birthday: row.birthday as string | null,
            archivedAt: str(row.archived_at as number | null),
            mergedIntoId: row.merged_into_id as string | null,
            createdAt: String(row.created_at),
            // Not a replica field: the text the notes log is made from after a local edit.
            notes: row.notes as string,
          },
          preferences: parseJson<Record<string, string>>(row.preferences as string, {}),
          notes: parseJson<NoteEntry[]>(row.notes_log as string, []),
          clock: parseJson<ClockMap>(row.sync_clock as string, {}),
        };
      },
      write: (id, replica, existing, at) => {
        const v = valuesOf(replica);
        const firstName = text(v.firstName);
        const lastName = text(v.lastName);
        const displayName =
          text(v.displayName) || `${firstName} ${lastName}`.trim() || 'Customer from another counter';
        const phone = text(v.phone);
        const parsed = parseNigerianPhone(phone);
        const tags = parseJson<unknown>(v.tags, []);
        const mergedIntoId = v.mergedIntoId ?? null;
        const archivedAt = maybeInt(v.archivedAt);
        upsert.run({
          id,
          firstName,
          lastName,
          displayName,
          searchName: displayName.toLowerCase(),
          phone,
          phoneNational: parsed.ok ? parsed.national : phone.replace(/\D/g, ''),
          carrier: parsed.ok ? parsed.carrier : null,
          whatsapp: v.whatsapp ?? null,
          email: text(v.email),
          address: text(v.address),
          state: v.state ?? null,
          lgaCity: text(v.lgaCity),
          kind: v.kind === 'business' ? 'business' : 'individual',
          tags: Array.isArray(tags) ? JSON.stringify(tags) : '[]',
          notes: notesText(replica.notes),
          notesLog: JSON.stringify(replica.notes),
          preferences: JSON.stringify(livePreferences(replica)),
          birthday: v.birthday ?? null,
          archivedAt,
          mergedIntoId,
          syncClock: JSON.stringify(clockOf(replica)),
          createdAt: int(v.createdAt, at),
          at,
        });
        const before = existing?.values;
        return {
          created: existing === null,
          ...(mergedIntoId !== null && (before?.mergedIntoId ?? null) === null
            ? { mergedInto: { from: id, into: mergedIntoId } }
            : {}),
          listed: mergedIntoId !== null ? -1 : archivedAt !== null ? 0 : 1,
          phoneChanged: before?.phone !== phone,
        };
      },
      saveStamps: (id, clock, notes) => {
        saveStamps.run(
          JSON.stringify(clock),
          notes === null ? null : JSON.stringify(notes),
          notes === null ? null : notesText(notes),
          id,
        );
      },
    };
  }

  private products(): ReplicaTable {
    const select = this.sql.prepare<[string], Record<string, string | number | null>>(
      `SELECT name, sku, barcode, price_kobo, cost_kobo, category, low_stock_threshold, image, archived_at, created_at,
         sync_clock FROM products WHERE id = ?`,
    );
    const upsert = this.sql.prepare(
      `INSERT INTO products (id, name, search_name, sku, barcode, price_kobo, cost_kobo, category, low_stock_threshold,
         image, archived_at, sync_clock, created_at, updated_at)
       VALUES (@id, @name, @searchName, @sku, @barcode, @priceKobo, @costKobo, @category, @lowStockThreshold, @image,
         @archivedAt, @syncClock, @createdAt, @at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, search_name = excluded.search_name, sku = excluded.sku,
         barcode = excluded.barcode, price_kobo = excluded.price_kobo, cost_kobo = excluded.cost_kobo,
         category = excluded.category, low_stock_threshold = excluded.low_stock_threshold, image = excluded.image,
         archived_at = excluded.archived_at, sync_clock = excluded.sync_clock, created_at = excluded.created_at,
         updated_at = excluded.updated_at`,
    );
    const stock = this.sql.prepare(
      'INSERT OR IGNORE INTO product_stock (product_id, quantity) VALUES (?, 0)',
    );
    const saveStamps = this.sql.prepare('UPDATE products SET sync_clock = ? WHERE id = ?');
    return {
      read: (id) => {
        const row = select.get(id);
        if (row === undefined) return null;
        return {
          values: {
            name: row.name as string,
            sku: row.sku as string | null,
            barcode: row.barcode as string | null,
            priceKobo: String(row.price_kobo),
            costKobo: String(row.cost_kobo),
            category: row.category as string,
            lowStockThreshold: String(row.low_stock_threshold),
            image: row.image as string | null,
            archivedAt: str(row.archived_at as number | null),
            createdAt: String(row.created_at),
          },
          preferences: {},
          notes: [],
          clock: parseJson<ClockMap>(row.sync_clock as string, {}),
        };
      },
      write: (id, replica, existing, at) => {
        const v = valuesOf(replica);
        const name = text(v.name) || 'Product from another counter';
        const sku = v.sku === '' ? null : (v.sku ?? null);
        const barcode = v.barcode === '' ? null : (v.barcode ?? null);
        upsert.run({
          id,
          name,
          searchName: name.toLowerCase(),
          sku,
          barcode,
          priceKobo: Math.max(0, int(v.priceKobo)),
          costKobo: Math.max(0, int(v.costKobo)),
          category: text(v.category),
          lowStockThreshold: Math.max(0, int(v.lowStockThreshold)),
          image: v.image ?? null,
          archivedAt: maybeInt(v.archivedAt),
          syncClock: JSON.stringify(clockOf(replica)),
          createdAt: int(v.createdAt, at),
          at,
        });
        stock.run(id);
        return {
          created: existing === null,
          codesChanged: existing?.values.sku !== sku || existing.values.barcode !== barcode,
        };
      },
      saveStamps: (id, clock) => {
        saveStamps.run(JSON.stringify(clock), id);
      },
    };
  }

  private staff(): ReplicaTable {
    const select = this.sql.prepare<[string], Record<string, string | number | null>>(
      'SELECT name, role, pin_hash, active, sync_clock FROM staff WHERE id = ?',
    );
    const upsert = this.sql.prepare(
      `INSERT INTO staff (id, name, role, pin_hash, active, sync_clock, created_at, updated_at)
       VALUES (@id, @name, @role, @pinHash, @active, @syncClock, @at, @at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
         active = excluded.active, sync_clock = excluded.sync_clock, updated_at = excluded.updated_at`,
    );
    const saveStamps = this.sql.prepare('UPDATE staff SET sync_clock = ? WHERE id = ?');
    return {
      read: (id) => {
        const row = select.get(id);
        if (row === undefined) return null;
        return {
          values: {
            name: row.name as string,
            role: row.role as string,
            pinHash: row.pin_hash as string,
            active: row.active === 1 ? '1' : '0',
          },
          preferences: {},
          notes: [],
          clock: parseJson<ClockMap>(row.sync_clock as string, {}),
        };
      },
      write: (id, replica, existing, at) => {
        const v = valuesOf(replica);
        const role = v.role === 'owner' || v.role === 'manager' ? v.role : 'cashier';
        upsert.run({
          id,
          name: text(v.name) || 'Staff from another counter',
          role,
          // No usable hash means no PIN signs in as this person until the real record arrives.
          pinHash: text(v.pinHash, 'none'),
          active: v.active === '1' ? 1 : 0,
          syncClock: JSON.stringify(clockOf(replica)),
          at,
        });
        return { created: existing === null };
      },
      saveStamps: (id, clock) => {
        saveStamps.run(JSON.stringify(clock), id);
      },
    };
  }

  private business(): ReplicaTable {
    const select = this.sql.prepare<[], Record<string, string | number | null>>(
      'SELECT id, name, state, phone, address, email, sync_clock FROM business_profile LIMIT 1',
    );
    const insert = this.sql.prepare(
      `INSERT INTO business_profile (id, name, state, phone, address, email, sync_clock, created_at, updated_at)
       VALUES (@id, @name, @state, @phone, @address, @email, @syncClock, @at, @at)`,
    );
    const update = this.sql.prepare(
      `UPDATE business_profile SET name = @name, state = @state, phone = @phone, address = @address, email = @email,
         sync_clock = @syncClock, updated_at = @at`,
    );
    const saveStamps = this.sql.prepare('UPDATE business_profile SET sync_clock = ?');
    return {
      read: () => {
        const row = select.get();
        if (row === undefined) return null;
        return {
          values: {
            name: row.name as string,
            state: row.state as string,
            phone: row.phone as string,
            address: row.address as string,
            email: row.email as string,
          },
          preferences: {},
          notes: [],
          clock: parseJson<ClockMap>(row.sync_clock as string, {}),
        };
      },
      write: (_id, replica, existing, at) => {
        const v = valuesOf(replica);
        const values = {
          name: text(v.name, 'My shop'),
          state: text(v.state, 'Lagos'),
          phone: text(v.phone),
          address: text(v.address),
          email: text(v.email),
          syncClock: JSON.stringify(clockOf(replica)),
          at,
        };
        if (existing === null) insert.run({ ...values, id: uuidv7(at) });
        else update.run(values);
        return { created: existing === null };
      },
      saveStamps: (_id, clock) => {
        saveStamps.run(JSON.stringify(clock));
      },
    };
  }

  private settings(): ReplicaTable {
    const select = this.sql.prepare<[string], { value: string; sync_clock: string | null }>(
      'SELECT value, sync_clock FROM settings WHERE key = ?',
    );
    const upsert = this.sql.prepare(
      `INSERT INTO settings (key, value, updated_at, sync_clock) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
         sync_clock = excluded.sync_clock`,
    );
    const saveStamps = this.sql.prepare('UPDATE settings SET sync_clock = ? WHERE key = ?');
    return {
      read: (key) => {
        const row = select.get(key);
        if (row === undefined) return null;
        const clock: ClockMap = row.sync_clock === null ? {} : { '*': row.sync_clock };
        return { values: { value: row.value }, preferences: {}, notes: [], clock };
      },
      write: (key, replica, existing, at) => {
        const stamp = replica.fields.value;
        if (stamp?.value !== null && stamp !== undefined) upsert.run(key, stamp.value, at, stamp.hlc);
        return { created: existing === null };
      },
      saveStamps: (key, clock) => {
        saveStamps.run(clock['*'] ?? clock.value ?? null, key);
      },
    };
  }
}

/**
 * The notes log after the notes text was edited at this counter: entries whose text is still
 * there stay, the others are removed (kept as an empty entry so the removal wins over older
 * copies), and each new paragraph is a new note.
 */
export function notesAfterEdit(log: NoteEntry[], edited: string, stamp: string): NoteEntry[] {
  const remaining = splitNotes(edited);
  const result: NoteEntry[] = [];
  for (const entry of log) {
    if (entry.text === '') {
      result.push(entry);
      continue;
    }
    const index = remaining.indexOf(entry.text);
    if (index >= 0) {
      remaining.splice(index, 1);
      result.push(entry);
    } else {
      result.push({ id: entry.id, text: '', hlc: stamp });
    }
  }
  for (const paragraph of remaining) result.push({ id: uuidv7(), text: paragraph, hlc: stamp });
  return result.sort((a, b) => (a.hlc === b.hlc ? (a.id < b.id ? -1 : 1) : a.hlc < b.hlc ? -1 : 1));
}

export const emptyReplica = (): Replica => ({ ...EMPTY_REPLICA, fields: {}, preferences: {}, notes: [] });
