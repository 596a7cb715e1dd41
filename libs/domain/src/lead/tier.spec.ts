import { classifyTier, TierRule } from './tier';

const GENERAL: TierRule = { tier: 'general', label: '一般', minAmountWan: 0 };
const KEY: TierRule = { tier: 'key', label: '重点', minAmountWan: 10000 }; // 1亿
const MAJOR: TierRule = { tier: 'major', label: '重大', minAmountWan: 100000 }; // 10亿
const RULES = [GENERAL, KEY, MAJOR];
const RATE = 7.1;

describe('classifyTier', () => {
  it.each<[number, 'CNY' | 'USD', TierRule]>([
    [0, 'CNY', GENERAL],
    [0.0001, 'CNY', GENERAL],
    [5000, 'CNY', GENERAL],
    [9999.9999, 'CNY', GENERAL],
    [10000, 'CNY', KEY],
    [50000, 'CNY', KEY],
    [99999, 'CNY', KEY],
    [100000, 'CNY', MAJOR],
    [1e8, 'CNY', MAJOR],
    [1000, 'USD', GENERAL], // 7100万元
    [1408, 'USD', GENERAL], // 9996.8万元
    [1409, 'USD', KEY], // 10003.9万元
    [3500, 'USD', KEY], // 2.485亿元
    [14084, 'USD', KEY], // 99,996.4万元
    [14085, 'CNY', KEY],
    [14085, 'USD', MAJOR], // 100,003.5万元
    [12000, 'USD', KEY], // 1.2亿美元 = 8.52亿元
    [20000, 'USD', MAJOR],
  ])('%d万 %s → %o', (amountWan, currency, expected) => {
    expect(classifyTier({ amountWan, currency }, RULES, RATE)).toBe(expected);
  });

  it('does not depend on the order of the rules', () => {
    const orders = [
      [GENERAL, KEY, MAJOR],
      [MAJOR, KEY, GENERAL],
      [KEY, GENERAL, MAJOR],
      [MAJOR, GENERAL, KEY],
    ];
    for (const rules of orders) {
      expect(classifyTier({ amountWan: 50000, currency: 'CNY' }, rules, RATE)).toBe(KEY);
      expect(classifyTier({ amountWan: 1, currency: 'CNY' }, rules, RATE)).toBe(GENERAL);
      expect(classifyTier({ amountWan: 200000, currency: 'CNY' }, rules, RATE)).toBe(MAJOR);
    }
  });

  it('meets a threshold reached exactly through the exchange rate', () => {
    // 10000 / 6.25 = 1600 USD-万 exactly; also a rate with floating-point noise.
    expect(classifyTier({ amountWan: 1600, currency: 'USD' }, RULES, 6.25)).toBe(KEY);
    const rate = 0.1 + 0.2; // 0.30000000000000004
    expect(classifyTier({ amountWan: 10000 / 0.3, currency: 'USD' }, RULES, rate)).toBe(KEY);
  });

  it('ignores the rate for CNY amounts', () => {
    expect(classifyTier({ amountWan: 50000, currency: 'CNY' }, RULES, NaN)).toBe(KEY);
  });

  it('works with two tiers or a single floor', () => {
    expect(classifyTier({ amountWan: 5, currency: 'CNY' }, [GENERAL], RATE)).toBe(GENERAL);
    const two = [GENERAL, { tier: 'major', label: '重大', minAmountWan: 5000 }];
    expect(classifyTier({ amountWan: 5000, currency: 'CNY' }, two, RATE).label).toBe('重大');
  });

  it('returns the caller’s rule object with its extra fields', () => {
    const rules = [
      { ...GENERAL, trackingCadence: 'monthly' },
      { ...MAJOR, trackingCadence: 'weekly' },
    ];
    const hit = classifyTier({ amountWan: 200000, currency: 'CNY' }, rules, RATE);
    expect(hit.trackingCadence).toBe('weekly');
  });

  it('keeps the first of two rules with the same minimum', () => {
    const a = { tier: 'a', label: '甲', minAmountWan: 100 };
    const b = { tier: 'b', label: '乙', minAmountWan: 100 };
    expect(classifyTier({ amountWan: 100, currency: 'CNY' }, [GENERAL, a, b], RATE)).toBe(a);
  });

  it('does not mutate the rules', () => {
    const rules = [MAJOR, GENERAL, KEY];
    classifyTier({ amountWan: 1, currency: 'CNY' }, rules, RATE);
    expect(rules).toEqual([MAJOR, GENERAL, KEY]);
  });

  describe('configuration errors throw', () => {
    it.each<[string, () => unknown]>([
      ['no rules', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [], RATE)],
      ['no floor', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [KEY, MAJOR], RATE)],
      ['negative minimum', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [{ ...GENERAL, minAmountWan: -1 }], RATE)],
      ['NaN minimum', () => classifyTier({ amountWan: 1, currency: 'CNY' }, [{ ...GENERAL, minAmountWan: NaN }], RATE)],
      ['zero rate', () => classifyTier({ amountWan: 1, currency: 'USD' }, RULES, 0)],
      ['negative rate', () => classifyTier({ amountWan: 1, currency: 'USD' }, RULES, -7)],
      ['NaN rate', () => classifyTier({ amountWan: 1, currency: 'USD' }, RULES, NaN)],
      ['infinite rate', () => classifyTier({ amountWan: 1, currency: 'USD' }, RULES, Infinity)],
      ['negative amount', () => classifyTier({ amountWan: -1, currency: 'CNY' }, RULES, RATE)],
      ['NaN amount', () => classifyTier({ amountWan: NaN, currency: 'CNY' }, RULES, RATE)],
    ])('%s', (_label, call) => {
      expect(call).toThrow(/classifyTier/);
    });
  });
});
