/**
 * What "two counters hold the same shop" means in the sync tests: the same customers (every
 * synced field, notes and preferences), products, staff, sales with their lines and payments,
 * refunds, consents, points and stock, and the totals derived from them. Local-only things
 * (audit chains, receipt sequences, the outbox) are left out: they differ by design.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export interface ShopState {
  business: unknown[];
  customers: unknown[];
  products: unknown[];
  staff: unknown[];
  sales: unknown[];
  refunds: unknown[];
  consents: unknown[];
  points: unknown[];
  stock: unknown[];
  totals: unknown[];
}

export function shopState(sql: Database.Database): ShopState {
  const all = (query: string) => sql.prepare(query).all();
  return {
    business: all('SELECT name, state, phone, address, email FROM business_profile'),
    customers: all(
      `SELECT id, first_name, last_name, display_name, phone, whatsapp, email, address, state, lga_city, kind, tags,
         birthday, archived_at IS NOT NULL AS archived, merged_into_id, notes, preferences
       FROM customers ORDER BY id`,
    ),
    products: all(
      `SELECT id, name, sku, barcode, price_kobo, cost_kobo, category, low_stock_threshold, archived_at IS NOT NULL AS archived
       FROM products ORDER BY id`,
    ),
    staff: all('SELECT id, name, role, pin_hash, active FROM staff ORDER BY id'),
    sales: all(
      `SELECT s.id, s.receipt_number, s.customer_id, s.staff_id, s.total_kobo, s.discount_kobo, s.points_earned,
         (SELECT group_concat(l.id || ':' || coalesce(l.product_id, '') || ':' || l.quantity || ':' || l.total_kobo, ',')
            FROM (SELECT * FROM sale_lines WHERE sale_id = s.id ORDER BY line_no) l) AS lines,
         (SELECT group_concat(p.method || ':' || p.amount_kobo, ',')
            FROM (SELECT * FROM sale_payments WHERE sale_id = s.id ORDER BY id) p) AS payments
       FROM sales s ORDER BY s.id`,
    ),
    refunds: all('SELECT id, sale_id, kind, amount_kobo, method FROM refunds ORDER BY id'),
    consents: all('SELECT id, customer_id, channel, granted, source FROM customer_consents ORDER BY id'),
    points: all('SELECT id, customer_id, delta, kind FROM points_ledger ORDER BY id'),
    stock: all(
      `SELECT p.id, st.quantity, (SELECT coalesce(sum(quantity), 0) FROM stock_moves m WHERE m.product_id = p.id) AS moved
       FROM products p LEFT JOIN product_stock st ON st.product_id = p.id ORDER BY p.id`,
    ),
    totals: all(
      `SELECT customer_id, total_spent_kobo, purchase_count, points_balance, tier, listed
       FROM customer_stats ORDER BY customer_id`,
    ),
  };
}
