/** Loyalty arithmetic and the fraud rules, pure and table-driven. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOYALTY_RULES,
  pointsForPayment,
  pointsForSpend,
  pointsValueKobo,
  tierForSpend,
} from '../../main/services/loyalty/loyalty-rules';
import { assessSaleRisk, type SaleRiskFacts } from '../../main/services/risk/risk-rules';

const rules = DEFAULT_LOYALTY_RULES;

describe('loyalty', () => {
  it.each([
    [0, 0],
    [9_999, 0],
    [10_000, 1],
    [25_050, 2],
    [1_000_000, 100],
    [-5_000, 0],
  ])('%i kobo earns %i points at 1 point per ₦100', (kobo, points) => {
    expect(pointsForSpend(kobo, rules)).toBe(points);
  });

  it('earns at the shop’s own rate', () => {
    expect(pointsForSpend(50_000, { ...rules, pointsPer100Naira: 3 })).toBe(15);
  });

  it.each([
    [0, 'bronze'],
    [4_999_999, 'bronze'],
    [5_000_000, 'silver'],
    [20_000_000, 'gold'],
    [49_999_999, 'gold'],
    [50_000_000, 'platinum'],
  ])('a lifetime spend of %i kobo is %s', (kobo, tier) => {
    expect(tierForSpend(kobo, rules)).toBe(tier);
  });

  it('values points and rounds the points needed for a payment up', () => {
    expect(pointsValueKobo(25, rules)).toBe(2_500);
    expect(pointsForPayment(2_550, rules)).toBe(26);
    expect(pointsForPayment(2_500, rules)).toBe(25);
  });
});

const noon = Date.parse('2026-11-24T11:00:00Z');
const regular: SaleRiskFacts['customer'] = {
  purchaseCount: 10,
  totalSpentKobo: 1_000_000,
  methodsUsed: ['cash', 'transfer'],
  phoneChangesLast30Days: 0,
};

describe('fraud risk', () => {
  it('finds nothing in an ordinary daytime sale', () => {
    expect(
      assessSaleRisk({
        at: noon,
        totalKobo: 150_000,
        payments: [{ method: 'cash', amountKobo: 150_000 }],
        customer: regular,
      }),
    ).toEqual({
      score: 0,
      reasons: [],
    });
  });

  it.each<[string, Partial<SaleRiskFacts>, RegExp]>([
    ['a sale at 23:00 Lagos', { at: Date.parse('2026-11-24T22:00:00Z') }, /outside shop hours/],
    ['a sale at 05:00 Lagos', { at: Date.parse('2026-11-24T04:00:00Z') }, /outside shop hours/],
    [
      'more than 5× the average',
      { totalKobo: 600_000, payments: [{ method: 'cash', amountKobo: 600_000 }] },
      /more than 5 times/,
    ],
    [
      'a new method above ₦50,000',
      { totalKobo: 6_000_000 / 100, payments: [{ method: 'card', amountKobo: 6_000_000 }] },
      /not used before/,
    ],
    [
      'more than 5 methods',
      {
        customer: { ...regular, methodsUsed: ['cash', 'transfer', 'card', 'ussd', 'points'] },
        payments: [{ method: 'pos-2', amountKobo: 1_000 }],
      },
      /6 different payment methods/,
    ],
    ['frequent phone changes', { customer: { ...regular, phoneChangesLast30Days: 3 } }, /changed 3 times/],
  ])('flags %s', (_label, change, reason) => {
    const risk = assessSaleRisk({
      at: noon,
      totalKobo: 100_000,
      payments: [{ method: 'cash', amountKobo: 100_000 }],
      customer: regular,
      ...change,
    });
    expect(risk.score).toBeGreaterThan(0);
    expect(risk.reasons.join(' ')).toMatch(reason);
  });

  it('needs a few purchases before judging a customer’s average', () => {
    const newcomer = { ...regular, purchaseCount: 2, totalSpentKobo: 20_000 };
    expect(
      assessSaleRisk({
        at: noon,
        totalKobo: 900_000,
        payments: [{ method: 'cash', amountKobo: 900_000 }],
        customer: newcomer,
      }).score,
    ).toBe(0);
  });

  it('does not judge the method history of a walk-in customer', () => {
    expect(
      assessSaleRisk({
        at: noon,
        totalKobo: 9_000_000,
        payments: [{ method: 'card', amountKobo: 9_000_000 }],
        customer: null,
      }).score,
    ).toBe(0);
  });
});
