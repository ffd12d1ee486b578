/**
 * Selling: a sale with its lines, payments, stock moves, points, customer totals, risk, audit
 * row and outbox mutation is ONE transaction, so a power cut leaves the whole sale or none of
 * it. Refunds and voids are new ledger rows (never edits) approved by a manager or owner PIN.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type {
  Page,
  RefundRecord,
  Sale,
  saleChannels,
  SaleLine,
  SalePayment,
  SaleSummary,
  StaffMember,
  Tier,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { formatNaira } from '../../../shared/money';
import { parseNigerianPhone } from '../../../shared/phone';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { BusinessService } from '../business/business-service';
import type { CustomerStats } from '../customers/customer-stats';
import { pointsForPayment, pointsForSpend } from '../loyalty/loyalty-rules';
import type { LoyaltyService } from '../loyalty/loyalty-service';
import type { ProductService } from '../products/product-service';
import type { RiskService } from '../risk/risk-service';
import type { SettingsService } from '../settings/settings-service';
import type { StaffService } from '../staff/staff-service';
import type { SyncRecorder } from '../sync/sync-recorder';
import { receiptText } from './receipt-text';

type RecordInput = z.output<(typeof saleChannels)['sales:record']['input']>;
type RefundInput = z.output<(typeof saleChannels)['sales:refund']['input']>;
type ListInput = z.output<(typeof saleChannels)['sales:list']['input']>;

interface SaleRow {
  id: string;
  receipt_number: string;
  customer_id: string | null;
  staff_id: string;
  staff_name: string;
  subtotal_kobo: number;
  discount_kobo: number;
  total_kobo: number;
  points_earned: number;
  risk_score: number;
  risk_reasons: string;
  created_at: number;
}

const fieldError = (path: (string | number)[], message: string) =>
  new KasuwaError('invalid_input', message, [{ path, message }]);

export class SaleService {
  private readonly sql: Database.Database;
  private readonly statements: {
    exists: Database.Statement<[string], { id: string }>;
    customer: Database.Statement<
      [string],
      { id: string; display_name: string; merged_into_id: string | null }
    >;
    insertSale: Database.Statement;
    insertLine: Database.Statement;
    insertPayment: Database.Statement;
    insertPoints: Database.Statement;
    insertMethod: Database.Statement;
    insertTierEvent: Database.Statement;
    insertReview: Database.Statement;
    sale: Database.Statement<[string], SaleRow>;
    lines: Database.Statement<[string], SaleLine & { refundedKobo: number }>;
    payments: Database.Statement<[string], SalePayment>;
    refunds: Database.Statement<[string], RefundRecord>;
    tierEvent: Database.Statement<[string], { fromTier: Tier; toTier: Tier }>;
    customerSummary: Database.Statement<
      [string],
      {
        id: string;
        displayName: string;
        phoneNational: string;
        pointsBalance: number | null;
        tier: Tier | null;
      }
    >;
  };

  constructor(
    private readonly deps: {
      db: ShopDatabase;
      audit: AuditLog;
      sync: SyncRecorder;
      stats: CustomerStats;
      loyalty: LoyaltyService;
      products: ProductService;
      staff: StaffService;
      settings: SettingsService;
      business: BusinessService;
      risk: RiskService;
      now: () => number;
    },
  ) {
    const sql = (this.sql = deps.db.sqlite);
    this.statements = {
      exists: sql.prepare('SELECT id FROM sales WHERE id = ?'),
      customer: sql.prepare('SELECT id, display_name, merged_into_id FROM customers WHERE id = ?'),
      insertSale: sql.prepare(
        `INSERT INTO sales (id, receipt_number, device_id, customer_id, staff_id, subtotal_kobo, discount_kobo, total_kobo,
           points_earned, risk_score, risk_reasons, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertLine: sql.prepare(
        `INSERT INTO sale_lines (id, sale_id, line_no, product_id, name, unit_price_kobo, quantity, discount_kobo, total_kobo)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertPayment: sql.prepare(
        `INSERT INTO sale_payments (id, sale_id, method, amount_kobo, tendered_kobo, change_kobo, reference, points_used, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertPoints: sql.prepare(
        `INSERT INTO points_ledger (id, customer_id, delta, kind, sale_id, refund_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertMethod: sql.prepare(
        'INSERT OR IGNORE INTO customer_payment_methods (customer_id, method, first_used_at) VALUES (?, ?, ?)',
      ),
      insertTierEvent: sql.prepare(
        `INSERT INTO loyalty_events (id, customer_id, kind, from_tier, to_tier, sale_id, created_at)
         VALUES (?, ?, 'tier_change', ?, ?, ?, ?)`,
      ),
      insertReview: sql.prepare(
        "INSERT INTO risk_reviews (sale_id, status, created_at) VALUES (?, 'open', ?)",
      ),
      sale: sql.prepare(
        `SELECT s.*, st.name AS staff_name FROM sales s JOIN staff st ON st.id = s.staff_id WHERE s.id = ?`,
      ),
      lines: sql.prepare(
        `SELECT l.id, l.line_no AS lineNo, l.product_id AS productId, l.name, l.unit_price_kobo AS unitPriceKobo,
           l.quantity, l.discount_kobo AS discountKobo, l.total_kobo AS totalKobo,
           coalesce((SELECT sum(quantity) FROM refund_lines r WHERE r.sale_line_id = l.id), 0) AS refundedQuantity,
           coalesce((SELECT sum(amount_kobo) FROM refund_lines r WHERE r.sale_line_id = l.id), 0) AS refundedKobo
         FROM sale_lines l WHERE l.sale_id = ? ORDER BY l.line_no`,
      ),
      payments: sql.prepare(
        `SELECT id, method, amount_kobo AS amountKobo, tendered_kobo AS tenderedKobo, change_kobo AS changeKobo, reference,
           points_used AS pointsUsed FROM sale_payments WHERE sale_id = ? ORDER BY rowid`,
      ),
      refunds: sql.prepare(
        `SELECT r.id, r.kind, r.amount_kobo AS amountKobo, r.method, r.reason, s.name AS staffName, a.name AS approvedByName,
           r.points_reversed AS pointsReversed, r.created_at AS createdAt
         FROM refunds r JOIN staff s ON s.id = r.staff_id JOIN staff a ON a.id = r.approved_by_staff_id
         WHERE r.sale_id = ? ORDER BY r.created_at`,
      ),
      tierEvent: sql.prepare(
        'SELECT from_tier AS fromTier, to_tier AS toTier FROM loyalty_events WHERE sale_id = ? LIMIT 1',
      ),
      customerSummary: sql.prepare(
        `SELECT c.id, c.display_name AS displayName, c.phone_national AS phoneNational, s.points_balance AS pointsBalance, s.tier
         FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.id WHERE c.id = ?`,
      ),
    };
  }

  record(input: RecordInput, cashier: StaffMember): Sale {
    if (this.statements.exists.get(input.saleId) !== undefined) return this.get(input.saleId);
    const rules = this.deps.loyalty.rules();
    const lines = input.lines.map((line, index) => {
      const product = this.deps.products.get(line.productId);
      if (product.archived)
        throw fieldError(['lines', index, 'productId'], `${product.name} is no longer sold.`);
      const gross = product.priceKobo * line.quantity;
      if (line.discountKobo > gross) {
        throw fieldError(
          ['lines', index, 'discountKobo'],
          `The discount on ${product.name} is more than the line.`,
        );
      }
      return {
        product,
        quantity: line.quantity,
        discountKobo: line.discountKobo,
        gross,
        total: gross - line.discountKobo,
      };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.gross, 0);
    const discount = lines.reduce((sum, line) => sum + line.discountKobo, 0);
    const total = subtotal - discount;
    const paid = input.payments.reduce((sum, payment) => sum + payment.amountKobo, 0);
    if (paid !== total) {
      throw fieldError(
        ['payments'],
        `The payments come to ${formatNaira(paid)} but the sale is ${formatNaira(total)}.`,
      );
    }
    const customer = input.customerId === null ? null : this.statements.customer.get(input.customerId);
    if (customer === undefined || customer?.merged_into_id != null) {
      throw fieldError(['customerId'], 'That customer is not in the book any more.');
    }
    const before = customer === null ? null : this.deps.stats.get(customer.id);
    let pointsRedeemed = 0;
    let pointsPaidKobo = 0;
    const payments = input.payments.map((payment, index) => {
      let change = 0;
      let tendered: number | null = null;
      let pointsUsed = 0;
      if (payment.method === 'cash' && payment.tenderedKobo !== undefined) {
        if (payment.tenderedKobo < payment.amountKobo) {
          throw fieldError(
            ['payments', index, 'tenderedKobo'],
            'The cash handed over is less than the cash payment.',
          );
        }
        tendered = payment.tenderedKobo;
        change = payment.tenderedKobo - payment.amountKobo;
      }
      if (payment.method === 'points') {
        if (before === null)
          throw fieldError(['payments', index, 'method'], 'Attach the customer to pay with their points.');
        pointsUsed = pointsForPayment(payment.amountKobo, rules);
        pointsRedeemed += pointsUsed;
        pointsPaidKobo += payment.amountKobo;
      }
      return { ...payment, change, tendered, pointsUsed };
    });
    if (before !== null && pointsRedeemed > before.pointsBalance) {
      throw fieldError(
        ['payments'],
        `The customer has ${before.pointsBalance} points; this needs ${pointsRedeemed}.`,
      );
    }
    const at = this.deps.now();
    const pointsEarned = customer === null ? 0 : pointsForSpend(total - pointsPaidKobo, rules);
    const risk = this.deps.risk.assess(
      {
        at,
        totalKobo: total,
        payments: payments
          .filter((p) => p.method !== 'points')
          .map((p) => ({ method: p.method, amountKobo: p.amountKobo })),
      },
      customer === null || before === null ? null : { id: customer.id, ...before },
    );

    this.sql
      .transaction(() => {
        const device = this.deps.settings.device();
        const sequence = Number(this.deps.settings.readValue('receiptSequence') ?? 0) + 1;
        this.deps.settings.writeValue('receiptSequence', sequence);
        const receiptNumber = `${device.receiptPrefix}-${String(sequence).padStart(6, '0')}`;
        const s = this.statements;
        s.insertSale.run(
          input.saleId,
          receiptNumber,
          device.deviceId,
          customer?.id ?? null,
          cashier.id,
          subtotal,
          discount,
          total,
          pointsEarned,
          risk.score,
          JSON.stringify(risk.reasons),
          at,
        );
        lines.forEach((line, index) => {
          s.insertLine.run(
            uuidv7(at),
            input.saleId,
            index + 1,
            line.product.id,
            line.product.name,
            line.product.priceKobo,
            line.quantity,
            line.discountKobo,
            line.total,
          );
          this.deps.products.move(line.product.id, 'sale', -line.quantity, {
            saleId: input.saleId,
            staffId: cashier.id,
          });
        });
        for (const payment of payments) {
          s.insertPayment.run(
            uuidv7(at),
            input.saleId,
            payment.method,
            payment.amountKobo,
            payment.tendered,
            payment.change,
            payment.reference,
            payment.pointsUsed,
            at,
          );
        }
        if (customer !== null) {
          if (pointsRedeemed > 0)
            s.insertPoints.run(
              uuidv7(at),
              customer.id,
              -pointsRedeemed,
              'redeem',
              input.saleId,
              null,
              `Paid ${receiptNumber}`,
              at,
            );
          if (pointsEarned > 0)
            s.insertPoints.run(
              uuidv7(at),
              customer.id,
              pointsEarned,
              'earn',
              input.saleId,
              null,
              receiptNumber,
              at,
            );
          for (const payment of payments) s.insertMethod.run(customer.id, payment.method, at);
          const change = this.deps.stats.apply(
            customer.id,
            { spendKobo: total, purchases: 1, points: pointsEarned - pointsRedeemed, at },
            rules,
          );
          if (change.before.tier !== change.after.tier) {
            s.insertTierEvent.run(
              uuidv7(at),
              customer.id,
              change.before.tier,
              change.after.tier,
              input.saleId,
              at,
            );
          }
        }
        if (risk.reasons.length > 0) s.insertReview.run(input.saleId, at);
        this.deps.audit.append({
          actorStaffId: cashier.id,
          action: 'sale.record',
          entity: 'sale',
          entityId: input.saleId,
          details: { receiptNumber, totalKobo: total, methods: payments.map((p) => p.method) },
        });
        this.deps.sync.ledgerAdded('sale', input.saleId);
      })
      .immediate();
    return this.get(input.saleId);
  }

  get(id: string): Sale {
    const row = this.statements.sale.get(id);
    if (row === undefined) throw new KasuwaError('not_found', 'That sale is not in the books.');
    const lines = this.statements.lines.all(id).map(({ refundedKobo: _refunded, ...line }) => line);
    const payments = this.statements.payments.all(id);
    const refunds = this.statements.refunds.all(id);
    const customer =
      row.customer_id === null ? undefined : this.statements.customerSummary.get(row.customer_id);
    const tier = this.statements.tierEvent.get(id);
    return {
      id: row.id,
      receiptNumber: row.receipt_number,
      createdAt: row.created_at,
      staffId: row.staff_id,
      staffName: row.staff_name,
      customer:
        customer === undefined
          ? null
          : {
              id: customer.id,
              displayName: customer.displayName,
              phoneNational: customer.phoneNational,
              pointsBalance: customer.pointsBalance ?? 0,
              tier: customer.tier ?? 'bronze',
            },
      lines,
      payments,
      refunds,
      subtotalKobo: row.subtotal_kobo,
      discountKobo: row.discount_kobo,
      totalKobo: row.total_kobo,
      paidKobo: payments.reduce((sum, p) => sum + p.amountKobo, 0),
      changeKobo: payments.reduce((sum, p) => sum + p.changeKobo, 0),
      refundedKobo: refunds.reduce((sum, r) => sum + r.amountKobo, 0),
      pointsEarned: row.points_earned,
      riskScore: row.risk_score,
      riskReasons: JSON.parse(row.risk_reasons) as string[],
      tierChange: tier === undefined ? null : { from: tier.fromTier, to: tier.toTier },
    };
  }

  list(input: ListInput): Page<SaleSummary> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (input.from !== undefined) {
      where.push('s.created_at >= ?');
      params.push(input.from);
    }
    if (input.to !== undefined) {
      where.push('s.created_at < ?');
      params.push(input.to);
    }
    if (input.customerId !== undefined) {
      where.push('s.customer_id = ?');
      params.push(input.customerId);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (
      this.sql.prepare(`SELECT count(*) AS n FROM sales s ${clause}`).get(...params) as { n: number }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT s.id, s.receipt_number AS receiptNumber, s.created_at AS createdAt, st.name AS staffName,
           c.display_name AS customerName, s.total_kobo AS totalKobo,
           coalesce((SELECT sum(amount_kobo) FROM refunds r WHERE r.sale_id = s.id), 0) AS refundedKobo, s.risk_score AS riskScore
         FROM sales s JOIN staff st ON st.id = s.staff_id LEFT JOIN customers c ON c.id = s.customer_id
         ${clause} ORDER BY s.created_at DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as SaleSummary[];
    return { total, rows };
  }

  receiptText(id: string): string {
    const sale = this.get(id);
    const business = this.deps.business.get();
    const phone = business === null ? null : parseNigerianPhone(business.phone);
    return receiptText(
      sale,
      {
        name: business?.name ?? 'Kasuwa',
        phoneNational: phone?.ok === true ? phone.national : null,
        address: business?.address ?? '',
      },
      this.deps.settings.get().receiptFooter,
    );
  }

  refund(input: RefundInput, cashier: StaffMember): Sale {
    const approver = this.deps.staff.verifyPin(input.approverPin, ['owner', 'manager']);
    const rules = this.deps.loyalty.rules();
    this.sql
      .transaction(() => {
        const sale = this.get(input.saleId);
        if (input.kind === 'void' && sale.refunds.length > 0) {
          throw new KasuwaError(
            'conflict',
            'Part of this sale was already refunded; refund the rest instead of voiding it.',
          );
        }
        const stored = new Map(this.statements.lines.all(input.saleId).map((line) => [line.id, line]));
        const wanted =
          input.kind === 'void' || input.lines.length === 0
            ? sale.lines.map((line) => ({
                saleLineId: line.id,
                quantity: line.quantity - line.refundedQuantity,
              }))
            : input.lines;
        // One entry per line: the same line named twice must not take back more than was sold.
        const perLine = new Map<string, number>();
        for (const item of wanted)
          perLine.set(item.saleLineId, (perLine.get(item.saleLineId) ?? 0) + item.quantity);
        const items = [...perLine]
          .map(([saleLineId, quantity]) => ({ saleLineId, quantity }))
          .filter((item) => item.quantity > 0)
          .map((item) => {
            const line = stored.get(item.saleLineId);
            if (line === undefined) throw new KasuwaError('invalid_input', 'That line is not on this sale.');
            const remaining = line.quantity - line.refundedQuantity;
            if (item.quantity > remaining) {
              throw new KasuwaError('conflict', `Only ${remaining} of ${line.name} can still be refunded.`);
            }
            // The last unit takes the remainder, so a line refunded in parts adds up to its total exactly.
            const amount =
              item.quantity === remaining
                ? line.totalKobo - line.refundedKobo
                : Math.floor((line.totalKobo * item.quantity) / line.quantity);
            return { line, quantity: item.quantity, amount };
          });
        if (items.length === 0)
          throw new KasuwaError('conflict', 'Everything on this sale was already refunded.');
        const amount = items.reduce((sum, item) => sum + item.amount, 0);
        const at = this.deps.now();
        const refundId = uuidv7(at);
        const fullyRefunded = sale.refundedKobo + amount === sale.totalKobo;
        const reversedBefore = sale.refunds.reduce((sum, r) => sum + r.pointsReversed, 0);
        const reverse =
          sale.customer === null || sale.totalKobo === 0
            ? 0
            : fullyRefunded
              ? sale.pointsEarned - reversedBefore
              : Math.floor((sale.pointsEarned * amount) / sale.totalKobo);
        const credit = input.method === 'points' ? pointsForPayment(amount, rules) : 0;
        if (input.method === 'points' && sale.customer === null) {
          throw new KasuwaError('invalid_input', 'Only a sale with a customer can be refunded as points.');
        }
        this.sql
          .prepare(
            `INSERT INTO refunds (id, sale_id, kind, amount_kobo, method, reason, staff_id, approved_by_staff_id, points_reversed,
               device_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            refundId,
            sale.id,
            input.kind,
            amount,
            input.method,
            input.reason,
            cashier.id,
            approver.id,
            reverse,
            this.deps.settings.device().deviceId,
            at,
          );
        const insertRefundLine = this.sql.prepare(
          'INSERT INTO refund_lines (id, refund_id, sale_line_id, quantity, amount_kobo) VALUES (?, ?, ?, ?, ?)',
        );
        for (const item of items) {
          insertRefundLine.run(uuidv7(at), refundId, item.line.id, item.quantity, item.amount);
          if (item.line.productId !== null) {
            this.deps.products.move(
              item.line.productId,
              input.kind === 'void' ? 'void' : 'refund',
              item.quantity,
              {
                refundId,
                staffId: cashier.id,
              },
            );
          }
        }
        if (sale.customer !== null) {
          if (reverse !== 0)
            this.statements.insertPoints.run(
              uuidv7(at),
              sale.customer.id,
              -reverse,
              'refund',
              sale.id,
              refundId,
              `${input.kind} ${sale.receiptNumber}`,
              at,
            );
          if (credit > 0)
            this.statements.insertPoints.run(
              uuidv7(at),
              sale.customer.id,
              credit,
              'refund',
              sale.id,
              refundId,
              `Refund to points ${sale.receiptNumber}`,
              at,
            );
          this.deps.stats.apply(
            sale.customer.id,
            { spendKobo: -amount, purchases: input.kind === 'void' ? -1 : 0, points: credit - reverse, at },
            rules,
          );
        }
        this.deps.audit.append({
          actorStaffId: cashier.id,
          action: input.kind === 'void' ? 'sale.void' : 'sale.refund',
          entity: 'sale',
          entityId: sale.id,
          details: {
            refundId,
            amountKobo: amount,
            method: input.method,
            approvedBy: approver.id,
            reason: input.reason,
          },
        });
        this.deps.sync.ledgerAdded('refund', refundId);
      })
      .immediate();
    return this.get(input.saleId);
  }
}
