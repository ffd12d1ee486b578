/**
 * A busy shop's database for the counter figures: 1,000,000 customers and 1,000,000 sales
 * over the last year (with lines and payments), encrypted like the real thing and locked with
 * a passphrase so the browser host can open it too. Written with bulk SQL (the services would
 * take hours for a million sales); it is kept between runs under the system temp folder.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPassphraseKey, unlockWithPassphrase } from '../../main/db/database-key';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { hashPin } from '../../main/services/staff/pin';
import { uuidv7 } from '../../shared/ids';
import { progress } from './figures';

export const BENCH_PASSPHRASE = 'kasuwa-bench-passphrase';
export const OWNER_PIN = '1357';
export const CUSTOMERS = 1_000_000;
export const SALES = 1_000_000;
const DATASET_VERSION = '1';

const FIRST = [
  'Ada',
  'Chinedu',
  'Ngozi',
  'Emeka',
  'Fatima',
  'Musa',
  'Aisha',
  'Tunde',
  'Bola',
  'Ifeoma',
  'Yusuf',
  'Kemi',
  'Segun',
  'Halima',
  'Obinna',
  'Zainab',
  'Femi',
  'Amaka',
  'Ibrahim',
  'Funke',
];
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
  'Olawale',
  'Uche',
  'Danjuma',
  'Ogunleye',
  'Obi',
  'Lawal',
  'Mohammed',
  'Ajayi',
  'Chukwu',
  'Sani',
  'Afolabi',
];
const PREFIXES = [
  '0803',
  '0806',
  '0813',
  '0816',
  '0703',
  '0706',
  '0903',
  '0802',
  '0808',
  '0812',
  '0701',
  '0708',
  '0902',
  '0805',
  '0807',
  '0815',
  '0705',
  '0809',
  '0817',
  '0818',
];
const TAGS = ['[]', '["vip"]', '["wholesale"]', '["church"]', '["market"]', '[]', '[]'];
const STATES = ['Lagos', 'Lagos', 'Lagos', 'Ogun', 'Oyo', 'FCT', 'Rivers', 'Kano', 'Enugu', 'Anambra'];
const METHODS = ['cash', 'cash', 'transfer', 'transfer', 'card', 'ussd'];

/** A deterministic pseudo-random sequence, so every run builds the same shop. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function benchPhone(i: number): string {
  // Spread a customer index over 20 prefixes × 10 million numbers, unique for every i.
  const prefix = PREFIXES[i % PREFIXES.length] ?? '0803';
  const rest = String((Math.floor(i / PREFIXES.length) * 7_919 + 1_234_567) % 10_000_000).padStart(7, '0');
  return `${prefix}${rest}`;
}

export function benchFirstNames(): readonly string[] {
  return FIRST;
}

export interface BenchShop {
  dataDir: string;
  db: ShopDatabase;
  productIds: string[];
  customerIds: (i: number) => string;
}

function generate(db: ShopDatabase, now: number): void {
  const shop = createShopServices(db, () => now);
  shop.business.setup({
    business: {
      name: 'Bench Superstore',
      state: 'Lagos',
      phone: '08031234567',
      address: 'Balogun Market',
      email: '',
    },
    ownerName: 'Bench Owner',
    pin: OWNER_PIN,
  });
  const sql = db.sqlite;
  const staffIds = [(sql.prepare("SELECT id FROM staff WHERE role = 'owner'").get() as { id: string }).id];
  const insertStaff = sql.prepare(
    "INSERT INTO staff (id, name, role, pin_hash, active, created_at, updated_at) VALUES (?, ?, 'cashier', ?, 1, ?, ?)",
  );
  for (let i = 0; i < 4; i += 1) {
    const id = uuidv7(now);
    insertStaff.run(id, `Cashier ${i + 1}`, hashPin(`90${i}0`), now, now);
    staffIds.push(id);
  }

  const productIds: string[] = [];
  const prices: number[] = [];
  const insertProduct = sql.prepare(
    `INSERT INTO products (id, name, search_name, sku, barcode, price_kobo, cost_kobo, category, low_stock_threshold, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'Provisions', 5, ?, ?)`,
  );
  const insertStock = sql.prepare('INSERT INTO product_stock (product_id, quantity) VALUES (?, 1000000)');
  sql.transaction(() => {
    for (let i = 0; i < 500; i += 1) {
      const id = uuidv7(now);
      const price = (50 + ((i * 37) % 950)) * 1000;
      insertProduct.run(
        id,
        `Product ${i}`,
        `product ${i}`,
        `SKU${i}`,
        `600${String(i).padStart(9, '0')}`,
        price,
        Math.floor(price * 0.7),
        now,
        now,
      );
      insertStock.run(id);
      productIds.push(id);
      prices.push(price);
    }
  })();

  const random = lcg(42);
  const yearAgo = now - 365 * 86_400_000;
  const insertCustomer = sql.prepare(
    `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier, whatsapp, state, tags, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'MTN', ?, ?, ?, ?, ?)`,
  );
  const customerIds: string[] = new Array<string>(CUSTOMERS);
  for (let start = 0; start < CUSTOMERS; start += 50_000) {
    sql.transaction(() => {
      for (let i = start; i < Math.min(CUSTOMERS, start + 50_000); i += 1) {
        const id = uuidv7(yearAgo + i);
        customerIds[i] = id;
        const first = FIRST[Math.floor(random() * FIRST.length)] ?? 'Ada';
        const last = LAST[Math.floor(random() * LAST.length)] ?? 'Okafor';
        const national = benchPhone(i);
        const e164 = `+234${national.slice(1)}`;
        const name = `${first} ${last}`;
        insertCustomer.run(
          id,
          first,
          last,
          name,
          name.toLowerCase(),
          e164,
          national,
          e164,
          STATES[i % STATES.length] ?? 'Lagos',
          TAGS[i % TAGS.length] ?? '[]',
          yearAgo + i,
          yearAgo + i,
        );
      }
    })();
    progress(`customers ${Math.min(CUSTOMERS, start + 50_000).toLocaleString('en-NG')}`);
  }

  const insertSale = sql.prepare(
    `INSERT INTO sales (id, receipt_number, device_id, customer_id, staff_id, subtotal_kobo, discount_kobo, total_kobo, points_earned, created_at)
     VALUES (?, ?, 'bench-device', ?, ?, ?, 0, ?, ?, ?)`,
  );
  const insertLine = sql.prepare(
    `INSERT INTO sale_lines (id, sale_id, line_no, product_id, name, unit_price_kobo, quantity, discount_kobo, total_kobo)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const insertPayment = sql.prepare(
    `INSERT INTO sale_payments (id, sale_id, method, amount_kobo, tendered_kobo, change_kobo, created_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)`,
  );
  const step = (now - yearAgo) / SALES;
  for (let start = 0; start < SALES; start += 50_000) {
    sql.transaction(() => {
      for (let i = start; i < Math.min(SALES, start + 50_000); i += 1) {
        const at = Math.floor(yearAgo + i * step);
        const saleId = uuidv7(at);
        const lineCount = 1 + Math.floor(random() * 3);
        let total = 0;
        const lines: [number, number][] = [];
        for (let l = 0; l < lineCount; l += 1) {
          const p = Math.floor(random() * productIds.length);
          const quantity = 1 + Math.floor(random() * 3);
          lines.push([p, quantity]);
          total += (prices[p] ?? 0) * quantity;
        }
        const customer = random() < 0.7 ? (customerIds[Math.floor(random() * CUSTOMERS)] ?? null) : null;
        insertSale.run(
          saleId,
          `BNCH-${String(i + 1).padStart(7, '0')}`,
          customer,
          staffIds[i % staffIds.length] ?? staffIds[0],
          total,
          total,
          Math.floor(total / 10_000),
          at,
        );
        lines.forEach(([p, quantity], l) => {
          insertLine.run(
            uuidv7(at),
            saleId,
            l + 1,
            productIds[p],
            `Product ${p}`,
            prices[p],
            quantity,
            (prices[p] ?? 0) * quantity,
          );
        });
        const method = METHODS[Math.floor(random() * METHODS.length)] ?? 'cash';
        if (random() < 0.25 && total > 1000) {
          const part = Math.floor(total / 2);
          insertPayment.run(uuidv7(at), saleId, 'cash', part, part, at);
          insertPayment.run(uuidv7(at), saleId, 'transfer', total - part, null, at);
        } else {
          insertPayment.run(uuidv7(at), saleId, method, total, method === 'cash' ? total : null, at);
        }
      }
    })();
    progress(`sales ${Math.min(SALES, start + 50_000).toLocaleString('en-NG')}`);
  }

  progress('customer totals');
  sql.exec(`
    INSERT INTO customer_stats (customer_id, total_spent_kobo, purchase_count, last_purchase_at, points_balance, tier)
    SELECT c.id, coalesce(s.spent, 0), coalesce(s.n, 0), s.last, coalesce(s.points, 0),
      CASE WHEN coalesce(s.spent, 0) >= 50000000 THEN 'platinum' WHEN coalesce(s.spent, 0) >= 20000000 THEN 'gold'
           WHEN coalesce(s.spent, 0) >= 5000000 THEN 'silver' ELSE 'bronze' END
    FROM customers c LEFT JOIN (
      SELECT customer_id, sum(total_kobo) AS spent, count(*) AS n, max(created_at) AS last, sum(points_earned) AS points
      FROM sales WHERE customer_id IS NOT NULL GROUP BY customer_id
    ) s ON s.customer_id = c.id`);
  sql.exec(`INSERT INTO points_ledger (id, customer_id, delta, kind, created_at)
    SELECT 'bench-' || customer_id, customer_id, points_balance, 'adjust', ${now} FROM customer_stats WHERE points_balance > 0`);
  sql.pragma('wal_checkpoint(TRUNCATE)');
  sql.exec('ANALYZE');
}

/** Opens (building it first if needed) the 1M/1M shop. */
export async function openBenchShop(now: number): Promise<BenchShop> {
  const dataDir = path.join(os.tmpdir(), 'kasuwa-bench-1m');
  const marker = path.join(dataDir, 'dataset-version');
  const migrations = loadMigrations(path.resolve('migrations'));
  // Newer migrations are applied to the kept database when it opens, like any shop's.
  const ready = existsSync(marker) && readFileSync(marker, 'utf8').split(':')[0] === DATASET_VERSION;
  let db: ShopDatabase;
  if (ready) {
    progress('reusing the 1M customers / 1M sales database');
    const key = await unlockWithPassphrase(dataDir, BENCH_PASSPHRASE);
    db = openShopDatabase(path.join(dataDir, 'kasuwa.db'), { key, create: false, migrations });
  } else {
    progress('building the 1M customers / 1M sales database (once; a few minutes)');
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const key = await createPassphraseKey(dataDir, BENCH_PASSPHRASE);
    db = openShopDatabase(path.join(dataDir, 'kasuwa.db'), { key, create: true, migrations });
    generate(db, now);
    writeFileSync(marker, `${DATASET_VERSION}:${migrations.length}`);
  }
  const productIds = (db.sqlite.prepare('SELECT id FROM products ORDER BY id').all() as { id: string }[]).map(
    (r) => r.id,
  );
  const byIndex = db.sqlite.prepare('SELECT id FROM customers WHERE phone_national = ?');
  return {
    dataDir,
    db,
    productIds,
    customerIds: (i) => (byIndex.get(benchPhone(i)) as { id: string }).id,
  };
}
