/**
 * Channels of the till: who is signed in, recording a sale with split payments, receipts,
 * refunds and voids (manager or owner PIN), loyalty rules, and the fraud review queue.
 */
import { z } from 'zod';
import { channel, idInput, kobo, noInput, pageInput, pin, type Page } from '../channel';
import type { StaffMember } from './foundation';
import type { Tier } from './customers';

export const PAYMENT_METHODS = ['cash', 'transfer', 'card', 'ussd', 'points'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  transfer: 'Bank transfer',
  card: 'Card (POS)',
  ussd: 'USSD',
  points: 'Loyalty points',
};

const saleLineInput = z.object({
  productId: z.uuid(),
  quantity: z.number().int().min(1, 'Quantity is at least 1').max(100_000),
  /** Discount on the whole line, in kobo. */
  discountKobo: kobo.default(0),
});

const paymentInput = z.object({
  method: z.enum(PAYMENT_METHODS),
  amountKobo: kobo.refine((amount) => amount > 0, 'A payment is more than ₦0'),
  /** Cash only: what the customer handed over. */
  tenderedKobo: kobo.optional(),
  /** Transfer/card/USSD reference, if the cashier notes it. */
  reference: z.string().trim().max(80).default(''),
});

export const recordSaleSchema = z.object({
  /** Made by the till when the cart opens: recording the same sale twice stores it once. */
  saleId: z.uuid(),
  lines: z.array(saleLineInput).min(1, 'Add at least one item').max(500),
  customerId: z.uuid().nullable().default(null),
  payments: z.array(paymentInput).min(1, 'Take at least one payment').max(10),
});

export interface SaleLine {
  id: string;
  lineNo: number;
  productId: string | null;
  name: string;
  unitPriceKobo: number;
  quantity: number;
  discountKobo: number;
  totalKobo: number;
  refundedQuantity: number;
}

export interface SalePayment {
  id: string;
  method: PaymentMethod;
  amountKobo: number;
  tenderedKobo: number | null;
  changeKobo: number;
  reference: string;
  pointsUsed: number;
}

export interface RefundRecord {
  id: string;
  kind: 'refund' | 'void';
  amountKobo: number;
  method: PaymentMethod;
  reason: string;
  staffName: string;
  approvedByName: string;
  pointsReversed: number;
  createdAt: number;
}

export interface Sale {
  id: string;
  receiptNumber: string;
  createdAt: number;
  staffId: string;
  staffName: string;
  customer: {
    id: string;
    displayName: string;
    phoneNational: string;
    pointsBalance: number;
    tier: Tier;
  } | null;
  lines: SaleLine[];
  payments: SalePayment[];
  refunds: RefundRecord[];
  subtotalKobo: number;
  discountKobo: number;
  totalKobo: number;
  paidKobo: number;
  changeKobo: number;
  refundedKobo: number;
  pointsEarned: number;
  riskScore: number;
  riskReasons: string[];
  /** Set when this sale moved the customer to a new tier. */
  tierChange: { from: Tier; to: Tier } | null;
}

export interface SaleSummary {
  id: string;
  receiptNumber: string;
  createdAt: number;
  staffName: string;
  customerName: string | null;
  totalKobo: number;
  refundedKobo: number;
  riskScore: number;
}

export interface LoyaltyRules {
  /** Points earned per ₦100 spent (default 1). */
  pointsPer100Naira: number;
  /** What one point is worth when redeemed at the till, in kobo (default 100 = ₦1). */
  pointValueKobo: number;
  /** Lifetime spend, in kobo, from which each tier starts. */
  tierThresholdsKobo: { silver: number; gold: number; platinum: number };
}

export interface RiskQueueItem {
  sale: SaleSummary;
  reasons: string[];
  status: 'open' | 'cleared' | 'confirmed';
  note: string;
}

export const loyaltyRulesSchema = z
  .object({
    pointsPer100Naira: z.number().int().min(0).max(100),
    pointValueKobo: z.number().int().min(1).max(100_000),
    tierThresholdsKobo: z
      .object({ silver: kobo, gold: kobo, platinum: kobo })
      .refine((t) => t.silver < t.gold && t.gold < t.platinum, {
        message: 'Each tier starts above the one before it',
      }),
  })
  .strict();

export const saleChannels = {
  'till:signIn': channel<StaffMember>()(z.object({ pin })),
  'till:signOut': channel<null>()(noInput),
  'till:current': channel<StaffMember | null>()(noInput),
  'sales:record': channel<Sale>()(recordSaleSchema),
  'sales:get': channel<Sale>()(idInput),
  'sales:list': channel<Page<SaleSummary>>()(
    z.object({
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      customerId: z.uuid().optional(),
      ...pageInput,
    }),
  ),
  /** The receipt as plain text, to share on WhatsApp. */
  'sales:receiptText': channel<string>()(idInput),
  'sales:refund': channel<Sale>()(
    z.object({
      saleId: z.uuid(),
      kind: z.enum(['refund', 'void']),
      /** Lines and quantities to give back; empty means everything not yet refunded. */
      lines: z
        .array(z.object({ saleLineId: z.uuid(), quantity: z.number().int().min(1).max(100_000) }))
        .max(500)
        .default([]),
      method: z.enum(PAYMENT_METHODS),
      reason: z.string().trim().min(3, 'Say why, in a few words').max(200),
      approverPin: pin,
    }),
  ),
  'loyalty:rules': channel<LoyaltyRules>()(noInput),
  'loyalty:updateRules': channel<LoyaltyRules>()(loyaltyRulesSchema),
  'risk:queue': channel<Page<RiskQueueItem>>()(
    z.object({ status: z.enum(['open', 'cleared', 'confirmed']).default('open'), ...pageInput }),
  ),
  'risk:review': channel<RiskQueueItem>()(
    z.object({
      saleId: z.uuid(),
      status: z.enum(['cleared', 'confirmed']),
      note: z.string().trim().max(500).default(''),
      ownerPin: pin,
    }),
  ),
  /** Prints the receipt on screen through Electron; browser mode answers `unavailable`. */
  'printing:print': channel<null>()(z.object({ paper: z.enum(['80mm', 'a4']) })),
} as const;
