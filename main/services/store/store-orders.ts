/**
 * Online orders at the counter. The sync server prices each order and appends it to the
 * business's change log; every counter takes it in here as a pending order that holds back its
 * units, linked to the customer with that phone number (or a new customer, made with an id
 * derived from the number so that two counters taking the same order make the same customer).
 * Fulfilling records the sale and releases the units; cancelling releases them. Both are facts
 * (`store_order_updates`) that sync to the other counters and the server, so the order shows
 * the same everywhere and the storefront's stock follows.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Page } from '../../../shared/channel';
import type { StaffMember } from '../../../shared/channels/foundation';
import type { PaymentMethod } from '../../../shared/channels/sales';
import type { StoreOrder, StoreOrderStatus } from '../../../shared/channels/store';
import { customerInputSchema } from '../../../shared/channels/customers';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { PaymentOption } from '../../../shared/store/draft';
import type { StoreOrderRow, StoreOrderUpdateRow, StorePaymentRow } from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import type { CustomerService } from '../customers/customer-service';
import type { ProductService } from '../products/product-service';
import type { SaleService } from '../sales/sale-service';
import type { ApplyOutcome } from '../sync/sync-applier';
import type { SyncRecorder } from '../sync/sync-recorder';

interface OrderRow {
  id: string;
  status: StoreOrderStatus;
  test: number;
  customer_id: string | null;
  payment_status: string;
  payment_reference: string | null;
  data: string;
  sale_id: string | null;
  reason: string;
  updated_at: number | null;
}

/** How an online payment method is recorded as a till payment when the order becomes a sale. */
const TILL_METHOD: Record<PaymentOption, PaymentMethod> = {
  paystack: 'card',
  flutterwave: 'card',
  bankTransfer: 'transfer',
  payOnDelivery: 'cash',
};

/** A UUID (version 8) from the sha256 of its parts: the same parts give the same id anywhere. */
export function derivedId(parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class StoreOrders {
  private readonly statements;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: {
      sql: Database.Database;
      audit: AuditLog;
      sync: SyncRecorder;
      customers: CustomerService;
      products: ProductService;
      sales: SaleService;
      businessId: () => string | null;
      now: () => number;
    },
  ) {
    const sql = deps.sql;
    this.statements = {
      exists: sql.prepare<[string], { id: string }>('SELECT id FROM store_orders WHERE id = ?'),
      byId: sql.prepare<[string], OrderRow>(
        `SELECT id, status, test, customer_id, payment_status, payment_reference, data, sale_id, reason, updated_at
         FROM store_orders WHERE id = ?`,
      ),
      insert: sql.prepare(
        `INSERT INTO store_orders (id, number, status, test, customer_id, customer_name, phone, total_kobo,
           payment_method, payment_status, data, placed_at, received_at)
         VALUES (@id, @number, 'pending', @test, @customerId, @customerName, @phone, @totalKobo,
           @paymentMethod, @paymentStatus, @data, @placedAt, @receivedAt)`,
      ),
      insertLine: sql.prepare(
        'INSERT INTO store_order_lines (order_id, line_no, product_id, quantity) VALUES (?, ?, ?, ?)',
      ),
      paymentExists: sql.prepare<[string], { id: string }>('SELECT id FROM store_payments WHERE id = ?'),
      insertPayment: sql.prepare(
        `INSERT INTO store_payments (id, order_id, provider, reference, status, amount_kobo, at)
         VALUES (@id, @orderId, @provider, @reference, @status, @amountKobo, @at)`,
      ),
      setPayment: sql.prepare<[string, string, string]>(
        // A paid order stays paid: a later failed attempt of the same shopper does not undo it.
        `UPDATE store_orders SET payment_status = CASE WHEN payment_status = 'paid' THEN 'paid' ELSE ? END,
           payment_reference = coalesce(payment_reference, ?) WHERE id = ?`,
      ),
      updateExists: sql.prepare<[string], { id: string }>('SELECT id FROM store_order_updates WHERE id = ?'),
      orderUpdates: sql.prepare<[string], { id: string }>(
        'SELECT id FROM store_order_updates WHERE order_id = ? LIMIT 1',
      ),
      insertUpdate: sql.prepare(
        `INSERT INTO store_order_updates (id, order_id, status, sale_id, reason, staff_id, created_at)
         VALUES (@id, @orderId, @status, @saleId, @reason, @staffId, @createdAt)`,
      ),
      // The first update (by time, then id) decides: two counters settling one order agree.
      settle: sql.prepare<[string]>(
        `UPDATE store_orders SET (status, sale_id, reason, updated_at) = (
           SELECT status, sale_id, reason, created_at FROM store_order_updates
            WHERE order_id = store_orders.id ORDER BY created_at, id LIMIT 1)
         WHERE id = ? AND EXISTS (SELECT 1 FROM store_order_updates WHERE order_id = store_orders.id)`,
      ),
      pending: sql.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM store_orders WHERE status = 'pending' AND test = 0",
      ),
      reserved: sql.prepare<[], { product_id: string; quantity: number }>(
        `SELECT l.product_id, sum(l.quantity) AS quantity FROM store_order_lines l
           JOIN store_orders o ON o.id = l.order_id
          WHERE o.status = 'pending' AND o.test = 0 GROUP BY l.product_id`,
      ),
    };
  }

  /** Called after orders arrive or change, outside their transaction's work. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  // ── Facts from sync ─────────────────────────────────────────────────────────────────────

  /** An order from the storefront (or the preview's test checkout). */
  order(row: StoreOrderRow): ApplyOutcome {
    if (this.statements.exists.get(row.id) !== undefined) return 'same';
    const at = this.deps.now();
    this.deps.sql.transaction(() => {
      const customerId = row.test ? null : this.customerFor(row);
      this.statements.insert.run({
        id: row.id,
        number: row.number,
        test: row.test ? 1 : 0,
        customerId,
        customerName: row.customer.name,
        phone: row.customer.phone,
        totalKobo: row.totalKobo,
        paymentMethod: row.payment.method,
        paymentStatus: row.payment.status,
        data: JSON.stringify(row),
        placedAt: row.placedAt,
        receivedAt: at,
      });
      row.lines.forEach((line, index) =>
        this.statements.insertLine.run(row.id, index + 1, line.productId, line.quantity),
      );
      // An update can arrive before its order (another counter settled it while this one was off).
      this.statements.settle.run(row.id);
    })();
    queueMicrotask(() => this.changed());
    return 'applied';
  }

  payment(row: StorePaymentRow): ApplyOutcome {
    if (this.statements.paymentExists.get(row.id) !== undefined) return 'same';
    this.deps.sql.transaction(() => {
      this.statements.insertPayment.run(row);
      this.statements.setPayment.run(row.status, row.reference, row.orderId);
    })();
    queueMicrotask(() => this.changed());
    return 'applied';
  }

  update(row: StoreOrderUpdateRow): ApplyOutcome {
    if (this.statements.updateExists.get(row.id) !== undefined) return 'same';
    this.deps.sql.transaction(() => {
      this.statements.insertUpdate.run(row);
      this.statements.settle.run(row.orderId);
    })();
    queueMicrotask(() => this.changed());
    return 'applied';
  }

  // ── The counter's side ──────────────────────────────────────────────────────────────────

  list(input: { status: StoreOrderStatus | 'all'; offset: number; limit: number }): Page<StoreOrder> {
    const where = input.status === 'all' ? '' : 'WHERE status = ?';
    const params = input.status === 'all' ? [] : [input.status];
    const total = (
      this.deps.sql.prepare(`SELECT count(*) AS n FROM store_orders ${where}`).get(...params) as { n: number }
    ).n;
    const rows = this.deps.sql
      .prepare(
        `SELECT id, status, test, customer_id, payment_status, payment_reference, data, sale_id, reason, updated_at
         FROM store_orders ${where} ORDER BY placed_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as OrderRow[];
    return { total, rows: rows.map(toOrder) };
  }

  get(id: string): StoreOrder {
    const row = this.statements.byId.get(id);
    if (row === undefined) throw new KasuwaError('not_found', 'That order is not here (yet).');
    return toOrder(row);
  }

  pendingCount(): number {
    return this.statements.pending.get()?.n ?? 0;
  }

  /** Units each product's pending orders hold back (test orders hold none). */
  reserved(): Map<string, number> {
    return new Map(this.statements.reserved.all().map((row) => [row.product_id, row.quantity]));
  }

  /** Records the order as a sale by the signed-in cashier and releases its units. */
  fulfil(id: string, cashier: StaffMember): StoreOrder {
    const order = this.requirePending(id);
    if (order.test) {
      throw new KasuwaError('conflict', 'A test order is not sold. Cancel it when you are done looking.');
    }
    if (order.paymentStatus === 'awaiting-payment' || order.paymentStatus === 'failed') {
      throw new KasuwaError(
        'conflict',
        `Order ${order.number} is not paid yet (${order.paymentMethod === 'paystack' ? 'Paystack' : 'Flutterwave'}). Wait for the payment or cancel the order.`,
      );
    }
    const at = this.deps.now();
    this.deps.sql
      .transaction(() => {
        const lines = order.lines.map((line) => {
          const product = this.deps.products.get(line.productId);
          // The counter's price is the catalogue's; an online price below it is a discount.
          const gross = product.priceKobo * line.quantity;
          return {
            productId: line.productId,
            quantity: line.quantity,
            discountKobo: Math.max(0, gross - line.totalKobo),
            totalKobo: Math.min(gross, line.totalKobo),
          };
        });
        const total = lines.reduce((sum, line) => sum + line.totalKobo, 0);
        const sale = this.deps.sales.record(
          {
            saleId: derivedId(['store-order-sale', order.id]),
            lines: lines.map(({ productId, quantity, discountKobo }) => ({
              productId,
              quantity,
              discountKobo,
            })),
            customerId: order.customerId,
            payments: [
              {
                method: TILL_METHOD[order.paymentMethod],
                amountKobo: total,
                reference: order.paymentReference ?? `Online order ${order.number}`,
              },
            ],
          },
          cashier,
        );
        this.settle(order, { status: 'fulfilled', saleId: sale.id, reason: '', staffId: cashier.id, at });
      })
      .immediate();
    queueMicrotask(() => this.changed());
    return this.get(id);
  }

  cancel(id: string, reason: string, staffId: string | null): StoreOrder {
    const order = this.requirePending(id);
    const at = this.deps.now();
    this.deps.sql
      .transaction(() => this.settle(order, { status: 'cancelled', saleId: null, reason, staffId, at }))
      .immediate();
    queueMicrotask(() => this.changed());
    return this.get(id);
  }

  private settle(
    order: StoreOrder,
    update: {
      status: 'fulfilled' | 'cancelled';
      saleId: string | null;
      reason: string;
      staffId: string | null;
      at: number;
    },
  ): void {
    const row: StoreOrderUpdateRow = {
      id: uuidv7(update.at),
      orderId: order.id,
      status: update.status,
      saleId: update.saleId,
      reason: update.reason,
      staffId: update.staffId,
      createdAt: update.at,
    };
    this.statements.insertUpdate.run(row);
    this.statements.settle.run(order.id);
    // Test orders never left this counter; their updates stay here too.
    if (!order.test) this.deps.sync.ledgerInserted('store_order_update', row.id, row);
    this.deps.audit.append({
      action: `store.order.${update.status}`,
      entity: 'store_order',
      entityId: order.id,
      actorStaffId: update.staffId,
      details: { number: order.number, saleId: update.saleId, reason: update.reason },
    });
  }

  private requirePending(id: string): StoreOrder {
    const order = this.get(id);
    if (order.status !== 'pending') {
      throw new KasuwaError(
        'already_done',
        `Order ${order.number} was already ${order.status}${order.status === 'cancelled' && order.reason !== '' ? ` (${order.reason})` : ''}.`,
      );
    }
    return order;
  }

  /** The customer with the order's phone number, or a new one made from the order. */
  private customerFor(row: StoreOrderRow): string | null {
    const existing = this.deps.customers.findByPhone(row.customer.phone);
    if (existing !== null) return existing.id;
    const [firstName = '', ...rest] = row.customer.name.split(/\s+/);
    const input = customerInputSchema.safeParse({
      firstName: firstName.slice(0, 60),
      lastName: rest.join(' ').slice(0, 60),
      phone: row.customer.phone,
      email: row.customer.email,
      address: row.customer.address.slice(0, 200),
      state: row.customer.state,
      lgaCity: row.customer.lgaCity.slice(0, 80),
      tags: ['online'],
      consentSource: 'online store',
    });
    // An order whose contact details the book cannot take is still kept, without a customer.
    if (!input.success) return null;
    const id = derivedId(['store-customer', this.deps.businessId() ?? '', row.customer.phone]);
    try {
      return this.deps.customers.create(input.data, null, id).id;
    } catch (error) {
      if (error instanceof KasuwaError) return null;
      throw error;
    }
  }
}

function toOrder(row: OrderRow): StoreOrder {
  const data = JSON.parse(row.data) as StoreOrderRow;
  return {
    id: row.id,
    number: data.number,
    status: row.status,
    test: row.test === 1,
    lines: data.lines,
    customerId: row.customer_id,
    customerName: data.customer.name,
    phone: data.customer.phone,
    email: data.customer.email,
    state: data.customer.state,
    lgaCity: data.customer.lgaCity,
    address: data.customer.address,
    delivery: data.delivery,
    paymentMethod: data.payment.method,
    paymentStatus: row.payment_status as StoreOrder['paymentStatus'],
    paymentReference: row.payment_reference,
    subtotalKobo: data.subtotalKobo,
    totalKobo: data.totalKobo,
    note: data.note,
    placedAt: data.placedAt,
    saleId: row.sale_id,
    reason: row.reason,
    updatedAt: row.updated_at,
  };
}
