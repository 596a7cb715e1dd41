import { classifyTier, TierRule } from './tier';

/**
 * Cases that kill mutations tier.spec.ts let survive (found with `npm run mutation`): the
 * tolerance on the exchange rate must lift an amount that floating point put just BELOW a
 * threshold, and must not lift one that is really below it; each configuration error is
 * reported as itself, not as the catch-all "below every tier rule".
 */
const GENERAL: TierRule = { tier: 'general', label: '一般', minAmountWan: 0 };
const KEY: TierRule = { tier: 'key', label: '重点', minAmountWan: 10000 };
const MAJOR: TierRule = { tier: 'major', label: '重大', minAmountWan: 100000 };
const RULES = [GENERAL, KEY, MAJOR];

describe('classifyTier tolerance at a threshold', () => {
  it('lifts an amount that the conversion put a hair below the threshold', () => {
    // 10亿元 / 6.06 in dollars, converted back: 99999.99999999999万元 in floating point.
    const amountWan = 100000 / 6.06;
    expect(amountWan * 6.06).toBeLessThan(100000);
    expect(classifyTier({ amountWan, currency: 'USD' }, RULES, 6.06)).toBe(MAJOR);
  });

  it('meets a threshold from exactly the tolerance below (1e-6 万元, one hundredth of a yuan)', () => {
    expect(classifyTier({ amountWan: 9999.999999, currency: 'CNY' }, RULES, 7.1)).toBe(KEY);
  });

  it('does not lift an amount that is really below the threshold', () => {
    expect(classifyTier({ amountWan: 99999.99999, currency: 'CNY' }, RULES, 7.1)).toBe(KEY); // 0.1 yuan short
    expect(classifyTier({ amountWan: 9999.9999, currency: 'CNY' }, RULES, 7.1)).toBe(GENERAL); // 1 yuan short
    expect(classifyTier({ amountWan: 1408.45, currency: 'USD' }, RULES, 7.1)).toBe(GENERAL); // 9999.995万元
  });
});

describe('classifyTier configuration errors name their cause', () => {
  it.each<[string, () => unknown, string]>([
    ['no rules', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [], 7.1), 'classifyTier: no tier rules configured'],
    ['rules missing', () => classifyTier({ amountWan: 1, currency: 'CNY' }, undefined as unknown as TierRule[], 7.1), 'classifyTier: no tier rules configured'],
    ['negative amount', () => classifyTier({ amountWan: -1, currency: 'CNY' }, RULES, 7.1), 'classifyTier: invalid amount'],
    ['NaN amount', () => classifyTier({ amountWan: NaN, currency: 'CNY' }, RULES, 7.1), 'classifyTier: invalid amount'],
    ['infinite amount', () => classifyTier({ amountWan: Infinity, currency: 'CNY' }, RULES, 7.1), 'classifyTier: invalid amount'],
    ['no floor', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [KEY, MAJOR], 7.1), 'classifyTier: amount below every tier rule'],
    ['infinite minimum', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [GENERAL, { ...KEY, minAmountWan: Infinity }], 7.1), 'classifyTier: invalid minAmountWan for tier "key"'],
    ['USD without a rate', () => classifyTier({ amountWan: 1, currency: 'USD' }, RULES, 0), 'classifyTier: invalid USD to CNY rate'],
  ])('%s', (_label, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts an amount of zero and a minimum of zero', () => {
    expect(classifyTier({ amountWan: 0, currency: 'USD' }, RULES, 7.1)).toBe(GENERAL);
  });
});
