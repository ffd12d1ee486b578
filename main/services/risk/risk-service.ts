/** The fraud review queue: risky sales wait for the owner to clear or confirm them. */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { Page, RiskQueueItem, saleChannels, SaleSummary } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { StaffService } from '../staff/staff-service';
import { assessSaleRisk, type SaleRisk, type SaleRiskFacts } from './risk-rules';

type ReviewInput = z.output<(typeof saleChannels)['risk:review']['input']>;
type ReviewStatus = RiskQueueItem['status'];

const DAY_MS = 86_400_000;

const QUEUE_SELECT = `SELECT s.id, s.receipt_number AS receiptNumber, s.created_at AS createdAt, st.name AS staffName,
    c.display_name AS customerName, s.total_kobo AS totalKobo,
    coalesce((SELECT sum(amount_kobo) FROM refunds r WHERE r.sale_id = s.id), 0) AS refundedKobo,
    s.risk_score AS riskScore, s.risk_reasons AS riskReasons, rv.status, rv.note
  FROM risk_reviews rv JOIN sales s ON s.id = rv.sale_id JOIN staff st ON st.id = s.staff_id
  LEFT JOIN customers c ON c.id = s.customer_id`;

interface QueueRow {
  id: string;
  receiptNumber: string;
  createdAt: number;
  staffName: string;
  customerName: string | null;
  totalKobo: number;
  refundedKobo: number;
  riskScore: number;
  riskReasons: string;
  status: ReviewStatus;
  note: string;
}

export class RiskService {
  private readonly sql: Database.Database;
  private readonly methodsUsed: Database.Statement<[string], { method: string }>;
  private readonly phoneChanges: Database.Statement<[string, number], { n: number }>;

  constructor(
    private readonly deps: { db: ShopDatabase; audit: AuditLog; staff: StaffService; now: () => number },
  ) {
    this.sql = deps.db.sqlite;
    this.methodsUsed = this.sql.prepare('SELECT method FROM customer_payment_methods WHERE customer_id = ?');
    this.phoneChanges = this.sql.prepare(
      'SELECT count(*) AS n FROM customer_phone_changes WHERE customer_id = ? AND created_at >= ?',
    );
  }

  /** The risk of a sale about to be recorded, from the customer's history before it. */
  assess(
    sale: Omit<SaleRiskFacts, 'customer'>,
    customer: { id: string; purchaseCount: number; totalSpentKobo: number } | null,
  ): SaleRisk {
    return assessSaleRisk({
      ...sale,
      customer:
        customer === null
          ? null
          : {
              purchaseCount: customer.purchaseCount,
              totalSpentKobo: customer.totalSpentKobo,
              methodsUsed: this.methodsUsed.all(customer.id).map((row) => row.method),
              phoneChangesLast30Days: this.phoneChanges.get(customer.id, sale.at - 30 * DAY_MS)?.n ?? 0,
            },
    });
  }

  queue(status: ReviewStatus, offset: number, limit: number): Page<RiskQueueItem> {
    const total = (
      this.sql.prepare('SELECT count(*) AS n FROM risk_reviews WHERE status = ?').get(status) as { n: number }
    ).n;
    const rows = this.sql
      .prepare(`${QUEUE_SELECT} WHERE rv.status = ? ORDER BY rv.created_at DESC LIMIT ? OFFSET ?`)
      .all(status, limit, offset) as QueueRow[];
    return { total, rows: rows.map((row) => this.item(row)) };
  }

  review(input: ReviewInput): RiskQueueItem {
    const owner = this.deps.staff.verifyPin(input.ownerPin, ['owner']);
    this.sql
      .transaction(() => {
        const current = this.sql
          .prepare('SELECT status FROM risk_reviews WHERE sale_id = ?')
          .get(input.saleId) as { status: ReviewStatus } | undefined;
        if (current === undefined)
          throw new KasuwaError('not_found', 'That sale is not waiting for a review.');
        this.sql
          .prepare(
            'UPDATE risk_reviews SET status = ?, note = ?, reviewed_by_staff_id = ?, reviewed_at = ? WHERE sale_id = ?',
          )
          .run(input.status, input.note, owner.id, this.deps.now(), input.saleId);
        this.deps.audit.append({
          actorStaffId: owner.id,
          action: `risk.${input.status}`,
          entity: 'sale',
          entityId: input.saleId,
          details: { note: input.note },
        });
      })
      .immediate();
    const row = this.sql.prepare(`${QUEUE_SELECT} WHERE rv.sale_id = ?`).get(input.saleId) as QueueRow;
    return this.item(row);
  }

  private item(row: QueueRow): RiskQueueItem {
    const sale: SaleSummary = {
      id: row.id,
      receiptNumber: row.receiptNumber,
      createdAt: row.createdAt,
      staffName: row.staffName,
      customerName: row.customerName,
      totalKobo: row.totalKobo,
      refundedKobo: row.refundedKobo,
      riskScore: row.riskScore,
    };
    return { sale, reasons: JSON.parse(row.riskReasons) as string[], status: row.status, note: row.note };
  }
}
