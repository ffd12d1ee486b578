/**
 * Segments as SQL. A definition (rules joined by `all` or `any`) compiles to one parameterised
 * WHERE over a customer and its customer_stats projection; only customers in the book
 * (`listed = 1`: not archived, not merged away) ever match. Every value a user typed is a bound
 * parameter: the SQL text depends only on the shape of the rules, never on their values.
 *
 * Meanings the rules settle:
 * - days count back from now (rolling), so `within N` and `more-than N` split the book exactly;
 *   a customer who never bought is lapsed (`lastPurchase more-than N`);
 * - `not-in` is the complement of `in`: a customer with no state, carrier or birthday is "not in"
 *   every list (a missing carrier counts as `others`);
 * - birthdays are month and day in Lagos time; a 29 February birthday is kept on 28 February in
 *   a year without one.
 *
 * Counting and the recipient list read every listed customer once (see `Walk` for which table
 * leads); nothing is held in memory beyond a page.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  ContactChannel,
  MessageKind,
  Page,
  SegmentCount,
  SegmentDefinition,
  SegmentMember,
  SegmentRule,
  Tier,
} from '../../../shared/contract';
import { segmentDefinitionSchema } from '../../../shared/contract';
import { DEFAULT_ZONES, zoneMatcher, type DeliveryZone } from '../../../shared/delivery-zones';
import { lagosDay, lagosDayRange, lagosMonth } from '../../../shared/lagos-time';
import type { Carrier } from '../../../shared/phone';
import type { NigerianState } from '../../../shared/states';
import type { ShopDatabase } from '../../db/open';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The SQL function that names a customer's zone where a state is split between zones. */
const ZONE_FUNCTION = 'kasuwa_segment_zone';

/** Rows the recipient list reads at a time; the connection is free between pages. */
const RECIPIENT_PAGE = 1_000;

type SqlValue = string | number;

export interface CompiledSegment {
  /** A condition over `c` (customers) and `s` (customer_stats), `?` for each value. */
  where: string;
  params: SqlValue[];
  /** Whether any rule reads the customer row (not only its stats). */
  readsCustomer: boolean;
}

/** One customer a campaign can send to, with the fields its templates personalise. */
export interface SegmentRecipient {
  customerId: string;
  displayName: string;
  firstName: string;
  lastName: string;
  /** E.164 for SMS and WhatsApp, an address for email. */
  recipient: string;
  /** The recipient number's network; null for email, or a WhatsApp number apart from the phone. */
  carrier: Carrier | null;
  tier: Tier;
  points: number;
  totalSpentKobo: number;
  lastPurchaseAt: number | null;
  birthday: string | null;
  state: NigerianState | null;
}

const NUMBER_COLUMNS = {
  totalSpent: 's.total_spent_kobo',
  purchaseCount: 's.purchase_count',
  points: 's.points_balance',
} as const;

const CONSENT_COLUMNS: Record<ContactChannel, string> = {
  sms: 's.consent_sms',
  whatsapp: 's.consent_whatsapp',
  email: 's.consent_email',
};

const WHATSAPP_NUMBER = "coalesce(nullif(c.whatsapp, ''), c.phone)";

/** Who a channel can reach at all, whatever the consent. */
const ADDRESS: Record<ContactChannel, { recipient: string; carrier: string; present: string }> = {
  sms: { recipient: 'c.phone', carrier: 'c.carrier', present: "c.phone <> ''" },
  whatsapp: {
    recipient: WHATSAPP_NUMBER,
    carrier: `CASE WHEN ${WHATSAPP_NUMBER} = c.phone THEN c.carrier END`,
    present: `${WHATSAPP_NUMBER} <> ''`,
  },
  email: { recipient: 'c.email', carrier: 'NULL', present: "c.email <> ''" },
};

interface Fragment {
  sql: string;
  params: SqlValue[];
}

function marks(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** The complement of a condition, with "unknown" (NULL) counted as not matching. */
function not(fragment: Fragment): Fragment {
  return { sql: `NOT coalesce(${fragment.sql}, 0)`, params: fragment.params };
}

function inList(column: string, values: readonly SqlValue[], op: 'in' | 'not-in'): Fragment {
  const positive = { sql: `${column} IN (${marks(values.length)})`, params: [...values] };
  return op === 'in' ? positive : not(positive);
}

function join(fragments: Fragment[], glue: 'AND' | 'OR', empty: string): Fragment {
  if (fragments.length === 0) return { sql: empty, params: [] };
  return {
    sql: fragments.map((fragment) => `(${fragment.sql})`).join(` ${glue} `),
    params: fragments.flatMap((fragment) => fragment.params),
  };
}

/** Text JSON.stringify writes as it is, so its quoted form appears verbatim in the tags column. */
const PLAIN_TAG = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

function hasTag(tag: string): Fragment {
  const exact = { sql: 'EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value = ?)', params: [tag] };
  if (!PLAIN_TAG.test(tag)) return exact;
  // The substring test skips json_each for the many rows without the tag; json_each keeps it exact.
  return {
    sql: `CASE WHEN instr(c.tags, ?) > 0 THEN ${exact.sql} ELSE 0 END`,
    params: [JSON.stringify(tag), tag],
  };
}

/**
 * Customers whose birthday (`MM-DD` or `YYYY-MM-DD`) has its month or month-day in `values`, read
 * from the birthday index alone: a few pages instead of the whole customer table, and when the
 * rules must all hold the matching rows are then fetched by rowid rather than scanned for.
 */
function bornOn(part: string, values: readonly string[]): Fragment {
  return {
    sql: `c.rowid IN (SELECT rowid FROM customers WHERE birthday IS NOT NULL AND ${part} IN (${marks(values.length)}))`,
    params: [...values],
  };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** `MM-DD` of the next `days` Lagos days from now, today included. */
export function birthdayWindow(now: number, days: number): string[] {
  const found = new Set<string>();
  for (let i = 0; i < Math.min(days, 366); i += 1) {
    const day = lagosDay(now + i * DAY_MS);
    const monthDay = day.slice(5);
    found.add(monthDay);
    if (monthDay === '02-28' && !isLeapYear(Number(day.slice(0, 4)))) found.add('02-29');
  }
  return [...found];
}

/** Which of the zones' states lie wholly in one zone, and which are split (named by place). */
function zoneStates(zones: readonly DeliveryZone[]): { whole: Map<string, string>; split: Set<string> } {
  const claims = new Map<string, DeliveryZone[]>();
  for (const zone of zones) {
    for (const state of zone.states) claims.set(state, [...(claims.get(state) ?? []), zone]);
  }
  const whole = new Map<string, string>();
  const split = new Set<string>();
  for (const [state, here] of claims) {
    const only = here[0];
    if (here.length === 1 && only !== undefined && only.places?.[state as NigerianState] === undefined) {
      whole.set(state, only.id);
    } else {
      split.add(state);
    }
  }
  return { whole, split };
}

interface CompileContext {
  now: number;
  zones: { whole: Map<string, string>; split: Set<string> };
}

function zoneIn(ids: readonly string[], zones: CompileContext['zones']): Fragment {
  const wanted = new Set(ids);
  const wholeStates = [...zones.whole].filter(([, id]) => wanted.has(id)).map(([state]) => state);
  const parts: Fragment[] = [];
  if (wholeStates.length > 0)
    parts.push({ sql: `c.state IN (${marks(wholeStates.length)})`, params: wholeStates });
  if (zones.split.size > 0) {
    const split = [...zones.split];
    parts.push({
      sql: `CASE WHEN c.state IN (${marks(split.length)}) THEN ${ZONE_FUNCTION}(c.state, c.lga_city) IN (${marks(ids.length)}) ELSE 0 END`,
      params: [...split, ...ids],
    });
  }
  return join(parts, 'OR', '0');
}

function compileRule(rule: SegmentRule, context: CompileContext): Fragment {
  const daysAgo = (days: number) => context.now - days * DAY_MS;
  switch (rule.field) {
    case 'totalSpent':
    case 'purchaseCount':
    case 'points': {
      const column = NUMBER_COLUMNS[rule.field];
      if (rule.op === 'at-least' || (rule.op === 'between' && rule.to === undefined)) {
        return { sql: `${column} >= ?`, params: [rule.value] };
      }
      if (rule.op === 'at-most') return { sql: `${column} <= ?`, params: [rule.value] };
      const to = rule.to ?? rule.value;
      return {
        sql: `${column} BETWEEN ? AND ?`,
        params: [Math.min(rule.value, to), Math.max(rule.value, to)],
      };
    }
    case 'lastPurchase':
      if (rule.op === 'never') return { sql: 's.last_purchase_at IS NULL', params: [] };
      if (rule.op === 'within') return { sql: 's.last_purchase_at >= ?', params: [daysAgo(rule.days)] };
      return { sql: 's.last_purchase_at IS NULL OR s.last_purchase_at < ?', params: [daysAgo(rule.days)] };
    case 'added': {
      if (rule.op === 'more-than') return { sql: 'c.created_at < ?', params: [daysAgo(rule.days)] };
      const since =
        rule.op === 'within' ? daysAgo(rule.days) : lagosDayRange(`${lagosMonth(context.now)}-01`).from;
      return { sql: 'c.created_at >= ?', params: [since] };
    }
    case 'tier':
      return inList('s.tier', rule.values, rule.op);
    case 'state':
      return inList('c.state', rule.values, rule.op);
    case 'carrier':
      return inList("coalesce(c.carrier, 'others')", rule.values, rule.op);
    case 'zone': {
      const positive = zoneIn(rule.values, context.zones);
      return rule.op === 'in' ? positive : not(positive);
    }
    case 'tags': {
      const tags = [...new Set(rule.values)].map(hasTag);
      if (rule.op === 'has-all') return join(tags, 'AND', '1');
      const any = join(tags, 'OR', '0');
      return rule.op === 'has-any' ? any : not(any);
    }
    case 'birthdayMonth': {
      const months = [...new Set(rule.values)].map((month) => String(month).padStart(2, '0'));
      const positive = bornOn('substr(birthday, -5, 2)', months);
      return rule.op === 'in' ? positive : not(positive);
    }
    case 'birthdayWithin':
      return bornOn('substr(birthday, -5)', birthdayWindow(context.now, rule.days));
    case 'consent':
      return { sql: `${CONSENT_COLUMNS[rule.channel]} = ?`, params: [rule.granted ? 1 : 0] };
  }
}

/** The rules that read the customer row rather than its stats. */
const CUSTOMER_FIELDS = new Set<SegmentRule['field']>([
  'added',
  'state',
  'zone',
  'carrier',
  'tags',
  'birthdayMonth',
  'birthdayWithin',
]);

/** The WHERE of a definition at `now`, listed customers only. */
export function compileSegment(
  definition: SegmentDefinition,
  now: number,
  zones: readonly DeliveryZone[] = DEFAULT_ZONES,
): CompiledSegment {
  const parsed = segmentDefinitionSchema.parse(definition);
  const context: CompileContext = { now, zones: zoneStates(zones) };
  const rules = join(
    parsed.rules.map((rule) => compileRule(rule, context)),
    parsed.match === 'any' ? 'OR' : 'AND',
    '1',
  );
  return {
    where: `s.listed = 1 AND (${rules.sql})`,
    params: rules.params,
    readsCustomer: parsed.rules.some((rule) => CUSTOMER_FIELDS.has(rule.field)),
  };
}

interface CountRow {
  matching: number;
  sms: number | null;
  whatsapp: number | null;
  email: number | null;
}

interface MemberRow {
  customerId: string;
  displayName: string;
  phone: string;
  carrier: Carrier | null;
  email: string;
  tier: Tier;
  totalSpentKobo: number;
  lastPurchaseAt: number | null;
  consentSms: number;
  consentWhatsapp: number;
  consentEmail: number;
}

/** One recipient as the page query returns it: the driving row's rowid (the bookmark), then the fields. */
type RecipientColumns = [
  position: number,
  customerId: string,
  displayName: string,
  firstName: string,
  lastName: string,
  recipient: string,
  carrier: Carrier | null,
  tier: Tier,
  points: number,
  totalSpentKobo: number,
  lastPurchaseAt: number | null,
  birthday: string | null,
  state: NigerianState | null,
];

/**
 * Which table a pass walks. Every pass reads every listed customer once, and on an encrypted
 * file the cost is the pages read: rules only on stats walk the small stats table and read a
 * customer row only for the rows that pass; rules on the customer walk customers (a state, a
 * birthday or a tag usually leaves few rows for the stats lookup).
 */
interface Walk {
  from: string;
  position: string;
}

// NOT INDEXED: walking a stats index (spend, last purchase) means a stats row fetched at random per
// entry, dearer on an encrypted file than reading the table straight through; SQLite cannot tell.
const STATS_FIRST: Walk = {
  from: 'customer_stats s NOT INDEXED CROSS JOIN customers c ON c.id = s.customer_id',
  position: 's.rowid',
};
const CUSTOMERS_FIRST: Walk = {
  from: 'customers c CROSS JOIN customer_stats s ON s.customer_id = c.id',
  position: 'c.rowid',
};
/** The first pages of a broad segment, in spend order straight off the (listed, spend) index. */
const BY_SPEND =
  'customer_stats s INDEXED BY customer_stats_listed_spent CROSS JOIN customers c ON c.id = s.customer_id';

/** Members pages walk the spend index while that is cheaper than reading the whole book. */
const INDEX_WALK_LIMIT = 5_000;

export class SegmentEngine {
  private readonly sql: Database.Database;
  private readonly zones: readonly DeliveryZone[];
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();

  constructor(
    private readonly deps: { db: ShopDatabase; now: () => number; zones?: readonly DeliveryZone[] },
  ) {
    this.sql = deps.db.sqlite;
    this.zones = deps.zones ?? DEFAULT_ZONES;
    const matcher = zoneMatcher(this.zones);
    // Called only for customers of a split state (Lagos); LGA texts repeat, so answers are kept.
    const known = new Map<string, string | null>();
    this.sql.function(ZONE_FUNCTION, { deterministic: true }, (state: unknown, lgaCity: unknown) => {
      if (typeof state !== 'string') return null;
      const text = typeof lgaCity === 'string' ? lgaCity : '';
      const key = `${state}\u0000${text}`;
      let zone = known.get(key);
      if (zone === undefined) {
        zone = matcher(state, text)?.id ?? null;
        if (known.size >= 20_000) known.clear();
        known.set(key, zone);
      }
      return zone;
    });
  }

  compile(definition: SegmentDefinition): CompiledSegment {
    return compileSegment(definition, this.deps.now(), this.zones);
  }

  /** How many customers match, and how many of them each channel could reach with a promotion. */
  countSegment(definition: SegmentDefinition): SegmentCount {
    const started = performance.now();
    const compiled = this.compile(definition);
    // The phone is always there (and WhatsApp falls back to it); an email address may not be.
    const row = compiled.readsCustomer
      ? this.statement<CountRow>(
          `SELECT count(*) AS matching, sum(s.consent_sms = 1) AS sms, sum(s.consent_whatsapp = 1) AS whatsapp,
             sum(s.consent_email = 1 AND c.email <> '') AS email
           FROM ${CUSTOMERS_FIRST.from} WHERE ${compiled.where}`,
        ).get(...compiled.params)
      : this.statement<CountRow>(
          `SELECT count(*) AS matching, sum(s.consent_sms = 1) AS sms, sum(s.consent_whatsapp = 1) AS whatsapp,
             sum(CASE WHEN s.consent_email = 1
               THEN EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id AND c.email <> '') END) AS email
           FROM customer_stats s NOT INDEXED WHERE ${compiled.where}`,
        ).get(...compiled.params);
    return {
      matching: row?.matching ?? 0,
      reachable: { sms: row?.sms ?? 0, whatsapp: row?.whatsapp ?? 0, email: row?.email ?? 0 },
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** A page of the segment, biggest spenders first. */
  members(definition: SegmentDefinition, page: { offset: number; limit: number }): Page<SegmentMember> {
    const compiled = this.compile(definition);
    const total = this.matching(compiled);
    if (total <= page.offset) return { total, rows: [] };
    const listed = this.statement<{ n: number }>(
      'SELECT count(*) AS n FROM customer_stats WHERE listed = 1',
    ).get();
    // Walking the spend index reads a stats row per entry, at random: fine for the first pages of
    // a broad segment, ruinous for a narrow one or a deep page, which read the book once and sort.
    const walked = ((page.offset + page.limit) * (listed?.n ?? total)) / total;
    const byIndex = walked <= INDEX_WALK_LIMIT;
    const from = byIndex ? BY_SPEND : compiled.readsCustomer ? CUSTOMERS_FIRST.from : STATS_FIRST.from;
    const rows = this.statement<MemberRow>(
      `SELECT c.id AS customerId, c.display_name AS displayName, c.phone AS phone, c.carrier AS carrier,
         c.email AS email, s.tier AS tier, s.total_spent_kobo AS totalSpentKobo,
         s.last_purchase_at AS lastPurchaseAt, s.consent_sms AS consentSms,
         s.consent_whatsapp AS consentWhatsapp, s.consent_email AS consentEmail
       FROM ${from} WHERE ${compiled.where}
       ORDER BY s.total_spent_kobo DESC, s.rowid DESC LIMIT ? OFFSET ?`,
    ).all(...compiled.params, page.limit, page.offset);
    return {
      total,
      rows: rows.map(({ consentSms, consentWhatsapp, consentEmail, ...member }) => ({
        ...member,
        consent: { sms: consentSms === 1, whatsapp: consentWhatsapp === 1, email: consentEmail === 1 },
      })),
    };
  }

  /**
   * Everyone a message on `channel` would go to: an address for the channel, and for a promotion
   * the customer's consent. Read a page at a time in table order, so a million customers take
   * bounded memory, and the connection is free between pages: the caller may write its message
   * rows while it walks the list (an open better-sqlite3 iterator would make every write on the
   * connection throw until it finished).
   */
  *recipients(
    definition: SegmentDefinition,
    channel: ContactChannel,
    kind: MessageKind,
  ): Generator<SegmentRecipient, void, undefined> {
    const compiled = this.compile(definition);
    const walk = compiled.readsCustomer ? CUSTOMERS_FIRST : STATS_FIRST;
    const address = ADDRESS[channel];
    const consent = kind === 'promotional' ? ` AND ${CONSENT_COLUMNS[channel]} = 1` : '';
    const page = this.statement<RecipientColumns>(
      `SELECT ${walk.position}, c.id, c.display_name, c.first_name, c.last_name, ${address.recipient},
         ${address.carrier}, s.tier, s.points_balance, s.total_spent_kobo, s.last_purchase_at, c.birthday, c.state
       FROM ${walk.from}
       WHERE ${walk.position} > ? AND ${compiled.where}${consent} AND ${address.present}
       ORDER BY ${walk.position} LIMIT ?`,
    );
    // Arrays rather than named rows: a campaign to a million customers builds a million of these.
    page.raw(true);
    let after = 0;
    for (;;) {
      const rows = page.all(after, ...compiled.params, RECIPIENT_PAGE);
      for (const row of rows) {
        after = row[0];
        yield {
          customerId: row[1],
          displayName: row[2],
          firstName: row[3],
          lastName: row[4],
          recipient: row[5],
          carrier: row[6],
          tier: row[7],
          points: row[8],
          totalSpentKobo: row[9],
          lastPurchaseAt: row[10],
          birthday: row[11],
          state: row[12],
        };
      }
      if (rows.length < RECIPIENT_PAGE) return;
    }
  }

  private matching(compiled: CompiledSegment): number {
    const row = this.statement<{ n: number }>(
      compiled.readsCustomer
        ? `SELECT count(*) AS n FROM ${CUSTOMERS_FIRST.from} WHERE ${compiled.where}`
        : `SELECT count(*) AS n FROM customer_stats s NOT INDEXED WHERE ${compiled.where}`,
    ).get(...compiled.params);
    return row?.n ?? 0;
  }

  /** Statements by SQL text: the text depends only on the rules' shape, so a few are reused. */
  private statement<Row>(text: string): Database.Statement<SqlValue[], Row> {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      if (this.statements.size >= 64) this.statements.clear();
      statement = this.sql.prepare<SqlValue[]>(text);
      this.statements.set(text, statement);
    }
    return statement as Database.Statement<SqlValue[], Row>;
  }
}
