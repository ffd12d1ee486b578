/** Selling, refunds and the books on a real encrypted file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiptText } from '../../main/services/sales/receipt-text';
import { uuidv7 } from '../../shared/ids';
import { lagosDayRange } from '../../shared/lagos-time';
import {
  CASHIER_PIN,
  MANAGER_PIN,
  newCustomer,
  newProduct,
  openTestShop,
  OWNER_PIN,
  type TestShop,
} from './shop';

let shop: TestShop;
beforeEach(() => {
  shop = openTestShop();
});
afterEach(() => {
  shop.close();
});

function ringUp(
  lines: { productId: string; quantity: number; discountKobo?: number }[],
  payments: {
    method: 'cash' | 'transfer' | 'card' | 'ussd' | 'points';
    amountKobo: number;
    tenderedKobo?: number;
  }[],
  customerId: string | null = null,
) {
  return shop.sales.record(
    {
      saleId: uuidv7(),
      lines: lines.map((line) => ({ discountKobo: 0, ...line })),
      customerId,
      payments: payments.map((payment) => ({ reference: '', ...payment })),
    },
    shop.cashier,
  );
}

describe('recording a sale', () => {
  it('takes a split payment with cash change, moves stock, earns points and writes the books', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const oil = newProduct(shop, 'Oil 1L', 2_500);
    const customer = newCustomer(shop, '0803 555 1234');
    const sale = ringUp(
      [
        { productId: rice.id, quantity: 1 },
        { productId: oil.id, quantity: 2, discountKobo: 20_000 },
      ],
      [
        { method: 'cash', amountKobo: 800_000, tenderedKobo: 1_000_000 },
        { method: 'transfer', amountKobo: 580_000 },
      ],
      customer.id,
    );
    expect(sale).toMatchObject({
      subtotalKobo: 1_400_000,
      discountKobo: 20_000,
      totalKobo: 1_380_000,
      changeKobo: 200_000,
      pointsEarned: 138,
    });
    expect(sale.receiptNumber).toMatch(/^[0-9A-F]{6}-000001$/);
    expect(sale.staffName).toBe('Chidi Cashier');
    expect(shop.products.get(oil.id).stock).toBe(98);
    expect(shop.customers.get(customer.id)).toMatchObject({
      pointsBalance: 138,
      purchaseCount: 1,
      totalSpentKobo: 1_380_000,
    });
    expect(shop.audit.list(1)[0]).toMatchObject({ action: 'sale.record', entityId: sale.id });
    const queued = shop.db.sqlite
      .prepare("SELECT payload FROM outbox WHERE entity = 'sale' AND entity_id = ?")
      .get(sale.id) as { payload: string };
    expect(JSON.parse(queued.payload)).toMatchObject({
      totalKobo: 1_380_000,
      lines: [{}, {}],
      payments: [{}, {}],
    });
    expect(shop.audit.verify().intact).toBe(true);
  });

  it('records a sale once however often it is sent', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const input = {
      saleId: uuidv7(),
      lines: [{ productId: rice.id, quantity: 1, discountKobo: 0 }],
      customerId: null,
      payments: [{ method: 'card' as const, amountKobo: 900_000, reference: '' }],
    };
    const first = shop.sales.record(input, shop.cashier);
    const again = shop.sales.record(input, shop.cashier);
    expect(again.id).toBe(first.id);
    expect(shop.sales.list({ offset: 0, limit: 10 }).total).toBe(1);
    expect(shop.products.get(rice.id).stock).toBe(99);
  });

  it('refuses payments that do not add up, short cash, and points without a customer', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    expect(() =>
      ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'cash', amountKobo: 800_000 }]),
    ).toThrow(/payments come to ₦8,000 but the sale is ₦9,000/);
    expect(() =>
      ringUp(
        [{ productId: rice.id, quantity: 1 }],
        [{ method: 'cash', amountKobo: 900_000, tenderedKobo: 500_000 }],
      ),
    ).toThrow(/less than/);
    expect(() =>
      ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'points', amountKobo: 900_000 }]),
    ).toThrow(/Attach the customer/);
    expect(shop.sales.list({ offset: 0, limit: 10 }).total).toBe(0);
  });

  it('redeems points as a payment, and earns only on the rest', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const customer = newCustomer(shop, '0803 555 1234');
    ringUp([{ productId: rice.id, quantity: 2 }], [{ method: 'cash', amountKobo: 1_800_000 }], customer.id);
    expect(shop.customers.get(customer.id).pointsBalance).toBe(180);
    const sale = ringUp(
      [{ productId: rice.id, quantity: 1 }],
      [
        { method: 'points', amountKobo: 10_000 },
        { method: 'cash', amountKobo: 890_000 },
      ],
      customer.id,
    );
    expect(sale.pointsEarned).toBe(89);
    expect(shop.customers.get(customer.id).pointsBalance).toBe(180 - 100 + 89);
    expect(() =>
      ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'points', amountKobo: 900_000 }], customer.id),
    ).toThrow(/has 169 points; this needs 9000/);
  });

  it('moves a customer up a tier and records the event for campaigns', () => {
    const tv = newProduct(shop, 'TV 32 inch', 60_000);
    const customer = newCustomer(shop, '0803 555 1234');
    const sale = ringUp(
      [{ productId: tv.id, quantity: 1 }],
      [{ method: 'transfer', amountKobo: 6_000_000 }],
      customer.id,
    );
    expect(sale.tierChange).toEqual({ from: 'bronze', to: 'silver' });
    const event = shop.db.sqlite
      .prepare('SELECT from_tier, to_tier FROM loyalty_events WHERE customer_id = ?')
      .get(customer.id);
    expect(event).toEqual({ from_tier: 'bronze', to_tier: 'silver' });
  });

  it('puts a risky sale in the owner’s review queue with its reasons', () => {
    const tv = newProduct(shop, 'TV 32 inch', 60_000);
    shop.clock.now = Date.parse('2026-11-24T22:30:00Z');
    const sale = ringUp([{ productId: tv.id, quantity: 1 }], [{ method: 'transfer', amountKobo: 6_000_000 }]);
    expect(sale.riskReasons.join(' ')).toMatch(/outside shop hours/);
    const queue = shop.risk.queue('open', 0, 10);
    expect(queue.rows.map((item) => item.sale.id)).toEqual([sale.id]);
    expect(() =>
      shop.risk.review({ saleId: sale.id, status: 'cleared', note: '', ownerPin: MANAGER_PIN }),
    ).toThrow(/not a owner PIN|PIN is not right/);
    expect(
      shop.risk.review({ saleId: sale.id, status: 'cleared', note: 'Late delivery', ownerPin: OWNER_PIN })
        .status,
    ).toBe('cleared');
    expect(shop.risk.queue('open', 0, 10).total).toBe(0);
  });

  it('keeps sales, lines and payments append-only in the database itself', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const sale = ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'cash', amountKobo: 900_000 }]);
    expect(() => shop.db.sqlite.prepare('UPDATE sales SET total_kobo = 1 WHERE id = ?').run(sale.id)).toThrow(
      /append-only/,
    );
    expect(() => shop.db.sqlite.prepare('UPDATE sale_payments SET amount_kobo = 1').run()).toThrow(
      /append-only/,
    );
    expect(() => shop.db.sqlite.prepare('DELETE FROM sale_lines').run()).toThrow(/append-only/);
    expect(() => shop.db.sqlite.prepare('DELETE FROM sales').run()).toThrow(/append-only/);
  });
});

describe('refunds and voids', () => {
  it('need a manager or owner PIN, never a cashier’s', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const sale = ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'cash', amountKobo: 900_000 }]);
    const refund = {
      saleId: sale.id,
      kind: 'refund' as const,
      lines: [],
      method: 'cash' as const,
      reason: 'Damaged bag',
    };
    expect(() => shop.sales.refund({ ...refund, approverPin: CASHIER_PIN }, shop.cashier)).toThrow(
      expect.objectContaining({ code: 'unauthorized' }) as Error,
    );
    expect(shop.sales.get(sale.id).refunds).toEqual([]);
    const refunded = shop.sales.refund({ ...refund, approverPin: MANAGER_PIN }, shop.cashier);
    expect(refunded.refunds).toEqual([
      expect.objectContaining({
        amountKobo: 900_000,
        approvedByName: 'Musa Manager',
        staffName: 'Chidi Cashier',
      }),
    ]);
    expect(shop.products.get(rice.id).stock).toBe(100);
  });

  it('refunds part of a line exactly, never more than was sold, and reverses points', () => {
    const oil = newProduct(shop, 'Oil 1L', 1_000);
    const customer = newCustomer(shop, '0803 555 1234');
    const sale = ringUp(
      [{ productId: oil.id, quantity: 3, discountKobo: 100 }],
      [{ method: 'cash', amountKobo: 299_900 }],
      customer.id,
    );
    const line = sale.lines[0]?.id ?? '';
    const once = shop.sales.refund(
      {
        saleId: sale.id,
        kind: 'refund',
        lines: [{ saleLineId: line, quantity: 1 }],
        method: 'cash',
        reason: 'One leaked',
        approverPin: MANAGER_PIN,
      },
      shop.cashier,
    );
    expect(once.refundedKobo).toBe(99_966);
    expect(() =>
      shop.sales.refund(
        {
          saleId: sale.id,
          kind: 'refund',
          lines: [{ saleLineId: line, quantity: 3 }],
          method: 'cash',
          reason: 'All leaked',
          approverPin: MANAGER_PIN,
        },
        shop.cashier,
      ),
    ).toThrow(/Only 2 of Oil 1L can still be refunded/);
    const rest = shop.sales.refund(
      {
        saleId: sale.id,
        kind: 'refund',
        lines: [],
        method: 'cash',
        reason: 'All leaked',
        approverPin: MANAGER_PIN,
      },
      shop.cashier,
    );
    expect(rest.refundedKobo).toBe(299_900);
    expect(shop.customers.get(customer.id)).toMatchObject({ pointsBalance: 0, totalSpentKobo: 0 });
    expect(() =>
      shop.sales.refund(
        {
          saleId: sale.id,
          kind: 'refund',
          lines: [],
          method: 'cash',
          reason: 'Again',
          approverPin: MANAGER_PIN,
        },
        shop.cashier,
      ),
    ).toThrow(/already refunded/);
  });

  it('counts a line named twice in one refund as one request', () => {
    const oil = newProduct(shop, 'Oil 1L', 1_000);
    const sale = ringUp([{ productId: oil.id, quantity: 2 }], [{ method: 'cash', amountKobo: 200_000 }]);
    const line = sale.lines[0]?.id ?? '';
    expect(() =>
      shop.sales.refund(
        {
          saleId: sale.id,
          kind: 'refund',
          lines: [
            { saleLineId: line, quantity: 2 },
            { saleLineId: line, quantity: 2 },
          ],
          method: 'cash',
          reason: 'Twice',
          approverPin: MANAGER_PIN,
        },
        shop.cashier,
      ),
    ).toThrow(/Only 2 of Oil 1L/);
    expect(shop.sales.get(sale.id).refunds).toEqual([]);
  });

  it('voids a whole sale only while nothing was refunded', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const customer = newCustomer(shop, '0803 555 1234');
    const sale = ringUp(
      [{ productId: rice.id, quantity: 2 }],
      [{ method: 'card', amountKobo: 1_800_000 }],
      customer.id,
    );
    const voided = shop.sales.refund(
      {
        saleId: sale.id,
        kind: 'void',
        lines: [],
        method: 'card',
        reason: 'Wrong customer',
        approverPin: OWNER_PIN,
      },
      shop.owner,
    );
    expect(voided.refunds[0]).toMatchObject({ kind: 'void', amountKobo: 1_800_000 });
    expect(shop.customers.get(customer.id)).toMatchObject({ purchaseCount: 0, pointsBalance: 0 });
    expect(shop.audit.verify().intact).toBe(true);
  });
});

describe('the books', () => {
  it('Z-report: totals by method and cashier, cash expected and counted', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    ringUp(
      [{ productId: rice.id, quantity: 1 }],
      [{ method: 'cash', amountKobo: 900_000, tenderedKobo: 1_000_000 }],
    );
    const split = ringUp(
      [{ productId: rice.id, quantity: 2 }],
      [
        { method: 'cash', amountKobo: 300_000 },
        { method: 'ussd', amountKobo: 1_500_000 },
      ],
    );
    shop.sales.refund(
      {
        saleId: split.id,
        kind: 'refund',
        lines: [{ saleLineId: split.lines[0]?.id ?? '', quantity: 1 }],
        method: 'cash',
        reason: 'Returned',
        approverPin: MANAGER_PIN,
      },
      shop.cashier,
    );
    const report = shop.reports.endOfDay('2026-11-24');
    expect(report).toMatchObject({
      salesCount: 2,
      grossKobo: 2_700_000,
      refundsKobo: 900_000,
      netKobo: 1_800_000,
      expectedCashKobo: 300_000,
    });
    expect(report.byMethod).toEqual(
      expect.arrayContaining([
        { method: 'cash', count: 2, amountKobo: 1_200_000 },
        { method: 'ussd', count: 1, amountKobo: 1_500_000 },
      ]),
    );
    expect(report.byCashier).toEqual([
      expect.objectContaining({
        staffName: 'Chidi Cashier',
        salesCount: 2,
        totalKobo: 2_700_000,
        refundsKobo: 900_000,
      }),
    ]);
    const closed = shop.reports.closeDay('2026-11-24', 290_000, CASHIER_PIN);
    expect(closed.closed).toMatchObject({
      countedCashKobo: 290_000,
      differenceKobo: -10_000,
      closedBy: 'Chidi Cashier',
    });
    expect(() => shop.reports.closeDay('2026-11-24', 300_000, OWNER_PIN)).toThrow(/already closed/);
  });

  it('puts a sale at 23:30 Lagos in that day, and one at 00:30 Lagos in the next', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    shop.clock.now = Date.parse('2026-11-24T22:30:00Z');
    ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'cash', amountKobo: 900_000 }]);
    shop.clock.now = Date.parse('2026-11-24T23:30:00Z');
    ringUp([{ productId: rice.id, quantity: 1 }], [{ method: 'cash', amountKobo: 900_000 }]);
    expect(shop.reports.endOfDay('2026-11-24').salesCount).toBe(1);
    expect(shop.reports.endOfDay('2026-11-25').salesCount).toBe(1);
    const { from } = lagosDayRange('2026-11-24');
    const byDay = shop.reports.salesByPeriod(from, from + 2 * 86_400_000, 'day');
    expect(byDay.map((row) => [row.period, row.salesCount])).toEqual([
      ['2026-11-24', 1],
      ['2026-11-25', 1],
    ]);
    expect(shop.reports.salesByPeriod(from, from + 2 * 86_400_000, 'month')).toEqual([
      { period: '2026-11', salesCount: 2, grossKobo: 1_800_000, refundsKobo: 0, netKobo: 1_800_000 },
    ]);
  });

  it('ranks customers and products, and exports sales as CSV', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const oil = newProduct(shop, 'Oil 1L', 2_500);
    const big = newCustomer(shop, '0803 000 0001', 'Big');
    ringUp([{ productId: rice.id, quantity: 3 }], [{ method: 'cash', amountKobo: 2_700_000 }], big.id);
    ringUp([{ productId: oil.id, quantity: 1 }], [{ method: 'cash', amountKobo: 250_000 }]);
    const day = lagosDayRange('2026-11-24');
    expect(shop.reports.topCustomers(day.from, day.to, 5)).toEqual([
      expect.objectContaining({ displayName: 'Big Eze', totalKobo: 2_700_000 }),
    ]);
    expect(shop.reports.topProducts(day.from, day.to, 5).map((p) => p.name)).toEqual(['Rice 5kg', 'Oil 1L']);
    const csv = shop.reports.exportSalesCsv(day.from, day.to, 0, 100);
    expect(csv.rows).toBe(2);
    expect(csv.csv).toContain('27000.00');
    expect(csv.csv).toContain('cash 2500.00');
  });

  it('writes a WhatsApp receipt a customer can read', () => {
    const rice = newProduct(shop, 'Rice 5kg', 9_000);
    const customer = newCustomer(shop, '0803 555 1234');
    const sale = ringUp(
      [{ productId: rice.id, quantity: 1 }],
      [{ method: 'cash', amountKobo: 900_000, tenderedKobo: 1_000_000 }],
      customer.id,
    );
    const text = shop.sales.receiptText(sale.id);
    expect(text).toContain('TEST STORES');
    expect(text).toContain(sale.receiptNumber);
    expect(text).toMatch(/TOTAL\s+₦9,000/);
    expect(text).toMatch(/Change\s+₦1,000/);
    expect(text).toContain('Thank you for shopping with us!');
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(40);
    expect(receiptText(sale, { name: 'X', phoneNational: null, address: '' }, '')).not.toContain('Tel:');
  });
});
