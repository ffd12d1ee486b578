/**
 * Segments over the customer book on a real encrypted file: every rule, any/all, the ready-made
 * four, and the segment book they read kept in step with the customers by its triggers.
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../main/db/migrate';
import { birthdayWindow, compileSegment } from '../../main/services/campaigns/segment-engine';
import { READY_DEFINITIONS, SegmentService } from '../../main/services/campaigns/segment-service';
import type { SegmentDefinition, SegmentRule } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import { NIGERIAN_STATES } from '../../shared/states';
import { editCustomer } from '../support/edit-customer';
import { migrations, tempDir } from './fixtures';
import { MANAGER_PIN, newCustomer, newProduct, openTestShop, type TestShop } from './shop';

const DAY = 86_400_000;

let shop: TestShop;
let segments: SegmentService;
let phones = 0;

beforeEach(() => {
  shop = openTestShop();
  segments = new SegmentService({ db: shop.db, audit: shop.audit, now: () => shop.clock.now });
  phones = 0;
});
afterEach(() => {
  shop.close();
});

/** A customer with the next free MTN number (or the one given), through the customer service. */
function customer(name: string, extra: Record<string, unknown> = {}, phone?: string) {
  phones += 1;
  return newCustomer(shop, phone ?? `0803 700 ${String(phones).padStart(4, '0')}`, name, extra);
}

/** Sets the stats projection directly, for rules that read only it. */
function stats(
  id: string,
  values: Partial<{ spent: number; purchases: number; last: number | null; points: number; tier: string }>,
) {
  const current = shop.db.sqlite
    .prepare(
      `SELECT total_spent_kobo AS spent, purchase_count AS purchases, last_purchase_at AS last,
         points_balance AS points, tier FROM customer_stats WHERE customer_id = ?`,
    )
    .get(id) as { spent: number; purchases: number; last: number | null; points: number; tier: string };
  const next = { ...current, ...values };
  shop.db.sqlite
    .prepare(
      `UPDATE customer_stats SET total_spent_kobo = ?, purchase_count = ?, last_purchase_at = ?,
         points_balance = ?, tier = ? WHERE customer_id = ?`,
    )
    .run(next.spent, next.purchases, next.last, next.points, next.tier, id);
}

function matching(rules: SegmentRule[], match: 'all' | 'any' = 'all'): string[] {
  return segments.engine
    .members({ match, rules }, { offset: 0, limit: 500 })
    .rows.map((row) => row.customerId)
    .sort();
}

function sorted(...ids: string[]): string[] {
  return [...ids].sort();
}

function sell(customerId: string, priceNaira: number) {
  const product = newProduct(shop, `Item ${uuidv7()}`, priceNaira);
  return shop.sales.record(
    {
      saleId: uuidv7(),
      lines: [{ productId: product.id, quantity: 1, discountKobo: 0 }],
      customerId,
      payments: [{ method: 'transfer', amountKobo: priceNaira * 100, reference: '' }],
    },
    shop.cashier,
  );
}

describe('number rules', () => {
  it('reads spend, purchases and points the sales wrote, with at-least, at-most and between', () => {
    const buyer = customer('Ada');
    const big = customer('Bola');
    const none = customer('Chidi');
    sell(buyer.id, 9_000);
    sell(buyer.id, 1_000);
    stats(big.id, { spent: 30_000_000, purchases: 12, points: 3_000 });
    expect(shop.customers.get(buyer.id)).toMatchObject({ totalSpentKobo: 1_000_000, purchaseCount: 2 });

    expect(matching([{ field: 'totalSpent', op: 'at-least', value: 1_000_000 }])).toEqual(
      sorted(buyer.id, big.id),
    );
    expect(matching([{ field: 'totalSpent', op: 'at-most', value: 1_000_000 }])).toEqual(
      sorted(buyer.id, none.id),
    );
    expect(matching([{ field: 'totalSpent', op: 'between', value: 1, to: 1_000_000 }])).toEqual([buyer.id]);
    // Bounds written the wrong way round still mean the same range.
    expect(matching([{ field: 'totalSpent', op: 'between', value: 1_000_000, to: 1 }])).toEqual([buyer.id]);
    expect(matching([{ field: 'purchaseCount', op: 'at-least', value: 2 }])).toEqual(
      sorted(buyer.id, big.id),
    );
    expect(matching([{ field: 'purchaseCount', op: 'between', value: 0, to: 0 }])).toEqual([none.id]);
    expect(matching([{ field: 'points', op: 'at-least', value: 100 }])).toEqual(sorted(buyer.id, big.id));
    expect(matching([{ field: 'points', op: 'at-most', value: 99 }])).toEqual([none.id]);
  });
});

describe('time rules', () => {
  it('counts a customer who never bought as lapsed, and within/more-than split the book', () => {
    const old = customer('Old');
    const recent = customer('Recent');
    const never = customer('Never');
    const now = shop.clock.now;
    shop.clock.now = now - 90 * DAY;
    sell(old.id, 2_000);
    shop.clock.now = now - 10 * DAY;
    sell(recent.id, 2_000);
    shop.clock.now = now;

    expect(matching([{ field: 'lastPurchase', op: 'more-than', days: 60 }])).toEqual(
      sorted(old.id, never.id),
    );
    expect(matching([{ field: 'lastPurchase', op: 'within', days: 60 }])).toEqual([recent.id]);
    expect(matching([{ field: 'lastPurchase', op: 'within', days: 5 }])).toEqual([]);
    expect(matching([{ field: 'lastPurchase', op: 'more-than', days: 5 }])).toEqual(
      sorted(old.id, recent.id, never.id),
    );
    expect(matching([{ field: 'lastPurchase', op: 'never', days: 0 }])).toEqual([never.id]);
  });

  it('takes "this month" from the 1st in Lagos time, and added within/more-than N days', () => {
    shop.clock.now = Date.parse('2026-10-31T22:30:00Z'); // 23:30 on 31 October in Lagos
    const october = customer('October');
    shop.clock.now = Date.parse('2026-10-31T23:30:00Z'); // 00:30 on 1 November in Lagos
    const november = customer('November');
    shop.clock.now = Date.parse('2026-11-24T09:00:00Z');
    const today = customer('Today');

    expect(matching([{ field: 'added', op: 'this-month', days: 0 }])).toEqual(sorted(november.id, today.id));
    expect(matching([{ field: 'added', op: 'within', days: 7 }])).toEqual([today.id]);
    expect(matching([{ field: 'added', op: 'more-than', days: 7 }])).toEqual(sorted(october.id, november.id));
  });
});

describe('lists of values', () => {
  it('matches tier, state and carrier with in and not-in (no state is "not in" any list)', () => {
    const lagos = customer('Lagos', { state: 'Lagos' }, '0803 111 0001'); // MTN
    const ogun = customer('Ogun', { state: 'Ogun' }, '0802 111 0002'); // Airtel
    const nowhere = customer('Nowhere', {}, '0805 111 0003'); // Glo
    stats(lagos.id, { tier: 'gold' });
    stats(ogun.id, { tier: 'silver' });

    expect(matching([{ field: 'tier', op: 'in', values: ['gold', 'platinum'] }])).toEqual([lagos.id]);
    expect(matching([{ field: 'tier', op: 'not-in', values: ['gold'] }])).toEqual(
      sorted(ogun.id, nowhere.id),
    );
    expect(matching([{ field: 'state', op: 'in', values: ['Lagos', 'Ogun'] }])).toEqual(
      sorted(lagos.id, ogun.id),
    );
    expect(matching([{ field: 'state', op: 'not-in', values: ['Lagos'] }])).toEqual(
      sorted(ogun.id, nowhere.id),
    );
    expect(matching([{ field: 'carrier', op: 'in', values: ['MTN', 'Glo'] }])).toEqual(
      sorted(lagos.id, nowhere.id),
    );
    expect(matching([{ field: 'carrier', op: 'not-in', values: ['MTN'] }])).toEqual(
      sorted(ogun.id, nowhere.id),
    );
  });

  it('puts Lekki on Lagos Island and Ikeja on the Mainland, and an unknown Lagos place on the Mainland', () => {
    const lekki = customer('Lekki', { state: 'Lagos', lgaCity: 'Lekki Phase 1' });
    const vi = customer('Vi', { state: 'Lagos', lgaCity: 'V.I.' });
    const ikeja = customer('Ikeja', { state: 'Lagos', lgaCity: 'Ikeja' });
    const blank = customer('Blank', { state: 'Lagos' });
    const abeokuta = customer('Abeokuta', { state: 'Ogun', lgaCity: 'Abeokuta' });
    const nowhere = customer('Nowhere');

    expect(matching([{ field: 'zone', op: 'in', values: ['lagos-island'] }])).toEqual(
      sorted(lekki.id, vi.id),
    );
    expect(matching([{ field: 'zone', op: 'in', values: ['lagos-mainland'] }])).toEqual(
      sorted(ikeja.id, blank.id),
    );
    expect(matching([{ field: 'zone', op: 'in', values: ['lagos-island', 'south-west'] }])).toEqual(
      sorted(lekki.id, vi.id, abeokuta.id),
    );
    expect(matching([{ field: 'zone', op: 'not-in', values: ['lagos-island', 'lagos-mainland'] }])).toEqual(
      sorted(abeokuta.id, nowhere.id),
    );
    expect(matching([{ field: 'zone', op: 'in', values: ['no-such-zone'] }])).toEqual([]);
  });
});

describe('tags', () => {
  it('has-any, has-all and has-none, exactly (a tag inside another tag is not the tag)', () => {
    const vip = customer('Vip', { tags: ['vip', 'church'] });
    const church = customer('Church', { tags: ['church'] });
    const tricky = customer('Tricky', { tags: ['a","vip', 'vip2'] });
    const plain = customer('Plain');

    expect(matching([{ field: 'tags', op: 'has-any', values: ['vip'] }])).toEqual([vip.id]);
    expect(matching([{ field: 'tags', op: 'has-any', values: ['vip', 'church'] }])).toEqual(
      sorted(vip.id, church.id),
    );
    expect(matching([{ field: 'tags', op: 'has-all', values: ['vip', 'church'] }])).toEqual([vip.id]);
    expect(matching([{ field: 'tags', op: 'has-none', values: ['vip', 'church'] }])).toEqual(
      sorted(tricky.id, plain.id),
    );
    expect(matching([{ field: 'tags', op: 'has-any', values: ['a","vip'] }])).toEqual([tricky.id]);
  });

  it('treats a hostile tag as a value, never as SQL', () => {
    const vip = customer('Vip', { tags: ['vip'] });
    const hostile = ["vip') OR 1=1 --", "'; DROP TABLE customers; --", '" OR ""="', 'vip%', '%', '_'];
    for (const value of hostile) {
      expect(matching([{ field: 'tags', op: 'has-any', values: [value] }])).toEqual([]);
      expect(matching([{ field: 'tags', op: 'has-none', values: [value] }])).toEqual([vip.id]);
    }
    const compiled = compileSegment(
      { match: 'all', rules: [{ field: 'tags', op: 'has-any', values: hostile }] },
      0,
    );
    for (const value of hostile.slice(0, 3)) expect(compiled.where).not.toContain(value);
    expect(compiled.params).toEqual(expect.arrayContaining(hostile));
    expect(shop.customers.get(vip.id).tags).toEqual(['vip']);
  });
});

describe('birthdays', () => {
  it('matches the month in both stored forms, with not-in for the rest', () => {
    const march = customer('March', { birthday: '03-15' });
    const marchYear = customer('MarchYear', { birthday: '1990-03-02' });
    const july = customer('July', { birthday: '07-01' });
    const unknown = customer('Unknown');
    expect(matching([{ field: 'birthdayMonth', op: 'in', values: [3] }])).toEqual(
      sorted(march.id, marchYear.id),
    );
    expect(matching([{ field: 'birthdayMonth', op: 'in', values: [3, 7] }])).toEqual(
      sorted(march.id, marchYear.id, july.id),
    );
    expect(matching([{ field: 'birthdayMonth', op: 'not-in', values: [3] }])).toEqual(
      sorted(july.id, unknown.id),
    );
  });

  it('wraps the coming days over the year end, in Lagos time', () => {
    const born = (birthday: string) => customer(`B${birthday.replace(/\D/g, '')}`, { birthday }).id;
    const dec27 = born('12-27');
    const dec28 = born('12-28');
    const dec31 = born('1985-12-31');
    const jan3 = born('01-03');
    const jan4 = born('2001-01-04');
    shop.clock.now = Date.parse('2026-12-28T08:00:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 7 }])).toEqual(sorted(dec28, dec31, jan3));
    expect(matching([{ field: 'birthdayWithin', days: 1 }])).toEqual([dec28]);
    // 23:30 UTC on 27 December is already the 28th in Lagos.
    shop.clock.now = Date.parse('2026-12-27T23:30:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 1 }])).toEqual([dec28]);
    shop.clock.now = Date.parse('2026-12-31T23:30:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 4 }])).toEqual(sorted(jan3, jan4));
    expect(matching([{ field: 'birthdayWithin', days: 366 }])).toEqual(
      sorted(dec27, dec28, dec31, jan3, jan4),
    );
  });

  it('keeps a 29 February birthday on the 28th in a year without one', () => {
    const leapling = customer('Leapling', { birthday: '2000-02-29' }).id;
    const march1 = customer('March', { birthday: '03-01' }).id;
    shop.clock.now = Date.parse('2027-02-28T09:00:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 1 }])).toEqual([leapling]);
    shop.clock.now = Date.parse('2027-03-01T09:00:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 7 }])).toEqual([march1]);
    shop.clock.now = Date.parse('2028-02-28T09:00:00Z');
    expect(matching([{ field: 'birthdayWithin', days: 1 }])).toEqual([]);
    expect(matching([{ field: 'birthdayWithin', days: 2 }])).toEqual([leapling]);
    expect(birthdayWindow(Date.parse('2027-02-26T09:00:00Z'), 3)).toEqual([
      '02-26',
      '02-27',
      '02-28',
      '02-29',
    ]);
  });
});

describe('consent and reach', () => {
  it('follows the latest answer: a later withdrawal takes the customer out', () => {
    const ada = customer('Ada', { consent: { sms: true, email: true }, email: 'ada@example.com' });
    const bola = customer('Bola', { consent: { sms: true, whatsapp: true } });
    customer('Chidi', { consent: { email: true } }); // consent but no address
    const sms: SegmentDefinition = {
      match: 'all',
      rules: [{ field: 'consent', channel: 'sms', granted: true }],
    };

    expect(matching(sms.rules)).toEqual(sorted(ada.id, bola.id));
    expect(segments.count({ match: 'all', rules: [] })).toMatchObject({
      matching: 3,
      reachable: { sms: 2, whatsapp: 1, email: 1 },
    });

    shop.clock.now += DAY;
    shop.customers.setConsent(
      { customerId: bola.id, channel: 'sms', granted: false, source: 'STOP reply', wording: 'STOP' },
      null,
    );
    expect(matching(sms.rules)).toEqual([ada.id]);
    expect(matching([{ field: 'consent', channel: 'sms', granted: false }])).toContain(bola.id);
    expect(segments.count({ match: 'all', rules: [] }).reachable.sms).toBe(1);
    const promotional = [...segments.recipients({ match: 'all', rules: [] }, 'sms', 'promotional')];
    expect(promotional.map((r) => r.customerId)).toEqual([ada.id]);
    // A receipt or an order notice needs no marketing consent.
    const transactional = [...segments.recipients({ match: 'all', rules: [] }, 'sms', 'transactional')];
    expect(transactional).toHaveLength(3);
  });

  it('gives each channel its address: WhatsApp number or phone, email only where there is one', () => {
    const ada = customer('Ada', {
      whatsapp: '0706 123 4567',
      email: 'ada@example.com',
      state: 'Lagos',
      birthday: '05-05',
      consent: { sms: true, whatsapp: true, email: true },
    });
    const bola = customer('Bola', { consent: { whatsapp: true } }, '0805 222 3333');
    const everyone: SegmentDefinition = { match: 'all', rules: [] };
    const byId = (channel: 'sms' | 'whatsapp' | 'email') =>
      new Map([...segments.recipients(everyone, channel, 'promotional')].map((r) => [r.customerId, r]));

    expect(byId('sms').get(ada.id)).toEqual({
      customerId: ada.id,
      displayName: 'Ada Eze',
      firstName: 'Ada',
      lastName: 'Eze',
      recipient: '+2348037000001',
      carrier: 'MTN',
      tier: 'bronze',
      points: 0,
      totalSpentKobo: 0,
      lastPurchaseAt: null,
      birthday: '05-05',
      state: 'Lagos',
    });
    const whatsapp = byId('whatsapp');
    expect(whatsapp.get(ada.id)).toMatchObject({ recipient: '+2347061234567', carrier: null });
    expect(whatsapp.get(bola.id)).toMatchObject({ recipient: '+2348052223333', carrier: 'Glo' });
    expect([...byId('email').values()].map((r) => r.recipient)).toEqual(['ada@example.com']);
  });

  it('streams a long list a page at a time, and the connection takes writes in between', () => {
    const sql = shop.db.sqlite;
    const insertCustomer = sql.prepare(
      `INSERT INTO customers (id, display_name, search_name, phone, phone_national, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'Lagos', 0, 0)`,
    );
    const insertStats = sql.prepare('INSERT INTO customer_stats (customer_id, consent_sms) VALUES (?, ?)');
    sql.transaction(() => {
      for (let i = 0; i < 4_500; i += 1) {
        const id = uuidv7();
        const national = `0813${String(i).padStart(7, '0')}`;
        insertCustomer.run(id, `Bulk ${i}`, `bulk ${i}`, `+234${national.slice(1)}`, national);
        insertStats.run(id, i % 3 === 0 ? 1 : 0);
      }
    })();
    const definition: SegmentDefinition = {
      match: 'all',
      rules: [{ field: 'state', op: 'in', values: ['Lagos'] }],
    };
    const mark = sql.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '1', 0)");
    const seen = new Set<string>();
    for (const recipient of segments.recipients(definition, 'sms', 'promotional')) {
      seen.add(recipient.customerId);
      if (seen.size % 500 === 0) mark.run(`bench-mark-${seen.size}`);
    }
    expect(seen.size).toBe(1_500);
    expect(segments.count(definition)).toMatchObject({ matching: 4_500, reachable: { sms: 1_500 } });
  });
});

describe('the book and the rules together', () => {
  it('joins rules with all or any; no rules is everyone in the book, never archived or merged', () => {
    const gold = customer('Gold', { state: 'Ogun' });
    const lagos = customer('Lagos', { state: 'Lagos' });
    const both = customer('Both', { state: 'Lagos' });
    const archived = customer('Archived', { state: 'Lagos' });
    const merged = customer('Merged', { state: 'Lagos' });
    shop.customers.archive(archived.id, true, null);
    shop.customers.merge(both.id, merged.id, null);
    stats(gold.id, { tier: 'gold' });
    stats(both.id, { tier: 'gold' });
    stats(archived.id, { tier: 'gold' });
    stats(merged.id, { tier: 'gold' });
    const rules: SegmentRule[] = [
      { field: 'tier', op: 'in', values: ['gold'] },
      { field: 'state', op: 'in', values: ['Lagos'] },
    ];

    expect(matching(rules, 'all')).toEqual([both.id]);
    expect(matching(rules, 'any')).toEqual(sorted(gold.id, lagos.id, both.id));
    expect(matching([])).toEqual(sorted(gold.id, lagos.id, both.id));
    expect(segments.count({ match: 'any', rules: [] }).matching).toBe(3);
  });

  it('pages members biggest spender first, with the total', () => {
    const spend = [5_000, 90_000, 1_000, 40_000];
    const ids = spend.map((kobo, i) => {
      const id = customer(`P${i}`).id;
      stats(id, { spent: kobo });
      return id;
    });
    const first = segments.members({ definition: { match: 'all', rules: [] } }, { offset: 0, limit: 2 });
    const second = segments.members({ definition: { match: 'all', rules: [] } }, { offset: 2, limit: 2 });
    expect(first.total).toBe(4);
    expect([...first.rows, ...second.rows].map((row) => row.customerId)).toEqual([
      ids[1],
      ids[3],
      ids[0],
      ids[2],
    ]);
    expect(first.rows[0]).toMatchObject({ totalSpentKobo: 90_000, consent: { sms: false } });
  });
});

describe('members of a narrow segment', () => {
  it('come in the same order whether the page walks the spend index or reads the book and sorts', () => {
    const lagos: { id: string; spent: number }[] = [];
    for (let i = 0; i < 36; i += 1) {
      const spent = ((i * 7_919) % 1_000) * 1_000;
      const id = customer(`N${i}`, i % 12 === 0 ? { state: 'Lagos' } : {}).id;
      stats(id, { spent });
      if (i % 12 === 0) lagos.push({ id, spent });
    }
    const bySpend = lagos.sort((a, b) => b.spent - a.spent).map((row) => row.id);
    const inLagos: SegmentDefinition = {
      match: 'all',
      rules: [{ field: 'state', op: 'in', values: ['Lagos'] }],
    };
    const big: SegmentDefinition = {
      match: 'all',
      rules: [{ field: 'totalSpent', op: 'at-least', value: 900_000 }],
    };
    // 3 of 36 match: a page of 2 walks about 24 index entries, a page of 500 would walk 6,000.
    const walked = segments.members({ definition: inLagos }, { offset: 0, limit: 2 });
    const sortedPage = segments.members({ definition: inLagos }, { offset: 0, limit: 500 });
    expect(walked.rows.map((row) => row.customerId)).toEqual(bySpend.slice(0, 2));
    expect(sortedPage.rows.map((row) => row.customerId)).toEqual(bySpend);
    expect(segments.members({ definition: inLagos }, { offset: 1, limit: 500 }).rows).toHaveLength(2);
    const bigSpenders = segments.members({ definition: big }, { offset: 0, limit: 500 });
    expect(bigSpenders.rows.map((row) => row.totalSpentKobo)).toEqual(
      [...bigSpenders.rows.map((row) => row.totalSpentKobo)].sort((a, b) => b - a),
    );
    expect(bigSpenders.total).toBe(segments.count(big).matching);
  });
});

describe('saved and ready-made segments', () => {
  it('seeds the four ready-made segments once, with their fixed rules and live counts', () => {
    const now = shop.clock.now;
    const whale = customer('Whale');
    const gold = customer('Gold');
    const lapsed = customer('Lapsed');
    const fresh = customer('Fresh', { birthday: '11-27' });
    stats(whale.id, { spent: 10_000_000, purchases: 3, last: now - DAY });
    stats(gold.id, { spent: 1_000, purchases: 1, last: now - DAY, tier: 'gold' });
    stats(lapsed.id, { spent: 50_000, purchases: 2, last: now - 61 * DAY });
    stats(fresh.id, { spent: 9_999_999, purchases: 1, last: now });
    shop.db.sqlite.prepare('UPDATE customers SET created_at = ? WHERE id <> ?').run(now - 40 * DAY, fresh.id);

    const list = segments.list();
    expect(list.map((segment) => [segment.ready, segment.name])).toEqual([
      ['high-value', 'High value'],
      ['lapsed', 'Lapsed (60 days)'],
      ['new-this-month', 'New this month'],
      ['birthdays-this-week', 'Birthdays this week'],
    ]);
    const counts: Record<string, number> = Object.fromEntries(
      list.map((segment) => [segment.ready ?? segment.id, segment.count.matching]),
    );
    expect(counts).toEqual({ 'high-value': 2, lapsed: 1, 'new-this-month': 1, 'birthdays-this-week': 1 });
    expect(list[0]?.definition).toEqual(READY_DEFINITIONS['high-value'].definition);
    expect(segments.list()).toHaveLength(4);
    expect(shop.db.sqlite.prepare('SELECT count(*) AS n FROM segments').get()).toEqual({ n: 4 });
    expect(segments.members({ segmentId: list[1]?.id ?? '' }, { offset: 0, limit: 10 }).rows).toEqual([
      expect.objectContaining({ customerId: lapsed.id }),
    ]);
  });

  it('refuses to delete or rewrite a ready-made segment', () => {
    const ready = segments.list()[0];
    if (ready === undefined) throw new Error('no ready-made segment');
    expect(() => segments.delete(ready.id)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: expect.stringMatching(/ready-made/) as unknown,
      }) as Error,
    );
    expect(() =>
      segments.save({ id: ready.id, name: 'Mine', definition: { match: 'all', rules: [] } }),
    ).toThrow(/ready-made/);
    expect(segments.list()).toHaveLength(4);
  });

  it('saves, edits and soft-deletes a segment, with an audit row for each', () => {
    const lagosian = customer('Lagosian', { state: 'Lagos' });
    customer('Other', { state: 'Kano' });
    const definition: SegmentDefinition = {
      match: 'all',
      rules: [{ field: 'state', op: 'in', values: ['Lagos'] }],
    };
    const saved = segments.save({ name: 'Lagos people', definition }, shop.owner.id);
    expect(saved).toMatchObject({ name: 'Lagos people', ready: null, count: { matching: 1 } });
    expect(shop.audit.list(1)[0]).toMatchObject({ action: 'segment.create', entityId: saved.id });
    expect(segments.definitionOf({ segmentId: saved.id })).toEqual(definition);
    expect(
      segments.members({ segmentId: saved.id }, { offset: 0, limit: 10 }).rows.map((r) => r.customerId),
    ).toEqual([lagosian.id]);
    expect(() => segments.save({ name: 'lagos PEOPLE', definition })).toThrow(/already a segment/);

    const edited = segments.save({
      id: saved.id,
      name: 'Lagos and Kano',
      definition: { match: 'all', rules: [{ field: 'state', op: 'in', values: ['Lagos', 'Kano'] }] },
    });
    expect(edited.count.matching).toBe(2);
    expect(shop.audit.list(1)[0]).toMatchObject({ action: 'segment.update', entityId: saved.id });
    expect(segments.list().map((segment) => segment.name)).toContain('Lagos and Kano');

    expect(segments.delete(saved.id, shop.owner.id)).toEqual({ deleted: true });
    expect(shop.audit.list(1)[0]).toMatchObject({ action: 'segment.delete', entityId: saved.id });
    expect(segments.list().map((segment) => segment.id)).not.toContain(saved.id);
    expect(shop.db.sqlite.prepare('SELECT deleted_at FROM segments WHERE id = ?').get(saved.id)).toEqual({
      deleted_at: expect.any(Number) as unknown,
    });
    expect(() => segments.definitionOf({ segmentId: saved.id })).toThrow(
      expect.objectContaining({
        code: 'not_found',
        message: expect.stringMatching(/was deleted/) as unknown,
      }) as Error,
    );
    expect(() => segments.definitionOf({ segmentId: uuidv7() })).toThrow(
      expect.objectContaining({ code: 'not_found' }) as Error,
    );
    expect(segments.definitionOf({ definition })).toEqual(definition);
    expect(shop.audit.verify().intact).toBe(true);
  });
});

// ── The segment book ─────────────────────────────────────────────────────────────────────────

interface SourceRow {
  id: string;
  first_name: string;
  last_name: string;
  display_name: string;
  phone: string;
  carrier: string | null;
  whatsapp: string | null;
  email: string;
  state: string | null;
  lga_city: string;
  tags: string;
  birthday: string | null;
  created_at: number;
  tier: string;
  total_spent_kobo: number;
  purchase_count: number;
  last_purchase_at: number | null;
  points_balance: number;
  consent_sms: number;
  consent_whatsapp: number;
  consent_email: number;
}

interface BookRow extends Omit<SourceRow, 'id' | 'consent_sms' | 'consent_whatsapp' | 'consent_email'> {
  pos: number;
  customer_id: string;
}

/**
 * What the book should hold, worked out here from customers and customer_stats (not by the
 * triggers' SQL): every listed customer once, texts that are the usual value kept as NULL, and a
 * position whose top bits are its reach (SMS, WhatsApp, email consent, an email address) and
 * state code.
 */
function expectedBook(sql: Database.Database): Map<string, Record<string, unknown>> {
  const rows = sql
    .prepare(
      `SELECT c.id, c.first_name, c.last_name, c.display_name, c.phone, c.carrier, c.whatsapp, c.email, c.state,
         c.lga_city, c.tags, c.birthday, c.created_at, s.tier, s.total_spent_kobo, s.purchase_count,
         s.last_purchase_at, s.points_balance, s.consent_sms, s.consent_whatsapp, s.consent_email
       FROM customers c JOIN customer_stats s ON s.customer_id = c.id WHERE s.listed = 1`,
    )
    .all() as SourceRow[];
  return new Map(
    rows.map((row) => {
      const whatsapp = row.whatsapp === null || row.whatsapp === '' ? row.phone : row.whatsapp;
      const reach =
        (row.consent_sms === 1 ? 1 : 0) |
        (row.consent_whatsapp === 1 ? 2 : 0) |
        (row.consent_email === 1 ? 4 : 0) |
        (row.email !== '' ? 8 : 0);
      const stateCode =
        row.state === null
          ? 0
          : NIGERIAN_STATES.indexOf(row.state as (typeof NIGERIAN_STATES)[number]) + 1 || 63;
      return [
        row.id,
        {
          reach,
          stateCode,
          state: row.state,
          lga_city: row.lga_city === '' ? null : row.lga_city,
          carrier: row.carrier,
          tags: row.tags === '[]' ? null : row.tags,
          birthday: row.birthday,
          created_at: row.created_at,
          tier: row.tier,
          total_spent_kobo: row.total_spent_kobo,
          purchase_count: row.purchase_count,
          last_purchase_at: row.last_purchase_at,
          points_balance: row.points_balance,
          first_name: row.first_name,
          last_name: row.last_name,
          display_name:
            row.display_name === `${row.first_name} ${row.last_name}`.trim() ? null : row.display_name,
          phone: row.phone,
          whatsapp: whatsapp === row.phone ? null : whatsapp,
          email: row.email === '' ? null : row.email,
        },
      ];
    }),
  );
}

function actualBook(sql: Database.Database): Map<string, Record<string, unknown>> {
  const rows = sql.prepare('SELECT * FROM segment_book').all() as BookRow[];
  return new Map(
    rows.map(({ pos, customer_id, ...row }) => [
      customer_id,
      { reach: Math.floor(pos / 2 ** 46), stateCode: Math.floor(pos / 2 ** 40) % 64, ...row },
    ]),
  );
}

function expectBookInStep(sql: Database.Database = shop.db.sqlite): void {
  const actual = actualBook(sql);
  expect(actual).toEqual(expectedBook(sql));
  expect(actual.size).toBeGreaterThan(0);
}

function promotionTo(channel: 'sms' | 'whatsapp' | 'email', definition: SegmentDefinition = everyone) {
  return [...segments.recipients(definition, channel, 'promotional')].map((r) => r.customerId).sort();
}

const everyone: SegmentDefinition = { match: 'all', rules: [] };

describe('the segment book', () => {
  it('numbers the states as shared/states.ts lists them', () => {
    expect(shop.db.sqlite.prepare('SELECT code, state FROM segment_state_codes ORDER BY code').all()).toEqual(
      NIGERIAN_STATES.map((state, i) => ({ code: i + 1, state })),
    );
  });

  it('follows a customer from creation through edits, consent, sales and refunds', () => {
    const ada = customer('Ada', {
      whatsapp: '0706 123 4567',
      email: 'ada@example.com',
      state: 'Lagos',
      lgaCity: 'Lekki Phase 1',
      tags: ['vip'],
      birthday: '1990-03-02',
      consent: { sms: true, email: true },
    });
    const bola = customer('Bola', { state: 'Kano' }, '0805 222 3333');
    customer('Chidi');
    expectBookInStep();

    editCustomer(shop, ada.id, {
      firstName: 'Adaeze',
      whatsapp: '',
      email: '',
      state: 'Ogun',
      lgaCity: '',
      tags: [],
      birthday: '07-01',
      displayName: 'Mama Ada',
    });
    editCustomer(shop, bola.id, { phone: '0803 222 4444', whatsapp: '0810 000 0001', tags: ['church'] });
    expectBookInStep();
    expect(
      segments.count({ match: 'all', rules: [{ field: 'state', op: 'in', values: ['Ogun'] }] }),
    ).toMatchObject({
      matching: 1,
      reachable: { sms: 1, email: 0 },
    });

    shop.clock.now += DAY;
    shop.customers.setConsent(
      { customerId: ada.id, channel: 'sms', granted: false, source: 'STOP', wording: 'STOP' },
      null,
    );
    shop.customers.setConsent(
      { customerId: bola.id, channel: 'whatsapp', granted: true, source: 'counter', wording: 'Yes' },
      null,
    );
    expectBookInStep();
    expect(promotionTo('sms')).toEqual([]);
    expect(promotionTo('whatsapp')).toEqual([bola.id]);

    const sale = sell(bola.id, 25_000);
    sell(bola.id, 5_000);
    expectBookInStep();
    shop.sales.refund(
      {
        saleId: sale.id,
        kind: 'refund',
        lines: [],
        method: 'cash',
        reason: 'Wrong size',
        approverPin: MANAGER_PIN,
      },
      shop.cashier,
    );
    expectBookInStep();
    expect(matching([{ field: 'totalSpent', op: 'at-least', value: 500_000 }])).toEqual([bola.id]);

    // Writes straight to the tables (as the tests above and older code paths do) are followed too.
    stats(ada.id, { spent: 9_000_000, tier: 'gold', last: shop.clock.now - 90 * DAY });
    shop.db.sqlite.prepare('UPDATE customers SET created_at = ? WHERE id = ?').run(0, bola.id);
    expectBookInStep();
  });

  it('drops archived and merged customers, and takes an unarchived one back', () => {
    const keep = customer('Keep', { state: 'Lagos', consent: { sms: true } });
    const gone = customer('Gone', { email: 'gone@example.com', tags: ['market'], consent: { email: true } });
    const shelved = customer('Shelved', { consent: { sms: true } });
    sell(gone.id, 3_000);
    shop.customers.archive(shelved.id, true, null);
    expectBookInStep();
    expect(promotionTo('sms')).toEqual([keep.id]);

    shop.customers.archive(shelved.id, false, null);
    expectBookInStep();
    expect(promotionTo('sms')).toEqual(sorted(keep.id, shelved.id));

    shop.clock.now += DAY;
    shop.customers.merge(keep.id, gone.id, null);
    expectBookInStep();
    expect(actualBook(shop.db.sqlite).has(gone.id)).toBe(false);
    // The kept customer took the merged one's email, tags, consent and sales.
    expect(promotionTo('email')).toEqual([keep.id]);
    expect(matching([{ field: 'tags', op: 'has-any', values: ['market'] }])).toEqual([keep.id]);
    expect(segments.count(everyone)).toMatchObject({ matching: 2 });
  });

  it('takes in an imported book', async () => {
    const csv = [
      'First Name,Last Name,Phone,State,Email,Tags,SMS',
      'Ada,Obi,0803 111 0001,Lagos,ada@example.com,vip;church,yes',
      'Bola,Ade,0805 111 0002,Oyo,,,no',
      'Chi,Eze,0803 999 0000,,,,',
    ].join('\r\n');
    const report = await shop.customerCsv.import(
      {
        csv,
        hasHeader: true,
        taskId: 't',
        mapping: { firstName: 0, lastName: 1, phone: 2, state: 3, email: 4, tags: 5, smsConsent: 6 },
      },
      null,
      () => undefined,
    );
    expect(report.imported).toBe(3);
    expectBookInStep();
    expect(promotionTo('sms')).toHaveLength(1);
  });

  it('follows what sync brings from another counter', () => {
    const other = openTestShop();
    try {
      const there = (phone: string, name: string, extra: Record<string, unknown> = {}) =>
        newCustomer(other, phone, name, extra);
      const ngozi = there('0803 555 0001', 'Ngozi', { state: 'Lagos', consent: { sms: true } });
      const emeka = there('0805 555 0002', 'Emeka', { email: 'emeka@example.com', consent: { email: true } });
      const tunde = there('0803 555 0003', 'Tunde', { state: 'Oyo' });
      const rice = newProduct(other, 'Rice', 40_000);
      other.sales.record(
        {
          saleId: uuidv7(),
          lines: [{ productId: rice.id, quantity: 1, discountKobo: 0 }],
          customerId: ngozi.id,
          payments: [{ method: 'cash', amountKobo: 4_000_000, reference: '' }],
        },
        other.cashier,
      );
      handOver(other, shop);
      expectBookInStep();
      expect(promotionTo('sms')).toEqual([ngozi.id]);
      expect(matching([{ field: 'totalSpent', op: 'at-least', value: 4_000_000 }])).toEqual([ngozi.id]);

      other.clock.now = shop.clock.now + DAY;
      editCustomer(other, tunde.id, { state: 'Lagos', lgaCity: 'Ikoyi', tags: ['vip'] });
      other.customers.setConsent(
        { customerId: ngozi.id, channel: 'sms', granted: false, source: 'STOP', wording: 'STOP' },
        null,
      );
      other.customers.archive(emeka.id, true, null);
      handOver(other, shop);
      expectBookInStep();
      expect(promotionTo('sms')).toEqual([]);
      expect(promotionTo('email')).toEqual([]);
      expect(matching([{ field: 'zone', op: 'in', values: ['lagos-island'] }])).toEqual([tunde.id]);

      other.clock.now += DAY;
      other.customers.archive(emeka.id, false, null);
      other.customers.merge(tunde.id, emeka.id, null);
      handOver(other, shop);
      expectBookInStep();
      expect(promotionTo('email')).toEqual([tunde.id]);
      expect(segments.count(everyone).matching).toBe(2);
    } finally {
      other.close();
    }
  });

  it('is built by the migration from a book that was already there', () => {
    const scratch = tempDir('kasuwa-segment-book-');
    const sql = new Database(path.join(scratch.dir, 'shop.db'));
    try {
      const before = migrations.findIndex((migration) => migration.tag.startsWith('0013_'));
      applyMigrations(sql, migrations.slice(0, before));
      const insertCustomer = sql.prepare(
        `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
           whatsapp, email, state, lga_city, tags, birthday, archived_at, merged_into_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, '', ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      );
      const insertStats = sql.prepare(
        `INSERT INTO customer_stats (customer_id, total_spent_kobo, purchase_count, last_purchase_at, points_balance,
           tier, listed, consent_sms, consent_whatsapp, consent_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const rows: [string, string | null, string, string, number][] = [
        ['Lagos', 'Lekki', '["vip"]', 'a@example.com', 1],
        ['Kano', null, '[]', '', 1],
        ['Atlantis', '', '[]', '', 1],
        ['Lagos', 'Yaba', '[]', 'd@example.com', 0],
        ['Ogun', 'Abeokuta', '["market","church"]', '', -1],
      ];
      rows.forEach(([state, lga, tags, email, listed], i) => {
        const id = uuidv7(i);
        insertCustomer.run(
          id,
          `F${i}`,
          `L${i}`,
          i === 2 ? 'Shop Two' : `F${i} L${i}`,
          `+23480300000${i}`,
          'MTN',
          i === 1 ? '+2347060000001' : null,
          email,
          i === 4 ? null : state,
          lga ?? '',
          tags,
          i % 2 === 0 ? '1990-05-0' + String(i + 1) : null,
          listed === 0 ? 5 : null,
          null,
          i * 1_000,
        );
        insertStats.run(
          id,
          i * 100_000,
          i,
          i === 0 ? null : i * 50,
          i * 10,
          i > 2 ? 'gold' : 'bronze',
          listed,
          i % 2,
          i === 1 ? 1 : 0,
          i === 0 ? 1 : 0,
        );
      });
      applyMigrations(sql, migrations);
      expectBookInStep(sql);
      expect(actualBook(sql).size).toBe(3);
    } finally {
      sql.close();
      scratch.remove();
    }
  });
});

/** What `from` queued since the last hand-over, marked as sent. */
function queued(from: TestShop) {
  const batch = from.sync.engine.outgoing(from.outbox.nextBatch(100_000));
  from.db.sqlite.transaction(() => {
    for (const mutation of batch) from.outbox.settle(mutation.seq, 'applied');
  })();
  return batch.map((m) => ({
    entity: m.entity,
    entityId: m.entityId,
    op: m.op,
    data: JSON.parse(m.payload) as unknown,
  }));
}

/** Hands `from`'s queued changes to `to` in one transaction, as a pulled page would. */
function handOver(from: TestShop, to: TestShop): void {
  const changes = queued(from);
  to.db.sqlite.transaction(() => {
    for (const change of changes) to.sync.applier.apply(change);
  })();
}
