/**
 * The books: the end-of-day Z-report (by payment method and cashier, cash expected against
 * counted), sales by day/week/month in Lagos time, top customers and products, and the sales
 * CSV. Everything is aggregated in SQL over the created_at indexes, never row by row in JS.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  CashierTotal,
  EndOfDayReport,
  MethodTotal,
  PaymentMethod,
  PeriodTotal,
  TopCustomer,
  TopProduct,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { lagosDay, lagosDayRange } from '../../../shared/lagos-time';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import { toCsvRow } from '../customers/csv-text';
import type { StaffService } from '../staff/staff-service';

/** SQL for the Lagos day/week/month of `created_at` (ms). Weeks start on Monday. */
const PERIOD_SQL: Record<'day' | 'week' | 'month', string> = {
  day: "strftime('%Y-%m-%d', created_at / 1000 + 3600, 'unixepoch')",
  week: "strftime('%Y-%m-%d', created_at / 1000 + 3600, 'unixepoch', 'weekday 0', '-6 days')",
  month: "strftime('%Y-%m', created_at / 1000 + 3600, 'unixepoch')",
};

export class ReportService {
  private readonly sql: Database.Database;

  constructor(
    private readonly deps: {
      db: ShopDatabase;
      audit: AuditLog;
      staff: StaffService;
      now: () => number;
      /** This counter's id: its Z-report counts its own drawer, not the other counters' sales. */
      deviceId: () => string;
    },
  ) {
    this.sql = deps.db.sqlite;
  }

  /** The Z-report of this counter: its sales, its refunds and its cash drawer for one Lagos day. */
  endOfDay(day?: string): EndOfDayReport {
    const theDay = day ?? lagosDay(this.deps.now());
    const { from, to } = lagosDayRange(theDay);
    const device = this.deps.deviceId();
    const sales = this.sql
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(total_kobo), 0) AS gross FROM sales
         WHERE created_at >= ? AND created_at < ? AND device_id = ?`,
      )
      .get(from, to, device) as { n: number; gross: number };
    const byMethod = this.byMethod(from, to, device);
    const refundsByMethod = this.sql
      .prepare(
        `SELECT method, count(*) AS count, sum(amount_kobo) AS amountKobo FROM refunds
         WHERE created_at >= ? AND created_at < ? AND device_id = ? GROUP BY method ORDER BY amountKobo DESC`,
      )
      .all(from, to, device) as MethodTotal[];
    const refunds = refundsByMethod.reduce((sum, m) => sum + m.amountKobo, 0);
    const cash = this.sql
      .prepare(
        `SELECT coalesce(sum(p.amount_kobo), 0) AS taken FROM sale_payments p JOIN sales s ON s.id = p.sale_id
         WHERE p.method = 'cash' AND p.created_at >= ? AND p.created_at < ? AND s.device_id = ?`,
      )
      .get(from, to, device) as { taken: number };
    const cashRefunds = refundsByMethod.find((m) => m.method === 'cash')?.amountKobo ?? 0;
    const closed = this.sql
      .prepare(
        `SELECT z.counted_cash_kobo AS counted, z.expected_cash_kobo AS expected, z.created_at AS closedAt, s.name AS closedBy
         FROM z_reports z JOIN staff s ON s.id = z.staff_id WHERE z.from_at = ? ORDER BY z.created_at DESC LIMIT 1`,
      )
      .get(from) as { counted: number; expected: number; closedAt: number; closedBy: string } | undefined;
    // Payment rows hold the amount due; the change given back never entered the drawer.
    const expectedCash = cash.taken - cashRefunds;
    return {
      day: theDay,
      fromAt: from,
      toAt: to,
      salesCount: sales.n,
      grossKobo: sales.gross,
      refundsKobo: refunds,
      netKobo: sales.gross - refunds,
      byMethod,
      refundsByMethod,
      byCashier: this.byCashier(from, to, device),
      expectedCashKobo: expectedCash,
      closed:
        closed === undefined
          ? null
          : {
              countedCashKobo: closed.counted,
              differenceKobo: closed.counted - closed.expected,
              closedAt: closed.closedAt,
              closedBy: closed.closedBy,
            },
    };
  }

  closeDay(day: string, countedCashKobo: number, pin: string): EndOfDayReport {
    const staff = this.deps.staff.verifyPin(pin);
    this.sql
      .transaction(() => {
        const report = this.endOfDay(day);
        if (report.closed !== null) {
          throw new KasuwaError('already_done', `${day} was already closed by ${report.closed.closedBy}.`);
        }
        const at = this.deps.now();
        this.sql
          .prepare(
            `INSERT INTO z_reports (id, from_at, to_at, expected_cash_kobo, counted_cash_kobo, totals, staff_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            uuidv7(at),
            report.fromAt,
            report.toAt,
            report.expectedCashKobo,
            countedCashKobo,
            JSON.stringify(report),
            staff.id,
            at,
          );
        this.deps.audit.append({
          actorStaffId: staff.id,
          action: 'day.close',
          entity: 'z_report',
          entityId: day,
          details: { expectedCashKobo: report.expectedCashKobo, countedCashKobo },
        });
      })
      .immediate();
    return this.endOfDay(day);
  }

  salesByPeriod(from: number, to: number, groupBy: 'day' | 'week' | 'month'): PeriodTotal[] {
    const period = PERIOD_SQL[groupBy];
    const sales = this.sql
      .prepare(
        `SELECT ${period} AS period, count(*) AS salesCount, sum(total_kobo) AS grossKobo FROM sales
         WHERE created_at >= ? AND created_at < ? GROUP BY period ORDER BY period`,
      )
      .all(from, to) as { period: string; salesCount: number; grossKobo: number }[];
    const refunds = new Map(
      (
        this.sql
          .prepare(
            `SELECT ${period} AS period, sum(amount_kobo) AS refunds FROM refunds
             WHERE created_at >= ? AND created_at < ? GROUP BY period`,
          )
          .all(from, to) as { period: string; refunds: number }[]
      ).map((row) => [row.period, row.refunds]),
    );
    return sales.map((row) => {
      const refundsKobo = refunds.get(row.period) ?? 0;
      return { ...row, refundsKobo, netKobo: row.grossKobo - refundsKobo };
    });
  }

  /** Payments by method, the whole shop's or (given a device) one counter's. */
  byMethod(from: number, to: number, device: string | null = null): MethodTotal[] {
    return this.sql
      .prepare(
        `SELECT p.method, count(*) AS count, sum(p.amount_kobo) AS amountKobo FROM sale_payments p
         ${device === null ? '' : 'JOIN sales s ON s.id = p.sale_id AND s.device_id = @device'}
         WHERE p.created_at >= @from AND p.created_at < @to GROUP BY p.method ORDER BY amountKobo DESC`,
      )
      .all({ from, to, ...(device === null ? {} : { device }) }) as {
      method: PaymentMethod;
      count: number;
      amountKobo: number;
    }[];
  }

  /** Sales and refunds by cashier, the whole shop's or (given a device) one counter's. */
  byCashier(from: number, to: number, device: string | null = null): CashierTotal[] {
    const here = device === null ? '' : 'AND device_id = @device';
    return this.sql
      .prepare(
        `SELECT st.id AS staffId, st.name AS staffName, coalesce(s.n, 0) AS salesCount, coalesce(s.total, 0) AS totalKobo,
           coalesce(r.refunds, 0) AS refundsKobo
         FROM staff st
         LEFT JOIN (SELECT staff_id, count(*) AS n, sum(total_kobo) AS total FROM sales
                    WHERE created_at >= @from AND created_at < @to ${here} GROUP BY staff_id) s ON s.staff_id = st.id
         LEFT JOIN (SELECT staff_id, sum(amount_kobo) AS refunds FROM refunds
                    WHERE created_at >= @from AND created_at < @to ${here} GROUP BY staff_id) r ON r.staff_id = st.id
         WHERE s.n IS NOT NULL OR r.refunds IS NOT NULL ORDER BY totalKobo DESC`,
      )
      .all({ from, to, ...(device === null ? {} : { device }) }) as CashierTotal[];
  }

  topCustomers(from: number, to: number, limit: number): TopCustomer[] {
    return this.sql
      .prepare(
        `SELECT c.id AS customerId, c.display_name AS displayName, c.phone_national AS phoneNational,
           t.n AS salesCount, t.total AS totalKobo
         FROM (SELECT customer_id, count(*) AS n, sum(total_kobo) AS total FROM sales
               WHERE created_at >= ? AND created_at < ? AND customer_id IS NOT NULL GROUP BY customer_id
               ORDER BY total DESC LIMIT ?) t
         JOIN customers c ON c.id = t.customer_id ORDER BY t.total DESC`,
      )
      .all(from, to, limit) as TopCustomer[];
  }

  topProducts(from: number, to: number, limit: number): TopProduct[] {
    return this.sql
      .prepare(
        `SELECT l.product_id AS productId, max(l.name) AS name, sum(l.quantity) AS quantity, sum(l.total_kobo) AS totalKobo
         FROM sales s JOIN sale_lines l ON l.sale_id = s.id
         WHERE s.created_at >= ? AND s.created_at < ? GROUP BY l.product_id ORDER BY totalKobo DESC LIMIT ?`,
      )
      .all(from, to, limit) as TopProduct[];
  }

  exportSalesCsv(
    from: number,
    to: number,
    offset: number,
    limit: number,
  ): { csv: string; rows: number; done: boolean } {
    const rows = this.sql
      .prepare(
        `SELECT s.receipt_number, s.created_at, st.name AS cashier, c.display_name AS customer, c.phone AS phone,
           s.subtotal_kobo, s.discount_kobo, s.total_kobo,
           (SELECT group_concat(method || ':' || amount_kobo, ' ') FROM sale_payments p WHERE p.sale_id = s.id) AS payments,
           coalesce((SELECT sum(amount_kobo) FROM refunds r WHERE r.sale_id = s.id), 0) AS refunded, s.points_earned
         FROM sales s JOIN staff st ON st.id = s.staff_id LEFT JOIN customers c ON c.id = s.customer_id
         WHERE s.created_at >= ? AND s.created_at < ? ORDER BY s.created_at, s.id LIMIT ? OFFSET ?`,
      )
      .all(from, to, limit, offset) as Record<string, string | number | null>[];
    const naira = (kobo: unknown) => (Number(kobo) / 100).toFixed(2);
    const lines = rows.map((row) =>
      toCsvRow([
        row.receipt_number,
        new Date(Number(row.created_at)).toISOString(),
        row.cashier,
        row.customer,
        row.phone,
        naira(row.subtotal_kobo),
        naira(row.discount_kobo),
        naira(row.total_kobo),
        String(row.payments ?? '')
          .split(' ')
          .map((part) => {
            const [method = '', amount = '0'] = part.split(':');
            return part === '' ? '' : `${method} ${naira(amount)}`;
          })
          .join('; '),
        naira(row.refunded),
        row.points_earned,
      ]),
    );
    const header =
      offset === 0
        ? [
            toCsvRow([
              'Receipt',
              'Time (UTC)',
              'Cashier',
              'Customer',
              'Phone',
              'Subtotal (NGN)',
              'Discount (NGN)',
              'Total (NGN)',
              'Payments',
              'Refunded (NGN)',
              'Points earned',
            ]),
          ]
        : [];
    return {
      csv: [...header, ...lines].map((line) => `${line}\r\n`).join(''),
      rows: rows.length,
      done: rows.length < limit,
    };
  }
}
