/**
 * Project tier (一般 / 重点 / 重大…) by planned investment. Thresholds are policy data
 * of each city profile, so rules are passed in.
 */

import type { LeadCurrency } from './amount';

export interface TierRule {
  /** Stable identifier stored with the lead, e.g. "major". */
  tier: string;
  /** Chinese label shown to users, e.g. 重大 / 重点 / 一般. */
  label: string;
  /** Minimum planned investment in 万元 (CNY); the rule with 0 is the floor. */
  minAmountWan: number;
}

/** Tolerance for floating-point error when a converted amount sits exactly on a threshold. */
const EPSILON_WAN = 1e-6;

/**
 * The highest rule whose minimum the amount meets. USD amounts are converted to CNY with
 * `usdToCnyRate` (yuan per dollar). Rules may be given in any order.
 *
 * Throws when the rules are empty or malformed, when the rate is needed and not a positive
 * number, or when the amount is below every rule (the profile lacks a floor rule with
 * minAmountWan 0): those are configuration errors, not user errors.
 */
export function classifyTier<R extends TierRule>(
  amount: { amountWan: number; currency: LeadCurrency },
  rules: readonly R[],
  usdToCnyRate: number,
): R {
  if (!rules || rules.length === 0) throw new Error('classifyTier: no tier rules configured');
  for (const r of rules) {
    if (!Number.isFinite(r.minAmountWan) || r.minAmountWan < 0) {
      throw new Error(`classifyTier: invalid minAmountWan for tier "${r.tier}"`);
    }
  }
  if (!Number.isFinite(amount.amountWan) || amount.amountWan < 0) {
    throw new Error('classifyTier: invalid amount');
  }
  let cnyWan = amount.amountWan;
  if (amount.currency === 'USD') {
    if (!Number.isFinite(usdToCnyRate) || usdToCnyRate <= 0) {
      throw new Error('classifyTier: invalid USD to CNY rate');
    }
    cnyWan = amount.amountWan * usdToCnyRate;
  }
  const sorted = [...rules].sort((a, b) => b.minAmountWan - a.minAmountWan);
  const hit = sorted.find((r) => cnyWan + EPSILON_WAN >= r.minAmountWan);
  if (!hit) throw new Error('classifyTier: amount below every tier rule (missing floor rule with minAmountWan 0)');
  return hit;
}
