/** Loyalty arithmetic, pure: points for a spend, the tier for a lifetime spend, a points value. */
import type { LoyaltyRules, Tier } from '../../../shared/contract';

export const DEFAULT_LOYALTY_RULES: LoyaltyRules = {
  pointsPer100Naira: 1,
  pointValueKobo: 100,
  tierThresholdsKobo: { silver: 5_000_000, gold: 20_000_000, platinum: 50_000_000 },
};

/** Whole points only: ₦250 at 1 point per ₦100 earns 2 points. */
export function pointsForSpend(spendKobo: number, rules: LoyaltyRules): number {
  if (spendKobo <= 0) return 0;
  return Math.floor(spendKobo / 10_000) * rules.pointsPer100Naira;
}

export function tierForSpend(lifetimeSpendKobo: number, rules: LoyaltyRules): Tier {
  const t = rules.tierThresholdsKobo;
  if (lifetimeSpendKobo >= t.platinum) return 'platinum';
  if (lifetimeSpendKobo >= t.gold) return 'gold';
  if (lifetimeSpendKobo >= t.silver) return 'silver';
  return 'bronze';
}

export function pointsValueKobo(points: number, rules: LoyaltyRules): number {
  return points * rules.pointValueKobo;
}

/** Points needed to pay `amountKobo` (rounded up: a part point pays nothing). */
export function pointsForPayment(amountKobo: number, rules: LoyaltyRules): number {
  return Math.ceil(amountKobo / rules.pointValueKobo);
}
