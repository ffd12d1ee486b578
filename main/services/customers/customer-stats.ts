/**
 * The customer_stats projection: lifetime spend, purchases, last purchase, points and tier,
 * derived from the sales, refunds and points ledgers. Writers update it in the same
 * transaction as the ledger rows; `recompute` rebuilds one customer from the ledgers alone
 * (after a merge, or to repair).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { LoyaltyRules, Tier } from '../../../shared/contract';
import { tierForSpend } from '../loyalty/loyalty-rules';

export interface CustomerStatsRow {
  totalSpentKobo: number;
  purchaseCount: number;
  lastPurchaseAt: number | null;
  pointsBalance: number;
  tier: Tier;
}

export class CustomerStats {
  private readonly ensureRow: Database.Statement<[string]>;
  private readonly read: Database.Statement<[string], CustomerStatsRow>;
  private readonly write: Database.Statement<CustomerStatsRow & { customerId: string }>;

  constructor(private readonly db: Database.Database) {
    this.ensureRow = db.prepare('INSERT OR IGNORE INTO customer_stats (customer_id) VALUES (?)');
    this.read = db.prepare(
      `SELECT total_spent_kobo AS totalSpentKobo, purchase_count AS purchaseCount,
              last_purchase_at AS lastPurchaseAt, points_balance AS pointsBalance, tier
       FROM customer_stats WHERE customer_id = ?`,
    );
    this.write = db.prepare(
      `UPDATE customer_stats SET total_spent_kobo = @totalSpentKobo, purchase_count = @purchaseCount,
              last_purchase_at = @lastPurchaseAt, points_balance = @pointsBalance, tier = @tier
       WHERE customer_id = @customerId`,
    );
  }

  get(customerId: string): CustomerStatsRow {
    this.ensureRow.run(customerId);
    const row = this.read.get(customerId);
    if (row === undefined) throw new Error(`customer_stats row for ${customerId} is missing`);
    return row;
  }

  /**
   * Adds a change (a sale: +spend, +1 purchase, +points; a refund: -spend, -points) and
   * returns the tier before and after, so the caller can record a tier change.
   */
  apply(
    customerId: string,
    change: { spendKobo: number; purchases: number; points: number; at: number },
    rules: LoyaltyRules,
  ): { before: CustomerStatsRow; after: CustomerStatsRow } {
    const before = this.get(customerId);
    const totalSpentKobo = before.totalSpentKobo + change.spendKobo;
    const after: CustomerStatsRow = {
      totalSpentKobo,
      purchaseCount: before.purchaseCount + change.purchases,
      lastPurchaseAt:
        change.purchases > 0 ? Math.max(before.lastPurchaseAt ?? 0, change.at) : before.lastPurchaseAt,
      pointsBalance: before.pointsBalance + change.points,
      tier: tierForSpend(totalSpentKobo, rules),
    };
    this.write.run({ customerId, ...after });
    return { before, after };
  }

  /** Rebuilds one customer's row from the ledgers. */
  recompute(customerId: string, rules: LoyaltyRules): CustomerStatsRow {
    const sales = this.db
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(total_kobo), 0) AS spent, max(created_at) AS last
         FROM sales WHERE customer_id = ?`,
      )
      .get(customerId) as { n: number; spent: number; last: number | null };
    const refunded = this.db
      .prepare(
        `SELECT coalesce(sum(r.amount_kobo), 0) AS amount FROM refunds r
         JOIN sales s ON s.id = r.sale_id WHERE s.customer_id = ?`,
      )
      .get(customerId) as { amount: number };
    const voids = this.db
      .prepare(
        `SELECT count(DISTINCT r.sale_id) AS n FROM refunds r
         JOIN sales s ON s.id = r.sale_id WHERE s.customer_id = ? AND r.kind = 'void'`,
      )
      .get(customerId) as { n: number };
    const points = this.db
      .prepare('SELECT coalesce(sum(delta), 0) AS balance FROM points_ledger WHERE customer_id = ?')
      .get(customerId) as { balance: number };
    const totalSpentKobo = sales.spent - refunded.amount;
    const row: CustomerStatsRow = {
      totalSpentKobo,
      purchaseCount: sales.n - voids.n,
      lastPurchaseAt: sales.last,
      pointsBalance: points.balance,
      tier: tierForSpend(totalSpentKobo, rules),
    };
    this.ensureRow.run(customerId);
    this.write.run({ customerId, ...row });
    return row;
  }
}
