/**
 * Fraud risk of one sale, pure: each rule that fires adds to the score and gives the owner a
 * sentence saying why. Thresholds are the shop's common sense, not a model.
 */
import { lagosHour } from '../../../shared/lagos-time';
import { formatNaira } from '../../../shared/money';

export interface SaleRiskFacts {
  at: number;
  totalKobo: number;
  /** Payment methods of this sale (points excluded) and their amounts. */
  payments: { method: string; amountKobo: number }[];
  customer: {
    purchaseCount: number;
    totalSpentKobo: number;
    /** Methods this customer paid with before this sale. */
    methodsUsed: string[];
    phoneChangesLast30Days: number;
  } | null;
}

export interface SaleRisk {
  score: number;
  reasons: string[];
}

export const NEW_METHOD_LIMIT_KOBO = 5_000_000;
const LARGE_SALE_FACTOR = 5;

export function assessSaleRisk(facts: SaleRiskFacts): SaleRisk {
  const reasons: string[] = [];
  let score = 0;
  const hour = lagosHour(facts.at);
  if (hour < 6 || hour >= 22) {
    score += 20;
    reasons.push(`Sold at ${String(hour).padStart(2, '0')}:00, outside shop hours (06:00–22:00).`);
  }
  const customer = facts.customer;
  if (customer !== null) {
    if (customer.purchaseCount >= 3) {
      const average = Math.floor(customer.totalSpentKobo / customer.purchaseCount);
      if (average > 0 && facts.totalKobo > LARGE_SALE_FACTOR * average) {
        score += 30;
        reasons.push(
          `${formatNaira(facts.totalKobo)} is more than 5 times this customer's average sale (${formatNaira(average)}).`,
        );
      }
    }
    const used = new Set(customer.methodsUsed);
    for (const payment of facts.payments) {
      if (!used.has(payment.method) && payment.amountKobo > NEW_METHOD_LIMIT_KOBO) {
        score += 25;
        reasons.push(
          `${formatNaira(payment.amountKobo)} paid by ${payment.method}, a method this customer has not used before (over ₦50,000).`,
        );
      }
    }
    const allMethods = new Set([...customer.methodsUsed, ...facts.payments.map((p) => p.method)]);
    if (allMethods.size > 5) {
      score += 15;
      reasons.push(`This customer has now paid with ${allMethods.size} different payment methods.`);
    }
    if (customer.phoneChangesLast30Days >= 3) {
      score += 20;
      reasons.push(
        `This customer's phone number changed ${customer.phoneChangesLast30Days} times in the last 30 days.`,
      );
    }
  }
  return { score: Math.min(score, 100), reasons };
}
