/**
 * The customer book: create, edit, archive, merge, consent, and finding anyone fast. Phone
 * numbers are stored in E.164 with their national form and carrier; a number belongs to one
 * unmerged customer. Search uses a trigram FTS5 index (any fragment of a number, a name, a
 * tag) and plain indexes for one- or two-character prefixes.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type {
  ConsentEntry,
  ConsentState,
  ContactChannel,
  Customer,
  customerChannels,
  customerInputSchema,
  CustomerPurchase,
  CustomerSummary,
  Page,
  PointsEntry,
  Tier,
} from '../../../shared/contract';
import { CONTACT_CHANNELS } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { formatNationalPhone, parseNigerianPhone, type Carrier } from '../../../shared/phone';
import type { NigerianState } from '../../../shared/states';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { LoyaltyService } from '../loyalty/loyalty-service';
import type { SyncRecorder } from '../sync/sync-recorder';
import type { CustomerStats } from './customer-stats';

export type CustomerInput = z.output<typeof customerInputSchema>;
type UpdateInput = z.output<(typeof customerChannels)['customers:update']['input']>;
type SearchInput = z.output<(typeof customerChannels)['customers:search']['input']>;
type ListInput = z.output<(typeof customerChannels)['customers:list']['input']>;
type ConsentInput = z.output<(typeof customerChannels)['customers:setConsent']['input']>;

export interface CustomerRow {
  rowid: number;
  id: string;
  first_name: string;
  last_name: string;
  display_name: string;
  phone: string;
  phone_national: string;
  carrier: string | null;
  whatsapp: string | null;
  email: string;
  address: string;
  state: string | null;
  lga_city: string;
  kind: 'individual' | 'business';
  tags: string;
  notes: string;
  preferences: string;
  birthday: string | null;
  archived_at: number | null;
  merged_into_id: string | null;
  created_at: number;
  updated_at: number;
  total_spent_kobo: number | null;
  purchase_count: number | null;
  last_purchase_at: number | null;
  points_balance: number | null;
  tier: Tier | null;
}

const SUMMARY_COLUMNS = `c.rowid AS rowid, c.*, s.total_spent_kobo, s.purchase_count, s.last_purchase_at,
  s.points_balance, s.tier`;
const FROM = 'customers c LEFT JOIN customer_stats s ON s.customer_id = c.id';

const STATS_SORT_COLUMNS: Record<Exclude<ListInput['sort'], 'name'>, string> = {
  spend: 'total_spent_kobo',
  lastPurchase: 'last_purchase_at',
  points: 'points_balance',
};

const SORT_COLUMNS: Record<ListInput['sort'], string> = {
  name: 'c.search_name',
  spend: 's.total_spent_kobo',
  lastPurchase: 's.last_purchase_at',
  points: 's.points_balance',
};

/** Digits of a phone fragment as they appear in a national number ("+234 803 1" → "08031"). */
export function phoneFragmentDigits(query: string): string | null {
  if (!/^[\d\s+\-().]+$/.test(query)) return null;
  const digits = query.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (digits.startsWith('234') && digits.length > 3) return `0${digits.slice(3)}`;
  if (digits.startsWith('00234')) return `0${digits.slice(5)}`;
  return digits;
}

function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

type ParsedPhone = { e164: string; national: string; carrier: Carrier | null };

function parsePhone(value: string, path: string): ParsedPhone {
  const parsed = parseNigerianPhone(value);
  if (!parsed.ok)
    throw new KasuwaError('invalid_input', parsed.error, [{ path: [path], message: parsed.error }]);
  return parsed;
}

function summary(row: CustomerRow): CustomerSummary {
  return {
    id: row.id,
    displayName: row.display_name,
    phone: row.phone,
    phoneNational: row.phone_national,
    carrier: row.carrier as Carrier | null,
    tags: JSON.parse(row.tags) as string[],
    state: row.state as NigerianState | null,
    archived: row.archived_at !== null,
    totalSpentKobo: row.total_spent_kobo ?? 0,
    purchaseCount: row.purchase_count ?? 0,
    lastPurchaseAt: row.last_purchase_at,
    pointsBalance: row.points_balance ?? 0,
    tier: row.tier ?? 'bronze',
  };
}

export class CustomerService {
  private readonly db: ShopDatabase;
  private readonly sql: Database.Database;
  private readonly byId: Database.Statement<[string], CustomerRow>;
  private readonly byPhone: Database.Statement<[string], CustomerRow>;
  private readonly insertConsent: Database.Statement;

  constructor(
    private readonly deps: {
      db: ShopDatabase;
      audit: AuditLog;
      sync: SyncRecorder;
      stats: CustomerStats;
      loyalty: LoyaltyService;
      now: () => number;
    },
  ) {
    this.db = deps.db;
    this.sql = deps.db.sqlite;
    this.byId = this.sql.prepare(`SELECT ${SUMMARY_COLUMNS} FROM ${FROM} WHERE c.id = ?`);
    this.byPhone = this.sql.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM ${FROM} WHERE c.phone = ? AND c.merged_into_id IS NULL`,
    );
    this.insertConsent = this.sql.prepare(
      `INSERT INTO customer_consents (id, customer_id, channel, granted, source, wording, staff_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  search(input: SearchInput): CustomerSummary[] {
    const query = input.query.trim();
    const archived = input.includeArchived ? '' : 'AND c.archived_at IS NULL';
    if (query.length === 0) {
      return (
        this.sql
          .prepare(
            `SELECT ${SUMMARY_COLUMNS} FROM ${FROM} WHERE c.merged_into_id IS NULL ${archived}
             ORDER BY c.updated_at DESC LIMIT ?`,
          )
          .all(input.limit) as CustomerRow[]
      ).map(summary);
    }
    const digits = phoneFragmentDigits(query);
    let rows: CustomerRow[];
    if (digits !== null) {
      // A number typed from its start ("0803 12…") is a range on the national-number index; a
      // fragment from the middle ("555 12") needs the trigram index.
      const fromStart =
        digits.startsWith('0') || digits.length < 3 ? this.phonePrefix(digits, archived, input.limit) : [];
      rows =
        fromStart.length > 0 || digits.length < 3
          ? fromStart
          : this.phoneFragment(digits, archived, input.limit);
    } else {
      const lower = query.toLowerCase();
      // A name prefix first (the index, in name order), then anything that contains the text.
      rows = this.sql
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM ${FROM}
           WHERE c.search_name >= ? AND c.search_name < ? AND c.merged_into_id IS NULL ${archived}
           ORDER BY c.search_name LIMIT ?`,
        )
        .all(lower, `${lower}\uffff`, input.limit) as CustomerRow[];
      if (rows.length < input.limit && lower.length >= 3) {
        const seen = new Set(rows.map((row) => row.id));
        const more = this.sql
          .prepare(
            `SELECT ${SUMMARY_COLUMNS} FROM customers_fts f JOIN customers c ON c.rowid = f.rowid
             LEFT JOIN customer_stats s ON s.customer_id = c.id
             WHERE customers_fts MATCH ? AND c.merged_into_id IS NULL ${archived} LIMIT ?`,
          )
          .all(`{name tags} : ${ftsPhrase(lower)}`, input.limit) as CustomerRow[];
        for (const row of more) {
          if (rows.length >= input.limit) break;
          if (!seen.has(row.id)) rows.push(row);
        }
      }
    }
    return rows.map(summary);
  }

  private phonePrefix(digits: string, archived: string, limit: number): CustomerRow[] {
    return this.sql
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM ${FROM}
         WHERE c.phone_national >= ? AND c.phone_national < ? AND c.merged_into_id IS NULL ${archived} LIMIT ?`,
      )
      .all(digits, `${digits}\uffff`, limit) as CustomerRow[];
  }

  private phoneFragment(digits: string, archived: string, limit: number): CustomerRow[] {
    return this.sql
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM customers_fts f JOIN customers c ON c.rowid = f.rowid
         LEFT JOIN customer_stats s ON s.customer_id = c.id
         WHERE customers_fts MATCH ? AND c.merged_into_id IS NULL ${archived} LIMIT ?`,
      )
      .all(`phone : ${ftsPhrase(digits)}`, limit) as CustomerRow[];
  }

  /**
   * A page of the book in one order. The usual case (no tag, archived hidden) pages through an
   * index alone, so the 900,000th row costs about what the first does; the rest scan.
   */
  list(input: ListInput): Page<CustomerSummary> {
    const direction = input.direction === 'desc' ? 'DESC' : 'ASC';
    const tagged = input.tag !== undefined && input.tag !== '';
    if (!tagged && !input.includeArchived) {
      const total = (
        this.sql.prepare('SELECT count(*) AS n FROM customer_stats WHERE listed = 1').get() as { n: number }
      ).n;
      const page =
        input.sort === 'name'
          ? `c.rowid IN (SELECT rowid FROM customers WHERE merged_into_id IS NULL AND archived_at IS NULL
               ORDER BY search_name ${direction} LIMIT ? OFFSET ?)`
          : `s.rowid IN (SELECT rowid FROM customer_stats WHERE listed = 1
               ORDER BY ${STATS_SORT_COLUMNS[input.sort]} ${direction} LIMIT ? OFFSET ?)`;
      const rows = this.sql
        .prepare(
          // Driven from the table the page came from, so the join visits only the page's rows.
          `SELECT ${SUMMARY_COLUMNS} FROM ${input.sort === 'name' ? FROM : 'customer_stats s JOIN customers c ON c.id = s.customer_id'}
           WHERE ${page} ORDER BY ${SORT_COLUMNS[input.sort]} ${direction}`,
        )
        .all(input.limit, input.offset) as CustomerRow[];
      return { total, rows: rows.map(summary) };
    }
    const where = ['c.merged_into_id IS NULL'];
    const params: (string | number)[] = [];
    if (!input.includeArchived) where.push('c.archived_at IS NULL');
    if (tagged) {
      where.push('EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)');
      params.push(input.tag ?? '');
    }
    const clause = where.join(' AND ');
    const total = (
      this.sql.prepare(`SELECT count(*) AS n FROM customers c WHERE ${clause}`).get(...params) as {
        n: number;
      }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM ${FROM} WHERE ${clause}
         ORDER BY ${SORT_COLUMNS[input.sort]} ${direction}, c.id ${direction} LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as CustomerRow[];
    return { total, rows: rows.map(summary) };
  }

  get(id: string): Customer {
    const row = this.byId.get(id);
    if (row === undefined) throw new KasuwaError('not_found', 'That customer is not in the book.');
    return this.full(row);
  }

  /** The customer who has this phone number (any written form), if any. */
  findByPhone(phone: string): CustomerSummary | null {
    const parsed = parseNigerianPhone(phone);
    if (!parsed.ok) return null;
    const row = this.byPhone.get(parsed.e164);
    return row === undefined ? null : summary(row);
  }

  /**
   * `id` is for a customer several counters may each make from the same fact (an online order):
   * made from what identifies them, so the copies are one record when they sync.
   */
  create(input: CustomerInput, staffId: string | null, id: string = uuidv7(this.deps.now())): Customer {
    const phone = parsePhone(input.phone, 'phone');
    const whatsapp = input.whatsapp === '' ? phone : parsePhone(input.whatsapp, 'whatsapp');
    this.sql
      .transaction(() => {
        this.refuseDuplicate(phone.e164, null);
        const at = this.deps.now();
        this.sql
          .prepare(
            `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
               whatsapp, email, address, state, lga_city, kind, tags, notes, preferences, birthday,
               created_by_staff_id, created_at, updated_at)
             VALUES (@id, @firstName, @lastName, @displayName, @searchName, @phone, @phoneNational, @carrier,
               @whatsapp, @email, @address, @state, @lgaCity, @kind, @tags, @notes, @preferences, @birthday,
               @staffId, @at, @at)`,
          )
          .run({ ...this.columns(input, phone, whatsapp), id, staffId, at });
        this.deps.stats.get(id);
        this.deps.sync.replicaChanged('customer', id, null);
        for (const channel of CONTACT_CHANNELS) {
          if (input.consent[channel]) {
            const consentId = uuidv7(at);
            this.insertConsent.run(
              consentId,
              id,
              channel,
              1,
              input.consentSource,
              input.consentWording,
              staffId,
              at,
            );
            this.deps.sync.ledgerAdded('consent', consentId);
          }
        }
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'customer.create',
          entity: 'customer',
          entityId: id,
        });
      })
      .immediate();
    return this.get(id);
  }

  update(input: UpdateInput, staffId: string | null): Customer {
    const phone = parsePhone(input.phone, 'phone');
    const whatsapp = input.whatsapp === '' ? phone : parsePhone(input.whatsapp, 'whatsapp');
    this.sql
      .transaction(() => {
        const current = this.get(input.id);
        if (current.mergedIntoId !== null) {
          throw new KasuwaError(
            'conflict',
            `${current.displayName} was merged into another customer; edit that one.`,
          );
        }
        this.refuseDuplicate(phone.e164, input.id);
        const before = this.deps.sync.before('customer', input.id);
        const at = this.deps.now();
        if (current.phone !== phone.e164) {
          this.sql
            .prepare(
              `INSERT INTO customer_phone_changes (id, customer_id, old_phone, new_phone, staff_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(uuidv7(at), input.id, current.phone, phone.e164, staffId, at);
        }
        this.sql
          .prepare(
            `UPDATE customers SET first_name = @firstName, last_name = @lastName, display_name = @displayName,
               search_name = @searchName, phone = @phone, phone_national = @phoneNational, carrier = @carrier,
               whatsapp = @whatsapp, email = @email, address = @address, state = @state, lga_city = @lgaCity,
               kind = @kind, tags = @tags, notes = @notes, preferences = @preferences, birthday = @birthday,
               updated_at = @at
             WHERE id = @id`,
          )
          .run({ ...this.columns(input, phone, whatsapp), id: input.id, at });
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'customer.update',
          entity: 'customer',
          entityId: input.id,
        });
        this.deps.sync.replicaChanged('customer', input.id, before);
      })
      .immediate();
    return this.get(input.id);
  }

  archive(id: string, archived: boolean, staffId: string | null): Customer {
    this.sql
      .transaction(() => {
        this.get(id);
        const before = this.deps.sync.before('customer', id);
        this.sql
          .prepare('UPDATE customers SET archived_at = ?, updated_at = ? WHERE id = ?')
          .run(archived ? this.deps.now() : null, this.deps.now(), id);
        this.deps.stats.get(id);
        this.sql
          .prepare('UPDATE customer_stats SET listed = ? WHERE customer_id = ?')
          .run(archived ? 0 : 1, id);
        this.deps.audit.append({
          actorStaffId: staffId,
          action: archived ? 'customer.archive' : 'customer.unarchive',
          entity: 'customer',
          entityId: id,
        });
        this.deps.sync.replicaChanged('customer', id, before);
      })
      .immediate();
    return this.get(id);
  }

  /**
   * Folds `mergeId` into `keepId`: its sales, points and consent move to the kept customer,
   * tags are joined, notes appended, preferences merged (the kept customer's win), and empty
   * fields filled. The merged customer stays (archived, pointing at the kept one) for history.
   */
  merge(keepId: string, mergeId: string, staffId: string | null): Customer {
    this.sql
      .transaction(() => {
        const keep = this.get(keepId);
        const gone = this.get(mergeId);
        if (keep.mergedIntoId !== null || gone.mergedIntoId !== null) {
          throw new KasuwaError('conflict', 'One of these customers was already merged into someone else.');
        }
        const at = this.deps.now();
        const keepBefore = this.deps.sync.before('customer', keepId);
        const goneBefore = this.deps.sync.before('customer', mergeId);
        this.sql.prepare('UPDATE sales SET customer_id = ? WHERE customer_id = ?').run(keepId, mergeId);
        const balance = this.deps.stats.get(mergeId).pointsBalance;
        const movedPoints: string[] = [];
        const movedConsents: string[] = [];
        if (balance !== 0) {
          const insertPoints = this.sql.prepare(
            `INSERT INTO points_ledger (id, customer_id, delta, kind, note, created_at) VALUES (?, ?, ?, 'merge', ?, ?)`,
          );
          const out = uuidv7(at);
          const into = uuidv7(at);
          insertPoints.run(out, mergeId, -balance, `Moved to ${keep.displayName}`, at);
          insertPoints.run(into, keepId, balance, `From ${gone.displayName}`, at);
          movedPoints.push(out, into);
        }
        const keptConsent = new Map(keep.consents.map((c) => [c.channel, c]));
        for (const consent of gone.consents) {
          const kept = keptConsent.get(consent.channel);
          if (kept === undefined || kept.at < consent.at) {
            const consentId = uuidv7(at);
            movedConsents.push(consentId);
            this.insertConsent.run(
              consentId,
              keepId,
              consent.channel,
              consent.granted ? 1 : 0,
              'merge',
              consent.wording,
              staffId,
              at,
            );
          }
        }
        const tags = [...new Set([...keep.tags, ...gone.tags])];
        const notes = [keep.notes, gone.notes].filter((n) => n.trim() !== '').join('\n\n');
        const preferences = { ...gone.preferences, ...keep.preferences };
        const fill = <T>(mine: T, theirs: T, empty: T) => (mine === empty ? theirs : mine);
        this.sql
          .prepare(
            `UPDATE customers SET tags = ?, notes = ?, preferences = ?, email = ?, address = ?, state = ?, lga_city = ?,
               birthday = ?, updated_at = ? WHERE id = ?`,
          )
          .run(
            JSON.stringify(tags),
            notes,
            JSON.stringify(preferences),
            fill(keep.email, gone.email, ''),
            fill(keep.address, gone.address, ''),
            fill(keep.state, gone.state, null),
            fill(keep.lgaCity, gone.lgaCity, ''),
            fill(keep.birthday, gone.birthday, null),
            at,
            keepId,
          );
        this.sql
          .prepare('UPDATE customers SET merged_into_id = ?, archived_at = ?, updated_at = ? WHERE id = ?')
          .run(keepId, at, at, mergeId);
        this.sql.prepare('UPDATE customer_stats SET listed = -1 WHERE customer_id = ?').run(mergeId);
        const rules = this.deps.loyalty.rules();
        this.deps.stats.recompute(keepId, rules);
        this.deps.stats.recompute(mergeId, rules);
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'customer.merge',
          entity: 'customer',
          entityId: keepId,
          details: { merged: mergeId, pointsMoved: balance },
        });
        // The kept customer's new fields, then the merged one pointing at it, then the moved facts.
        this.deps.sync.replicaChanged('customer', keepId, keepBefore);
        this.deps.sync.replicaChanged('customer', mergeId, goneBefore);
        for (const id of movedPoints) this.deps.sync.ledgerAdded('points', id);
        for (const id of movedConsents) this.deps.sync.ledgerAdded('consent', id);
      })
      .immediate();
    return this.get(keepId);
  }

  setConsent(input: ConsentInput, staffId: string | null): Customer {
    this.sql
      .transaction(() => {
        this.get(input.customerId);
        const at = this.deps.now();
        const consentId = uuidv7(at);
        this.insertConsent.run(
          consentId,
          input.customerId,
          input.channel,
          input.granted ? 1 : 0,
          input.source,
          input.wording,
          staffId,
          at,
        );
        this.deps.audit.append({
          actorStaffId: staffId,
          action: input.granted ? 'consent.grant' : 'consent.withdraw',
          entity: 'customer',
          entityId: input.customerId,
          details: { channel: input.channel, source: input.source },
        });
        this.deps.sync.ledgerAdded('consent', consentId);
      })
      .immediate();
    return this.get(input.customerId);
  }

  purchases(id: string, offset: number, limit: number): Page<CustomerPurchase> {
    const total = (
      this.sql.prepare('SELECT count(*) AS n FROM sales WHERE customer_id = ?').get(id) as { n: number }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT s.id AS saleId, s.receipt_number AS receiptNumber, s.total_kobo AS totalKobo,
           coalesce((SELECT sum(amount_kobo) FROM refunds r WHERE r.sale_id = s.id), 0) AS refundedKobo,
           s.points_earned AS pointsEarned, s.created_at AS createdAt
         FROM sales s WHERE s.customer_id = ? ORDER BY s.created_at DESC LIMIT ? OFFSET ?`,
      )
      .all(id, limit, offset) as CustomerPurchase[];
    return { total, rows };
  }

  points(id: string, offset: number, limit: number): Page<PointsEntry> {
    const total = (
      this.sql.prepare('SELECT count(*) AS n FROM points_ledger WHERE customer_id = ?').get(id) as {
        n: number;
      }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT id, delta, kind, note, sale_id AS saleId, created_at AS createdAt FROM points_ledger
         WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(id, limit, offset) as PointsEntry[];
    return { total, rows };
  }

  consentHistory(id: string): ConsentEntry[] {
    return (
      this.sql
        .prepare(
          `SELECT id, channel, granted, source, wording, created_at AS at FROM customer_consents
           WHERE customer_id = ? ORDER BY created_at DESC, id DESC`,
        )
        .all(id) as (Omit<ConsentEntry, 'granted'> & { granted: number })[]
    ).map((row) => ({ ...row, granted: row.granted === 1 }));
  }

  private consents(id: string): ConsentState[] {
    const latest = new Map<ContactChannel, ConsentState>();
    for (const entry of this.consentHistory(id)) {
      if (!latest.has(entry.channel)) {
        latest.set(entry.channel, {
          channel: entry.channel,
          granted: entry.granted,
          source: entry.source,
          wording: entry.wording,
          at: entry.at,
        });
      }
    }
    return CONTACT_CHANNELS.flatMap((channel) => {
      const state = latest.get(channel);
      return state === undefined ? [] : [state];
    });
  }

  private full(row: CustomerRow): Customer {
    return {
      ...summary(row),
      firstName: row.first_name,
      lastName: row.last_name,
      whatsapp: row.whatsapp,
      email: row.email,
      address: row.address,
      lgaCity: row.lga_city,
      kind: row.kind,
      notes: row.notes,
      preferences: JSON.parse(row.preferences) as Record<string, string>,
      birthday: row.birthday,
      mergedIntoId: row.merged_into_id,
      consents: this.consents(row.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The stored form of the editable fields, shared by create and update. */
  private columns(input: CustomerInput | UpdateInput, phone: ParsedPhone, whatsapp: ParsedPhone) {
    const displayName = this.displayName(input);
    return {
      firstName: input.firstName,
      lastName: input.lastName,
      displayName,
      searchName: displayName.toLowerCase(),
      phone: phone.e164,
      phoneNational: phone.national,
      carrier: phone.carrier,
      whatsapp: whatsapp.e164,
      email: input.email,
      address: input.address,
      state: input.state,
      lgaCity: input.lgaCity,
      kind: input.kind,
      tags: JSON.stringify([...new Set(input.tags)]),
      notes: input.notes,
      preferences: JSON.stringify(input.preferences),
      birthday: input.birthday,
    };
  }

  private displayName(input: { displayName: string; firstName: string; lastName: string }): string {
    const name = input.displayName !== '' ? input.displayName : `${input.firstName} ${input.lastName}`.trim();
    if (name === '') {
      throw new KasuwaError('invalid_input', 'Enter a name for the customer.', [
        { path: ['firstName'], message: 'Enter a name' },
      ]);
    }
    return name;
  }

  private refuseDuplicate(e164: string, exceptId: string | null): void {
    const existing = this.byPhone.get(e164);
    if (existing === undefined || existing.id === exceptId) return;
    const archived = existing.archived_at !== null ? ' (archived)' : '';
    throw new KasuwaError(
      'conflict',
      `${existing.display_name}${archived} already has this number (${formatNationalPhone(existing.phone_national)}).`,
      { existingId: existing.id, existingName: existing.display_name, path: ['phone'] },
    );
  }
}
