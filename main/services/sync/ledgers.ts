/**
 * The facts sync carries as they are: consents, points, stock moves, sales and refunds. A sale
 * travels as one row with its lines, payments, stock moves and points, and so does a refund, so
 * a counter either has the whole sale or none of it. Here: reading a fact as its wire shape,
 * and writing one that came from another counter with the projections it moves (customer
 * totals and tier, stock on hand, the risk queue), in the caller's transaction.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { LoyaltyRules } from '../../../shared/contract';
import { saleAmounts } from '../../../shared/sync/merge';
import type {
  ConsentRow,
  LedgerEntity,
  PointsRow,
  RefundRow,
  SaleRow,
  StockMoveRow,
} from '../../../shared/sync/protocol';
import type { CustomerStats } from '../customers/customer-stats';

type Row = Record<string, unknown>;

/** What writing a remote fact found. */
export type LedgerWrite =
  | { outcome: 'applied' }
  | { outcome: 'same' }
  /** A sale id this counter holds with other amounts: the owner decides. */
  | { outcome: 'conflict'; mine: SaleRow }
  /** The same id with different content for a fact that can't differ: kept as it is here. */
  | { outcome: 'refused'; reason: string };

const PLACEHOLDER_CUSTOMER = 'Customer from another counter';
const PLACEHOLDER_PRODUCT = 'Product from another counter';
const PLACEHOLDER_STAFF = 'Staff from another counter';

export class LedgerRows {
  private readonly s: Record<string, Database.Statement>;

  constructor(
    private readonly sql: Database.Database,
    private readonly stats: CustomerStats,
    private readonly rules: () => LoyaltyRules,
  ) {
    const p = (text: string) => sql.prepare(text);
    this.s = {
      sale: p('SELECT * FROM sales WHERE id = ?'),
      saleLines: p('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no'),
      salePayments: p('SELECT * FROM sale_payments WHERE sale_id = ? ORDER BY created_at, id'),
      saleMoves: p(
        'SELECT * FROM stock_moves WHERE sale_id = ? AND refund_id IS NULL ORDER BY created_at, id',
      ),
      salePoints: p(
        'SELECT * FROM points_ledger WHERE sale_id = ? AND refund_id IS NULL ORDER BY created_at, id',
      ),
      refund: p('SELECT * FROM refunds WHERE id = ?'),
      refundLines: p('SELECT * FROM refund_lines WHERE refund_id = ? ORDER BY id'),
      refundMoves: p('SELECT * FROM stock_moves WHERE refund_id = ? ORDER BY created_at, id'),
      refundPoints: p('SELECT * FROM points_ledger WHERE refund_id = ? ORDER BY created_at, id'),
      consent: p('SELECT * FROM customer_consents WHERE id = ?'),
      points: p('SELECT * FROM points_ledger WHERE id = ?'),
      move: p('SELECT * FROM stock_moves WHERE id = ?'),
      customerExists: p('SELECT merged_into_id FROM customers WHERE id = ?'),
      productExists: p('SELECT 1 FROM products WHERE id = ?'),
      staffExists: p('SELECT 1 FROM staff WHERE id = ?'),
      saleLineExists: p('SELECT 1 FROM sale_lines WHERE id = ?'),
      receiptTaken: p('SELECT id FROM sales WHERE receipt_number = ?'),
      placeholderCustomer: p(
        `INSERT OR IGNORE INTO customers (id, display_name, search_name, phone, phone_national, created_at, updated_at)
         VALUES (?, '${PLACEHOLDER_CUSTOMER}', '${PLACEHOLDER_CUSTOMER.toLowerCase()}', '', '', ?, ?)`,
      ),
      placeholderProduct: p(
        `INSERT OR IGNORE INTO products (id, name, search_name, price_kobo, created_at, updated_at)
         VALUES (?, '${PLACEHOLDER_PRODUCT}', '${PLACEHOLDER_PRODUCT.toLowerCase()}', 0, ?, ?)`,
      ),
      placeholderStaff: p(
        `INSERT OR IGNORE INTO staff (id, name, role, pin_hash, active, created_at, updated_at)
         VALUES (?, '${PLACEHOLDER_STAFF}', 'cashier', 'none', 0, ?, ?)`,
      ),
      stockRow: p('INSERT OR IGNORE INTO product_stock (product_id, quantity) VALUES (?, 0)'),
      bumpStock: p('UPDATE product_stock SET quantity = quantity + ? WHERE product_id = ?'),
      insertSale: p(
        `INSERT INTO sales (id, receipt_number, device_id, customer_id, staff_id, subtotal_kobo, discount_kobo, total_kobo,
           points_earned, risk_score, risk_reasons, created_at)
         VALUES (@id, @receiptNumber, @deviceId, @customerId, @staffId, @subtotalKobo, @discountKobo, @totalKobo,
           @pointsEarned, @riskScore, @riskReasons, @createdAt)`,
      ),
      insertLine: p(
        `INSERT INTO sale_lines (id, sale_id, line_no, product_id, name, unit_price_kobo, quantity, discount_kobo, total_kobo)
         VALUES (@id, @saleId, @lineNo, @productId, @name, @unitPriceKobo, @quantity, @discountKobo, @totalKobo)`,
      ),
      insertPayment: p(
        `INSERT INTO sale_payments (id, sale_id, method, amount_kobo, tendered_kobo, change_kobo, reference, points_used, created_at)
         VALUES (@id, @saleId, @method, @amountKobo, @tenderedKobo, @changeKobo, @reference, @pointsUsed, @createdAt)`,
      ),
      insertMove: p(
        `INSERT OR IGNORE INTO stock_moves (id, product_id, kind, quantity, sale_id, refund_id, staff_id, note, created_at)
         VALUES (@id, @productId, @kind, @quantity, @saleId, @refundId, @staffId, @note, @createdAt)`,
      ),
      insertPoints: p(
        `INSERT OR IGNORE INTO points_ledger (id, customer_id, delta, kind, sale_id, refund_id, note, created_at)
         VALUES (@id, @customerId, @delta, @kind, @saleId, @refundId, @note, @createdAt)`,
      ),
      insertConsent: p(
        `INSERT INTO customer_consents (id, customer_id, channel, granted, source, wording, staff_id, created_at)
         VALUES (@id, @customerId, @channel, @granted, @source, @wording, @staffId, @createdAt)`,
      ),
      insertRefund: p(
        `INSERT INTO refunds (id, sale_id, kind, amount_kobo, method, reason, staff_id, approved_by_staff_id, points_reversed,
           device_id, created_at)
         VALUES (@id, @saleId, @kind, @amountKobo, @method, @reason, @staffId, @approvedByStaffId, @pointsReversed,
           @deviceId, @createdAt)`,
      ),
      insertRefundLine: p(
        `INSERT INTO refund_lines (id, refund_id, sale_line_id, quantity, amount_kobo)
         VALUES (@id, @refundId, @saleLineId, @quantity, @amountKobo)`,
      ),
      insertMethod: p(
        'INSERT OR IGNORE INTO customer_payment_methods (customer_id, method, first_used_at) VALUES (?, ?, ?)',
      ),
      insertReview: p(
        "INSERT OR IGNORE INTO risk_reviews (sale_id, status, created_at) VALUES (?, 'open', ?)",
      ),
    };
  }

  // ── Reading facts in their wire shape ────────────────────────────────────────────────────

  snapshot(entity: LedgerEntity, id: string): unknown {
    switch (entity) {
      case 'sale':
        return this.sale(id);
      case 'refund':
        return this.refund(id);
      case 'consent':
        return this.consent(id);
      case 'points':
        return this.pointsRow(this.get('points', id));
      case 'stock_move':
        return this.moveRow(this.get('move', id));
      case 'message':
        throw new Error('message logs are written by the campaign sender, not read back here');
      case 'message_report':
      case 'opt_out':
        throw new Error(`${entity} rows come from the sync server; a counter never pushes them`);
    }
  }

  private get(statement: string, id: string): Row {
    const row = this.s[statement]?.get(id) as Row | undefined;
    if (row === undefined) throw new Error(`${statement} ${id} is not in the ledger`);
    return row;
  }

  sale(id: string): SaleRow {
    const sale = this.get('sale', id);
    return {
      id,
      receiptNumber: sale.receipt_number as string,
      deviceId: sale.device_id as string,
      customerId: sale.customer_id as string | null,
      staffId: sale.staff_id as string,
      subtotalKobo: sale.subtotal_kobo as number,
      discountKobo: sale.discount_kobo as number,
      totalKobo: sale.total_kobo as number,
      pointsEarned: sale.points_earned as number,
      riskScore: sale.risk_score as number,
      riskReasons: JSON.parse(sale.risk_reasons as string) as string[],
      createdAt: sale.created_at as number,
      lines: (this.s.saleLines?.all(id) as Row[]).map((l) => ({
        id: l.id as string,
        lineNo: l.line_no as number,
        productId: l.product_id as string | null,
        name: l.name as string,
        unitPriceKobo: l.unit_price_kobo as number,
        quantity: l.quantity as number,
        discountKobo: l.discount_kobo as number,
        totalKobo: l.total_kobo as number,
      })),
      payments: (this.s.salePayments?.all(id) as Row[]).map((p) => ({
        id: p.id as string,
        method: p.method as SaleRow['payments'][number]['method'],
        amountKobo: p.amount_kobo as number,
        tenderedKobo: p.tendered_kobo as number | null,
        changeKobo: p.change_kobo as number,
        reference: p.reference as string,
        pointsUsed: p.points_used as number,
        createdAt: p.created_at as number,
      })),
      stockMoves: (this.s.saleMoves?.all(id) as Row[]).map((m) => this.moveRow(m)),
      points: (this.s.salePoints?.all(id) as Row[]).map((p) => this.pointsRow(p)),
    };
  }

  /** The sale as this counter holds it, or null. */
  findSale(id: string): SaleRow | null {
    return this.s.sale?.get(id) === undefined ? null : this.sale(id);
  }

  refund(id: string): RefundRow {
    const refund = this.get('refund', id);
    return {
      id,
      saleId: refund.sale_id as string,
      kind: refund.kind as RefundRow['kind'],
      amountKobo: refund.amount_kobo as number,
      method: refund.method as RefundRow['method'],
      reason: refund.reason as string,
      staffId: refund.staff_id as string,
      approvedByStaffId: refund.approved_by_staff_id as string,
      pointsReversed: refund.points_reversed as number,
      deviceId: refund.device_id as string | null,
      createdAt: refund.created_at as number,
      lines: (this.s.refundLines?.all(id) as Row[]).map((l) => ({
        id: l.id as string,
        saleLineId: l.sale_line_id as string,
        quantity: l.quantity as number,
        amountKobo: l.amount_kobo as number,
      })),
      stockMoves: (this.s.refundMoves?.all(id) as Row[]).map((m) => this.moveRow(m)),
      points: (this.s.refundPoints?.all(id) as Row[]).map((p) => this.pointsRow(p)),
    };
  }

  consent(id: string): ConsentRow {
    const row = this.get('consent', id);
    return {
      id,
      customerId: row.customer_id as string,
      channel: row.channel as ConsentRow['channel'],
      granted: row.granted === 1,
      source: row.source as string,
      wording: row.wording as string,
      staffId: row.staff_id as string | null,
      createdAt: row.created_at as number,
    };
  }

  private pointsRow(row: Row): PointsRow {
    return {
      id: row.id as string,
      customerId: row.customer_id as string,
      delta: row.delta as number,
      kind: row.kind as PointsRow['kind'],
      saleId: row.sale_id as string | null,
      refundId: row.refund_id as string | null,
      note: row.note as string,
      createdAt: row.created_at as number,
    };
  }

  private moveRow(row: Row): StockMoveRow {
    return {
      id: row.id as string,
      productId: row.product_id as string,
      kind: row.kind as StockMoveRow['kind'],
      quantity: row.quantity as number,
      saleId: row.sale_id as string | null,
      refundId: row.refund_id as string | null,
      staffId: row.staff_id as string | null,
      note: row.note as string,
      createdAt: row.created_at as number,
    };
  }

  // ── Writing facts from other counters ────────────────────────────────────────────────────

  /**
   * The customer a fact belongs to here: one merged into another on some counter hands its
   * new sales and points to the one it was merged into. A customer not seen yet gets a
   * placeholder row that its own record fills in when it arrives.
   */
  private customerFor(id: string | null, at: number): string | null {
    if (id === null) return null;
    let current = id;
    for (let hops = 0; hops < 10; hops += 1) {
      const row = this.s.customerExists?.get(current) as { merged_into_id: string | null } | undefined;
      if (row === undefined) {
        this.s.placeholderCustomer?.run(current, at, at);
        this.stats.get(current);
        return current;
      }
      if (row.merged_into_id === null) return current;
      current = row.merged_into_id;
    }
    return current;
  }

  private ensureProduct(id: string | null, at: number): void {
    if (id === null) return;
    if (this.s.productExists?.get(id) === undefined) this.s.placeholderProduct?.run(id, at, at);
    this.s.stockRow?.run(id);
  }

  private ensureStaff(id: string | null, at: number): void {
    if (id !== null && this.s.staffExists?.get(id) === undefined) this.s.placeholderStaff?.run(id, at, at);
  }

  private writeMove(move: StockMoveRow, at: number): void {
    this.ensureProduct(move.productId, at);
    this.ensureStaff(move.staffId, at);
    const inserted = this.s.insertMove?.run(move);
    if (inserted !== undefined && inserted.changes > 0) this.s.bumpStock?.run(move.quantity, move.productId);
  }

  /** Inserts points rows; returns the sum of the new ones, per customer here. */
  private writePoints(rows: PointsRow[], at: number): Map<string, number> {
    const sums = new Map<string, number>();
    for (const row of rows) {
      // Rows that moved a balance in a merge belong where they were written; newer ones follow the merge.
      const customerId =
        row.kind === 'merge' ? row.customerId : (this.customerFor(row.customerId, at) ?? row.customerId);
      if (row.kind === 'merge') this.customerFor(row.customerId, at);
      const inserted = this.s.insertPoints?.run({ ...row, customerId });
      if (inserted !== undefined && inserted.changes > 0)
        sums.set(customerId, (sums.get(customerId) ?? 0) + row.delta);
    }
    return sums;
  }

  writeSale(sale: SaleRow, at: number): LedgerWrite {
    const mine = this.findSale(sale.id);
    if (mine !== null) {
      return saleAmounts(mine) === saleAmounts(sale) ? { outcome: 'same' } : { outcome: 'conflict', mine };
    }
    this.insertSale(sale, at);
    return { outcome: 'applied' };
  }

  private insertSale(sale: SaleRow, at: number): void {
    const customerId = this.customerFor(sale.customerId, at);
    this.ensureStaff(sale.staffId, at);
    // Two counters sharing a receipt prefix (a copied data folder) would repeat numbers: keep both sales.
    const taken = this.s.receiptTaken?.get(sale.receiptNumber) as { id: string } | undefined;
    const receiptNumber =
      taken === undefined || taken.id === sale.id
        ? sale.receiptNumber
        : `${sale.receiptNumber}~${sale.id.slice(-4)}`;
    this.s.insertSale?.run({
      ...sale,
      receiptNumber,
      customerId,
      riskReasons: JSON.stringify(sale.riskReasons),
    });
    for (const line of sale.lines) {
      this.ensureProduct(line.productId, at);
      this.s.insertLine?.run({ ...line, saleId: sale.id });
    }
    for (const payment of sale.payments) {
      this.s.insertPayment?.run({ ...payment, saleId: sale.id });
      if (customerId !== null) this.s.insertMethod?.run(customerId, payment.method, payment.createdAt);
    }
    for (const move of sale.stockMoves) this.writeMove(move, at);
    const points = this.writePoints(sale.points, at);
    const rules = this.rules();
    if (customerId !== null) {
      this.stats.apply(
        customerId,
        { spendKobo: sale.totalKobo, purchases: 1, points: points.get(customerId) ?? 0, at: sale.createdAt },
        rules,
      );
    }
    for (const [other, delta] of points) {
      if (other !== customerId)
        this.stats.apply(other, { spendKobo: 0, purchases: 0, points: delta, at }, rules);
    }
    if (sale.riskReasons.length > 0) this.s.insertReview?.run(sale.id, at);
  }

  /**
   * The owner's decision on a sale conflict: this counter's copy is replaced by `sale`. The
   * caller has opened a ledger correction; totals and stock are rebuilt from the ledgers.
   */
  replaceSale(sale: SaleRow, at: number): void {
    const mine = this.findSale(sale.id);
    const customers = new Set<string>();
    const products = new Set<string>();
    if (mine !== null) {
      if (mine.customerId !== null) customers.add(mine.customerId);
      for (const move of mine.stockMoves) products.add(move.productId);
      for (const row of mine.points) customers.add(row.customerId);
      this.sql.prepare('DELETE FROM stock_moves WHERE sale_id = ? AND refund_id IS NULL').run(sale.id);
      this.sql.prepare('DELETE FROM points_ledger WHERE sale_id = ? AND refund_id IS NULL').run(sale.id);
      this.sql.prepare('DELETE FROM sale_payments WHERE sale_id = ?').run(sale.id);
      this.sql.prepare('DELETE FROM sale_lines WHERE sale_id = ?').run(sale.id);
      this.sql.prepare('DELETE FROM risk_reviews WHERE sale_id = ?').run(sale.id);
      // Refunds of the sale keep pointing at it; its row is rewritten, not removed.
      this.sql.prepare('UPDATE sales SET customer_id = NULL WHERE id = ?').run(sale.id);
    }
    const customerId = this.customerFor(sale.customerId, at);
    if (mine === null) {
      this.insertSale(sale, at);
    } else {
      this.sql
        .prepare(
          `UPDATE sales SET receipt_number = @receiptNumber, device_id = @deviceId, customer_id = @customerId,
             staff_id = @staffId, subtotal_kobo = @subtotalKobo,
             discount_kobo = @discountKobo, total_kobo = @totalKobo, points_earned = @pointsEarned,
             risk_score = @riskScore, risk_reasons = @riskReasons, created_at = @createdAt WHERE id = @id`,
        )
        .run({ ...sale, customerId, riskReasons: JSON.stringify(sale.riskReasons) });
      this.ensureStaff(sale.staffId, at);
      for (const line of sale.lines) {
        this.ensureProduct(line.productId, at);
        this.s.insertLine?.run({ ...line, saleId: sale.id });
      }
      for (const payment of sale.payments) this.s.insertPayment?.run({ ...payment, saleId: sale.id });
      for (const move of sale.stockMoves) {
        this.ensureProduct(move.productId, at);
        this.s.insertMove?.run(move);
        products.add(move.productId);
      }
      for (const row of sale.points) {
        this.s.insertPoints?.run({
          ...row,
          customerId: this.customerFor(row.customerId, at) ?? row.customerId,
        });
        customers.add(row.customerId);
      }
      if (sale.riskReasons.length > 0) this.s.insertReview?.run(sale.id, at);
    }
    if (customerId !== null) customers.add(customerId);
    const rules = this.rules();
    for (const id of customers) this.stats.recompute(this.customerFor(id, at) ?? id, rules);
    for (const id of products) {
      this.sql
        .prepare(
          `UPDATE product_stock SET quantity = (SELECT coalesce(sum(quantity), 0) FROM stock_moves WHERE product_id = ?)
           WHERE product_id = ?`,
        )
        .run(id, id);
    }
  }

  writeRefund(refund: RefundRow, at: number): LedgerWrite {
    const existing = this.s.refund?.get(refund.id);
    if (existing !== undefined) {
      const mine = this.refund(refund.id);
      return mine.amountKobo === refund.amountKobo && mine.kind === refund.kind
        ? { outcome: 'same' }
        : { outcome: 'refused', reason: 'this counter holds a different refund with this id' };
    }
    const sale = this.findSale(refund.saleId);
    if (sale === null)
      return { outcome: 'refused', reason: `the sale ${refund.saleId} of this refund is not here` };
    for (const line of refund.lines) {
      if (this.s.saleLineExists?.get(line.saleLineId) === undefined) {
        return { outcome: 'refused', reason: `the refunded line ${line.saleLineId} is not in the sale here` };
      }
    }
    this.ensureStaff(refund.staffId, at);
    this.ensureStaff(refund.approvedByStaffId, at);
    this.s.insertRefund?.run(refund);
    for (const line of refund.lines) this.s.insertRefundLine?.run({ ...line, refundId: refund.id });
    for (const move of refund.stockMoves) this.writeMove(move, at);
    const points = this.writePoints(refund.points, at);
    const customerId = this.customerFor(sale.customerId, at);
    const rules = this.rules();
    if (customerId !== null) {
      this.stats.apply(
        customerId,
        {
          spendKobo: -refund.amountKobo,
          purchases: refund.kind === 'void' ? -1 : 0,
          points: points.get(customerId) ?? 0,
          at: refund.createdAt,
        },
        rules,
      );
    }
    for (const [other, delta] of points) {
      if (other !== customerId)
        this.stats.apply(other, { spendKobo: 0, purchases: 0, points: delta, at }, rules);
    }
    return { outcome: 'applied' };
  }

  writeConsent(consent: ConsentRow, at: number): LedgerWrite {
    if (this.s.consent?.get(consent.id) !== undefined) return { outcome: 'same' };
    const customerId = this.customerFor(consent.customerId, at) ?? consent.customerId;
    this.s.insertConsent?.run({ ...consent, customerId, granted: consent.granted ? 1 : 0 });
    return { outcome: 'applied' };
  }

  writePointsRow(row: PointsRow, at: number): LedgerWrite {
    if (this.s.points?.get(row.id) !== undefined) return { outcome: 'same' };
    const rules = this.rules();
    for (const [customerId, delta] of this.writePoints([row], at)) {
      this.stats.apply(customerId, { spendKobo: 0, purchases: 0, points: delta, at }, rules);
    }
    return { outcome: 'applied' };
  }

  writeStockMove(move: StockMoveRow, at: number): LedgerWrite {
    if (this.s.move?.get(move.id) !== undefined) return { outcome: 'same' };
    this.writeMove(move, at);
    return { outcome: 'applied' };
  }
}
