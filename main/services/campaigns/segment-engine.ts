/**
 * Segments as SQL. A definition (rules joined by `all` or `any`) compiles to one parameterised
 * WHERE over the segment book (`segment_book`, main/db/schema.ts): one row per customer in the
 * book (not archived, not merged away) with what rules and recipient lists read, kept in step
 * with customers and customer_stats by triggers (migrations/0013). Every value a user typed is a
 * bound parameter: the SQL text depends only on the shape of the rules, never on their values.
 *
 * Meanings the rules settle:
 * - days count back from now (rolling), so `within N` and `more-than N` split the book exactly;
 *   a customer who never bought is lapsed (`lastPurchase more-than N`);
 * - `not-in` is the complement of `in`: a customer with no state, carrier or birthday is "not in"
 *   every list (a missing carrier counts as `others`);
 * - birthdays are month and day in Lagos time; a 29 February birthday is kept on 28 February in
 *   a year without one.
 *
 * On an encrypted file the cost of a pass is the pages it decrypts, so each pass reads as little
 * of the book as it can: counting reads only the index of rule columns (`segment_book_rules`,
 * and only the states a state or zone rule names); a recipient list reads the book in position
 * order, which files customers by reach (consent per channel, an email address) and then state,
 * so a promotion reads only the customers who agreed to its channel, in the states it names.
 * Nothing is held in memory beyond a page.
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

/**
 * A book position is `(reach << 46) | (state code << 40) | sequence` (migrations/0013): these are
 * the spans of one reach and of one state within it, as JS numbers (positions stay below 2^50).
 */
const REACH_SPAN = 2 ** 46;
const STATE_SPAN = 2 ** 40;
const REACHES = 16;
/** The reach bits of a position. */
const REACH = { sms: 1, whatsapp: 2, email: 4, emailAddress: 8 } as const;
/** The state code of customers whose state is a text outside segment_state_codes. */
const OTHER_STATE = 63;

type SqlValue = string | number;

export interface CompiledSegment {
  /** A condition over `b` (segment_book), `?` for each value. */
  where: string;
  params: SqlValue[];
  /** The states every match lives in, when the rules say so (a state or zone rule that must hold). */
  states: readonly string[] | null;
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
  totalSpent: 'b.total_spent_kobo',
  purchaseCount: 'b.purchase_count',
  points: 'b.points_balance',
} as const;

/** A reach bit of the position as 0 or 1. */
function reachBit(bit: number): string {
  return `((b.pos >> ${46 + Math.log2(bit)}) & 1)`;
}

const CONSENT: Record<ContactChannel, string> = {
  sms: reachBit(REACH.sms),
  whatsapp: reachBit(REACH.whatsapp),
  email: reachBit(REACH.email),
};

/** The book keeps no WhatsApp number where it is the phone, and no empty email. */
const WHATSAPP_NUMBER = 'coalesce(b.whatsapp, b.phone)';

/** Who a channel can reach at all, whatever the consent. */
const ADDRESS: Record<ContactChannel, { recipient: string; carrier: string; present: string }> = {
  sms: { recipient: 'b.phone', carrier: 'b.carrier', present: "b.phone <> ''" },
  whatsapp: {
    recipient: WHATSAPP_NUMBER,
    carrier: 'CASE WHEN b.whatsapp IS NULL THEN b.carrier END',
    present: `${WHATSAPP_NUMBER} <> ''`,
  },
  email: { recipient: 'b.email', carrier: 'NULL', present: "b.email <> ''" },
};

/** The book keeps no display name where it is first and last name, as SQLite's trim() joins them. */
const DISPLAY_NAME = "coalesce(b.display_name, trim(b.first_name || ' ' || b.last_name))";

/** `trim(first || ' ' || last)` as SQLite computes it (spaces only), for the many rows without one. */
function joinedName(first: string, last: string): string {
  const name = `${first} ${last}`;
  let from = 0;
  let to = name.length;
  while (from < to && name.charCodeAt(from) === 32) from += 1;
  while (to > from && name.charCodeAt(to - 1) === 32) to -= 1;
  return from === 0 && to === name.length ? name : name.slice(from, to);
}

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

/** The book keeps no tags as NULL, which neither test finds anything in. */
function hasTag(tag: string): Fragment {
  const exact = { sql: 'EXISTS (SELECT 1 FROM json_each(b.tags) WHERE json_each.value = ?)', params: [tag] };
  if (!PLAIN_TAG.test(tag)) return exact;
  // The substring test skips json_each for the many rows without the tag; json_each keeps it exact.
  return {
    sql: `CASE WHEN instr(b.tags, ?) > 0 THEN ${exact.sql} ELSE 0 END`,
    params: [JSON.stringify(tag), tag],
  };
}

/** Customers whose birthday (`MM-DD` or `YYYY-MM-DD`) has its month or month-day in `values`. */
function bornOn(part: string, values: readonly string[]): Fragment {
  return { sql: `${part} IN (${marks(values.length)})`, params: [...values] };
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
function zoneStates(zones: readonly DeliveryZone[]): {
  whole: Map<string, string>;
  split: Set<string>;
  byZone: Map<string, readonly string[]>;
} {
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
  return { whole, split, byZone: new Map(zones.map((zone) => [zone.id, zone.states])) };
}

interface CompileContext {
  now: number;
  zones: ReturnType<typeof zoneStates>;
}

/** The states a customer of one of these zones can live in. */
function statesOfZones(ids: readonly string[], zones: CompileContext['zones']): string[] {
  return [...new Set(ids.flatMap((id) => zones.byZone.get(id) ?? []))];
}

function zoneIn(ids: readonly string[], zones: CompileContext['zones']): Fragment {
  const wanted = new Set(ids);
  const states = statesOfZones(ids, zones);
  if (states.length === 0) return { sql: '0', params: [] };
  const wholeStates = [...zones.whole].filter(([, id]) => wanted.has(id)).map(([state]) => state);
  const parts: Fragment[] = [];
  if (wholeStates.length > 0)
    parts.push({ sql: `b.state IN (${marks(wholeStates.length)})`, params: wholeStates });
  const split = [...zones.split].filter((state) => states.includes(state));
  if (split.length > 0) {
    parts.push({
      sql: `CASE WHEN b.state IN (${marks(split.length)}) THEN ${ZONE_FUNCTION}(b.state, b.lga_city) IN (${marks(ids.length)}) ELSE 0 END`,
      params: [...split, ...ids],
    });
  }
  // The zones' states first, as a term of its own: counting then reads only those states.
  return join(
    [{ sql: `b.state IN (${marks(states.length)})`, params: states }, join(parts, 'OR', '0')],
    'AND',
    '1',
  );
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
      if (rule.op === 'never') return { sql: 'b.last_purchase_at IS NULL', params: [] };
      if (rule.op === 'within') return { sql: 'b.last_purchase_at >= ?', params: [daysAgo(rule.days)] };
      return { sql: 'b.last_purchase_at IS NULL OR b.last_purchase_at < ?', params: [daysAgo(rule.days)] };
    case 'added': {
      if (rule.op === 'more-than') return { sql: 'b.created_at < ?', params: [daysAgo(rule.days)] };
      const since =
        rule.op === 'within' ? daysAgo(rule.days) : lagosDayRange(`${lagosMonth(context.now)}-01`).from;
      return { sql: 'b.created_at >= ?', params: [since] };
    }
    case 'tier':
      return inList('b.tier', rule.values, rule.op);
    case 'state':
      return inList('b.state', rule.values, rule.op);
    case 'carrier':
      return inList("coalesce(b.carrier, 'others')", rule.values, rule.op);
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
      const positive = bornOn('substr(b.birthday, -5, 2)', months);
      return rule.op === 'in' ? positive : not(positive);
    }
    case 'birthdayWithin':
      return bornOn('substr(b.birthday, -5)', birthdayWindow(context.now, rule.days));
    case 'consent':
      return { sql: `${CONSENT[rule.channel]} = ?`, params: [rule.granted ? 1 : 0] };
  }
}

/** The states a rule keeps its matches to, or null for a rule that does not. */
function ruleStates(rule: SegmentRule, context: CompileContext): string[] | null {
  if (rule.field === 'state' && rule.op === 'in') return [...new Set(rule.values)];
  if (rule.field === 'zone' && rule.op === 'in') return statesOfZones(rule.values, context.zones);
  return null;
}

/** The states every match lives in: those of the state and zone rules that must all hold. */
function scopeStates(definition: SegmentDefinition, context: CompileContext): string[] | null {
  if (definition.match === 'any' && definition.rules.length > 1) return null;
  let scope: string[] | null = null;
  for (const rule of definition.rules) {
    const states = ruleStates(rule, context);
    if (states === null) continue;
    scope = scope === null ? states : scope.filter((state) => states.includes(state));
  }
  return scope;
}

/** The WHERE of a definition at `now` over the book (which holds only listed customers). */
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
  return { where: rules.sql, params: rules.params, states: scopeStates(parsed, context) };
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

/** One recipient as the page query returns it: the position (the bookmark), then the fields. */
type RecipientColumns = [
  position: number,
  customerId: string,
  displayName: string | null,
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

/** Whether a recipient list may read customers of a reach (bits of `REACH`). */
function reaches(reach: number, channel: ContactChannel, kind: MessageKind): boolean {
  if (channel === 'email' && (reach & REACH.emailAddress) === 0) return false;
  return kind === 'transactional' || (reach & REACH[channel]) !== 0;
}

/** Members pages walk the spend index while that is cheaper than reading the book. */
const INDEX_WALK_LIMIT = 5_000;

export class SegmentEngine {
  private readonly sql: Database.Database;
  private readonly zones: readonly DeliveryZone[];
  private readonly statements = new Map<string, Database.Statement<SqlValue[]>>();
  private stateCodes: Map<string, number> | null = null;

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
    const row = this.statement<CountRow>(
      `SELECT count(*) AS matching, sum(${CONSENT.sms}) AS sms, sum(${CONSENT.whatsapp}) AS whatsapp,
         sum(${CONSENT.email} & ${reachBit(REACH.emailAddress)}) AS email
       FROM segment_book b INDEXED BY segment_book_rules WHERE ${compiled.where}`,
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
      'SELECT count(*) AS n FROM segment_book INDEXED BY segment_book_spend',
    ).get();
    // Walking the spend index reads a book row per entry, at random: fine for the first pages of
    // a broad segment, ruinous for a narrow one or a deep page, which sort the matches instead (a
    // few looked up from the rules index, many read with the book straight through).
    const walked = ((page.offset + page.limit) * (listed?.n ?? total)) / total;
    const from =
      walked <= INDEX_WALK_LIMIT
        ? 'INDEXED BY segment_book_spend'
        : total <= INDEX_WALK_LIMIT
          ? 'INDEXED BY segment_book_rules'
          : 'NOT INDEXED';
    const rows = this.statement<MemberRow>(
      `SELECT b.customer_id AS customerId, ${DISPLAY_NAME} AS displayName, b.phone AS phone,
         b.carrier AS carrier, coalesce(b.email, '') AS email, b.tier AS tier,
         b.total_spent_kobo AS totalSpentKobo, b.last_purchase_at AS lastPurchaseAt,
         ${CONSENT.sms} AS consentSms, ${CONSENT.whatsapp} AS consentWhatsapp, ${CONSENT.email} AS consentEmail
       FROM segment_book b ${from} WHERE ${compiled.where}
       ORDER BY b.total_spent_kobo DESC, b.pos DESC LIMIT ? OFFSET ?`,
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
   * the customer's consent. Read a page at a time in position order, only over the reaches (and
   * states) that can match, so a million customers take bounded memory, and the connection is
   * free between pages: the caller may write its message rows while it walks the list (an open
   * better-sqlite3 iterator would make every write on the connection throw until it finished).
   */
  *recipients(
    definition: SegmentDefinition,
    channel: ContactChannel,
    kind: MessageKind,
  ): Generator<SegmentRecipient, void, undefined> {
    const compiled = this.compile(definition);
    const address = ADDRESS[channel];
    const consent = kind === 'promotional' ? ` AND ${CONSENT[channel]} = 1` : '';
    const page = this.statement<RecipientColumns>(
      `SELECT b.pos, b.customer_id, b.display_name, b.first_name, b.last_name, ${address.recipient},
         ${address.carrier}, b.tier, b.points_balance, b.total_spent_kobo, b.last_purchase_at, b.birthday, b.state
       FROM segment_book b NOT INDEXED
       WHERE b.pos > ? AND b.pos < ? AND (${compiled.where})${consent} AND ${address.present}
       ORDER BY b.pos LIMIT ?`,
    );
    // Arrays rather than named rows: a campaign to a million customers builds a million of these.
    page.raw(true);
    for (const [from, to] of this.ranges(compiled, (reach) => reaches(reach, channel, kind))) {
      let after = from - 1;
      for (;;) {
        const rows = page.all(after, to, ...compiled.params, RECIPIENT_PAGE);
        for (const row of rows) {
          after = row[0];
          yield {
            customerId: row[1],
            // Joined here, not in SQL: most rows store none, and a NULL crosses into JS far cheaper.
            displayName: row[2] ?? joinedName(row[3], row[4]),
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
        if (rows.length < RECIPIENT_PAGE) break;
      }
    }
  }

  /** The position ranges `[from, to)` a pass reads: the reaches it may, in the rules' states. */
  private ranges(compiled: CompiledSegment, reach: (reach: number) => boolean): [number, number][] {
    const codes =
      compiled.states === null
        ? null
        : [...new Set(compiled.states.map((state) => this.stateCode(state)))].sort((a, b) => a - b);
    const ranges: [number, number][] = [];
    const add = (from: number, to: number) => {
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last[1] === from) last[1] = to;
      else ranges.push([from, to]);
    };
    for (let r = 0; r < REACHES; r += 1) {
      if (!reach(r)) continue;
      const base = r * REACH_SPAN;
      if (codes === null) add(base, base + REACH_SPAN);
      else for (const code of codes) add(base + code * STATE_SPAN, base + (code + 1) * STATE_SPAN);
    }
    return ranges;
  }

  /** A state's code in positions, as the migration numbered them. */
  private stateCode(state: string): number {
    this.stateCodes ??= new Map(
      (
        this.sql.prepare('SELECT code, state FROM segment_state_codes').all() as {
          code: number;
          state: string;
        }[]
      ).map((row) => [row.state, row.code]),
    );
    return this.stateCodes.get(state) ?? OTHER_STATE;
  }

  private matching(compiled: CompiledSegment): number {
    const row = this.statement<{ n: number }>(
      `SELECT count(*) AS n FROM segment_book b INDEXED BY segment_book_rules WHERE ${compiled.where}`,
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
