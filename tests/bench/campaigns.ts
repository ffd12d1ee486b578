/**
 * Campaign figures on a book of 1,000,000 customers (encrypted like the real thing):
 *  - segment_1m_ms: a realistic segment (lapsed 60 days, SMS consent, in Lagos or Ogun) counted
 *    and its whole SMS recipient list walked, as sending a campaign does; median of five runs.
 *
 * The book is written with bulk SQL straight into customers and the customer_stats projection
 * (spend, purchases, tier, consent), spread the way a busy shop's is: most customers in Lagos,
 * a third never or rarely back, consent for about half. No sales ledger: segments read only the
 * segment book, which its triggers fill from those rows as they go in (a book kept from before
 * migration 0013 gets it from the migration, as a shop's does). It is kept between runs under the
 * system temp folder.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { SegmentEngine } from '../../main/services/campaigns/segment-engine';
import type { SegmentDefinition } from '../../shared/contract';
import { LAGOS_LGAS } from '../../shared/delivery-zones';
import { uuidv7 } from '../../shared/ids';
import { benchFirstNames } from './counter-data';
import { percentile, progress, round, type Figures } from './figures';

const CUSTOMERS = 1_000_000;
const DATASET_VERSION = '1';
const KEY = Buffer.alloc(32, 0x5e);
const DAY = 86_400_000;

const LAST = [
  'Okafor',
  'Adeyemi',
  'Bello',
  'Eze',
  'Ibrahim',
  'Okonkwo',
  'Balogun',
  'Nwosu',
  'Abubakar',
  'Obi',
];
/** Where a Lagos shop's customers live: most of them in Lagos, the rest spread over the country. */
const STATES: [string, number][] = [
  ['Lagos', 40],
  ['Ogun', 10],
  ['Oyo', 6],
  ['FCT', 6],
  ['Rivers', 5],
  ['Kano', 4],
  ['Enugu', 3],
  ['Anambra', 3],
  ['Delta', 3],
  ['Edo', 3],
  ['Kaduna', 3],
  ['Osun', 2],
  ['Ondo', 2],
  ['Imo', 2],
  ['Kwara', 2],
  ['Plateau', 1],
  ['Akwa Ibom', 1],
  ['Borno', 1],
  ['Sokoto', 1],
];
const LAGOS_PLACES = [
  ...LAGOS_LGAS.map((lga) => lga.name),
  'Lekki Phase 1',
  'Yaba',
  'Ajah',
  'Ikoyi',
  'Gbagada',
];
/** Prefixes by network, weighted like the market (MTN about half). */
const PREFIXES: [string, string, number][] = [
  ['0803', 'MTN', 20],
  ['0806', 'MTN', 15],
  ['0813', 'MTN', 15],
  ['0802', 'Airtel', 12],
  ['0808', 'Airtel', 13],
  ['0805', 'Glo', 10],
  ['0807', 'Glo', 5],
  ['0809', '9mobile', 5],
  ['0817', '9mobile', 5],
];
const TAGS = [
  '[]',
  '[]',
  '[]',
  '["vip"]',
  '["wholesale"]',
  '["church"]',
  '["market","wholesale"]',
  '["staff"]',
];

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function weighted<T extends unknown[]>(table: T[], weight: (row: T) => number): (r: number) => T {
  const total = table.reduce((sum, row) => sum + weight(row), 0);
  return (r) => {
    let left = r * total;
    for (const row of table) {
      left -= weight(row);
      if (left < 0) return row;
    }
    return table[table.length - 1] as T;
  };
}

function tierOf(spent: number): string {
  if (spent >= 50_000_000) return 'platinum';
  if (spent >= 20_000_000) return 'gold';
  if (spent >= 5_000_000) return 'silver';
  return 'bronze';
}

function generate(db: ShopDatabase, now: number): void {
  const sql = db.sqlite;
  const random = lcg(2024);
  const first = benchFirstNames();
  const state = weighted(STATES, (row) => row[1]);
  const prefix = weighted(PREFIXES, (row) => row[2]);
  const insertCustomer = sql.prepare(
    `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
       whatsapp, email, state, lga_city, tags, birthday, archived_at, merged_into_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStats = sql.prepare(
    `INSERT INTO customer_stats (customer_id, total_spent_kobo, purchase_count, last_purchase_at, points_balance,
       tier, listed, consent_sms, consent_whatsapp, consent_email)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const threeYearsAgo = now - 3 * 365 * DAY;
  const chunk = 50_000;
  let previousId: string | null = null;
  for (let start = 0; start < CUSTOMERS; start += chunk) {
    sql.transaction(() => {
      for (let i = start; i < Math.min(CUSTOMERS, start + chunk); i += 1) {
        const createdAt = Math.floor(threeYearsAgo + (i / CUSTOMERS) * 3 * 365 * DAY);
        const id = uuidv7(createdAt);
        const firstName = first[Math.floor(random() * first.length)] ?? 'Ada';
        const lastName = LAST[Math.floor(random() * LAST.length)] ?? 'Obi';
        const [pre, carrier] = prefix(random());
        const national = `${pre}${String((i * 7_919 + 1_234_567) % 10_000_000).padStart(7, '0')}`;
        const e164 = `+234${national.slice(1)}`;
        const whatsapp = random() < 0.1 ? `+2347${String(i).padStart(9, '0')}` : e164;
        const [where] = state(random());
        const lgaCity =
          where === 'Lagos' ? (LAGOS_PLACES[Math.floor(random() * LAGOS_PLACES.length)] ?? '') : '';
        const email = random() < 0.3 ? `customer${i}@example.com` : '';
        const birthdayRoll = random();
        const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
        const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
        const birthday =
          birthdayRoll < 0.3
            ? `${month}-${day}`
            : birthdayRoll < 0.6
              ? `${1960 + (i % 45)}-${month}-${day}`
              : null;
        const fate = random();
        const merged = fate < 0.01 && previousId !== null;
        const archived = merged || fate < 0.03;
        const name = `${firstName} ${lastName}`;
        insertCustomer.run(
          id,
          firstName,
          lastName,
          name,
          name.toLowerCase(),
          e164,
          national,
          carrier,
          whatsapp,
          email,
          where,
          lgaCity,
          TAGS[Math.floor(random() * TAGS.length)] ?? '[]',
          birthday,
          archived ? now - DAY : null,
          merged ? previousId : null,
          createdAt,
          createdAt,
        );
        // A third never came back after joining, most buy now and then, a few are regulars.
        const habit = random();
        const purchases =
          habit < 0.25 ? 0 : habit < 0.9 ? 1 + Math.floor(random() * 8) : 10 + Math.floor(random() * 90);
        const spent =
          purchases === 0 ? 0 : Math.floor(purchases * (200_000 + random() * random() * 5_000_000));
        const lastPurchaseAt =
          purchases === 0 ? null : Math.floor(now - random() ** 2 * Math.min(now - createdAt, 720 * DAY));
        const consent = random();
        insertStats.run(
          id,
          spent,
          purchases,
          lastPurchaseAt,
          Math.floor(spent / 10_000),
          tierOf(spent),
          merged ? -1 : archived ? 0 : 1,
          consent < 0.55 ? 1 : 0,
          consent < 0.4 ? 1 : 0,
          consent < 0.15 && email !== '' ? 1 : 0,
        );
        previousId = id;
      }
    })();
    progress(`campaigns: customers ${Math.min(CUSTOMERS, start + chunk).toLocaleString('en-NG')}`);
  }
  sql.pragma('wal_checkpoint(TRUNCATE)');
  sql.exec('ANALYZE');
}

function openSegmentShop(now: number): ShopDatabase {
  const dataDir = path.join(os.tmpdir(), 'kasuwa-bench-segments-1m');
  const file = path.join(dataDir, 'kasuwa.db');
  const marker = path.join(dataDir, 'dataset-version');
  const migrations = loadMigrations(path.resolve('migrations'));
  if (existsSync(marker) && readFileSync(marker, 'utf8').split(':')[0] === DATASET_VERSION) {
    progress('campaigns: reusing the 1M-customer book');
    return openShopDatabase(file, { key: KEY, create: false, migrations });
  }
  progress('campaigns: building the 1M-customer book (once)');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const db = openShopDatabase(file, { key: KEY, create: true, migrations });
  generate(db, now);
  writeFileSync(marker, `${DATASET_VERSION}:${migrations.length}`);
  return db;
}

/** The whole measurement is synchronous (better-sqlite3); the promise fits the other groups. */
export function segmentFigures(): Promise<Figures> {
  return Promise.resolve().then(measure);
}

function measure(): Figures {
  const db = openSegmentShop(Date.now());
  try {
    const engine = new SegmentEngine({ db, now: Date.now });
    const lapsedLagosSms: SegmentDefinition = {
      match: 'all',
      rules: [
        { field: 'lastPurchase', op: 'more-than', days: 60 },
        { field: 'consent', channel: 'sms', granted: true },
        { field: 'state', op: 'in', values: ['Lagos', 'Ogun'] },
      ],
    };
    const run = () => {
      const started = performance.now();
      const count = engine.countSegment(lapsedLagosSms);
      let recipients = 0;
      for (const recipient of engine.recipients(lapsedLagosSms, 'sms', 'promotional')) {
        if (recipient.recipient !== '') recipients += 1;
      }
      return { ms: performance.now() - started, matching: count.matching, recipients };
    };
    progress('campaigns: counting and listing a segment of the 1M book');
    const warm = run();
    progress(
      `campaigns: ${warm.matching.toLocaleString('en-NG')} match, ${warm.recipients.toLocaleString('en-NG')} SMS recipients`,
    );
    const samples: number[] = [];
    for (let i = 0; i < 5; i += 1) samples.push(run().ms);
    return {
      segment_1m_ms: { value: round(percentile(samples, 50), 1), unit: 'ms', better: 'lower', target: 1000 },
    };
  } finally {
    db.close();
  }
}
