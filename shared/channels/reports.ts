/** Channels of the books: end of day (Z-report), sales reports, top lists, CSV export. */
import { z } from 'zod';
import { channel, kobo, pageInput, pin } from '../channel';
import type { PaymentMethod } from './sales';

/** A Lagos calendar day, `YYYY-MM-DD`. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-24');

const range = { from: z.number().int(), to: z.number().int() };

export interface MethodTotal {
  method: PaymentMethod;
  count: number;
  amountKobo: number;
}

export interface CashierTotal {
  staffId: string;
  staffName: string;
  salesCount: number;
  totalKobo: number;
  refundsKobo: number;
}

export interface EndOfDayReport {
  day: string;
  fromAt: number;
  toAt: number;
  salesCount: number;
  grossKobo: number;
  refundsKobo: number;
  netKobo: number;
  byMethod: MethodTotal[];
  refundsByMethod: MethodTotal[];
  byCashier: CashierTotal[];
  /** Cash taken minus change given minus cash refunds. */
  expectedCashKobo: number;
  closed: { countedCashKobo: number; differenceKobo: number; closedAt: number; closedBy: string } | null;
}

export interface PeriodTotal {
  period: string;
  salesCount: number;
  grossKobo: number;
  refundsKobo: number;
  netKobo: number;
}

export interface TopCustomer {
  customerId: string;
  displayName: string;
  phoneNational: string;
  salesCount: number;
  totalKobo: number;
}

export interface TopProduct {
  productId: string | null;
  name: string;
  quantity: number;
  totalKobo: number;
}

export const reportChannels = {
  'reports:endOfDay': channel<EndOfDayReport>()(z.object({ day: day.optional() })),
  'reports:closeDay': channel<EndOfDayReport>()(z.object({ day, countedCashKobo: kobo, pin })),
  'reports:salesByPeriod': channel<PeriodTotal[]>()(
    z.object({ ...range, groupBy: z.enum(['day', 'week', 'month']) }),
  ),
  'reports:byMethod': channel<MethodTotal[]>()(z.object(range)),
  'reports:byCashier': channel<CashierTotal[]>()(z.object(range)),
  'reports:topCustomers': channel<TopCustomer[]>()(
    z.object({ ...range, limit: z.number().int().min(1).max(100).default(10) }),
  ),
  'reports:topProducts': channel<TopProduct[]>()(
    z.object({ ...range, limit: z.number().int().min(1).max(100).default(10) }),
  ),
  /** One page of the sales CSV (header on the first page). */
  'reports:exportSalesCsv': channel<{ csv: string; rows: number; done: boolean }>()(
    z.object({
      ...range,
      offset: pageInput.offset,
      limit: z.number().int().min(1).max(50_000).default(20_000),
    }),
  ),
} as const;
