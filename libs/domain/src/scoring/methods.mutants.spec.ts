import { applyMethod, completionRatio, methodNeedsTarget } from './methods';

/**
 * Cases that kill mutations methods.spec.ts lets survive (found with `npm run mutation`): the
 * edges of each method a unit would see as a wrong share of an indicator's weight.
 */
const hb = 'higher-better' as const;
const lb = 'lower-better' as const;

describe('which methods need a target', () => {
  it.each([
    ['capped-ratio', true],
    ['ratio-bonus', true],
    ['bands', true],
    ['efficacy-coefficient', false],
    ['relative-to-best', false],
    ['points', false],
    ['deduction', false],
  ])('%s → %s', (kind, needs) => {
    expect(methodNeedsTarget({ kind } as never)).toBe(needs);
  });
});

describe('completion ratio edges', () => {
  it('no target (0 or negative) is no completion, not a division by zero', () => {
    expect(completionRatio(50, 0, hb)).toBe(0);
    expect(completionRatio(50, -10, hb)).toBe(0);
    expect(completionRatio(50, 0, lb)).toBe(0);
  });
  it('a negative actual counts as nothing done (higher-better) and as fully met (lower-better)', () => {
    expect(completionRatio(-20, 100, hb)).toBe(0);
    expect(completionRatio(-3, 10, lb)).toBe(1);
  });
  it('lower-better above the target is target ÷ actual', () => {
    expect(completionRatio(40, 10, lb)).toBe(0.25);
    expect(completionRatio(5, 10, lb)).toBe(2);
  });
});

describe('methods without their target', () => {
  it('capped ratio, ratio with bonus and bands score nothing without a target', () => {
    expect(applyMethod({ kind: 'capped-ratio', capPercent: 120 }, { value: 50, direction: hb })).toEqual({ share: 0, completion: 0 });
    expect(applyMethod({ kind: 'ratio-bonus', bonusPerPercent: 0.5, capPercent: 130 }, { value: 50, direction: hb })).toEqual({ share: 0, completion: 0 });
    expect(applyMethod({ kind: 'bands', bands: [{ minPercent: 0, sharePercent: 10 }] }, { value: 50, direction: hb })).toEqual({ share: 0.1, completion: 0 });
  });
});

describe('ratio with bonus', () => {
  it('reports the completion beside the share', () => {
    const m = { kind: 'ratio-bonus' as const, bonusPerPercent: 0.5, capPercent: 130 };
    expect(applyMethod(m, { value: 140, target: 100, direction: hb })).toEqual({ share: 1.2, completion: 1.4 });
    expect(applyMethod(m, { value: 100, target: 100, direction: hb })).toEqual({ share: 1, completion: 1 });
  });
  it('a bonus of 2 per percent doubles the excess', () => {
    const m = { kind: 'ratio-bonus' as const, bonusPerPercent: 2, capPercent: 200 };
    expect(applyMethod(m, { value: 110, target: 100, direction: hb }).share).toBeCloseTo(1.2);
    expect(applyMethod(m, { value: 90, target: 100, direction: hb }).share).toBeCloseTo(0.9);
  });
});

describe('bands', () => {
  it('takes the highest band reached whatever order the profile lists them in', () => {
    const m = { kind: 'bands' as const, bands: [{ minPercent: 100, sharePercent: 100 }, { minPercent: 0, sharePercent: 20 }, { minPercent: 60, sharePercent: 60 }] };
    expect(applyMethod(m, { value: 120, target: 100, direction: hb })).toEqual({ share: 1, completion: 1.2 });
    expect(applyMethod(m, { value: 75, target: 100, direction: hb })).toEqual({ share: 0.6, completion: 0.75 });
    expect(applyMethod(m, { value: 10, target: 100, direction: hb })).toEqual({ share: 0.2, completion: 0.1 });
  });
  it('a completion that floating point puts a hair below the band still reaches it (57 of 100 is 57 %)', () => {
    const m = { kind: 'bands' as const, bands: [{ minPercent: 0, sharePercent: 0 }, { minPercent: 57, sharePercent: 70 }] };
    expect(applyMethod(m, { value: 57, target: 100, direction: hb }).share).toBe(0.7);
  });
  it('the tolerance is inclusive: a completion exactly the tolerance below the minimum reaches the band', () => {
    const m = { kind: 'bands' as const, bands: [{ minPercent: 1e-9, sharePercent: 50 }] };
    expect(applyMethod(m, { value: 0, target: 100, direction: hb }).share).toBe(0.5);
  });
  it('just below the band is not in it', () => {
    const m = { kind: 'bands' as const, bands: [{ minPercent: 60, sharePercent: 60 }] };
    expect(applyMethod(m, { value: 59.99, target: 100, direction: hb }).share).toBe(0);
  });
});

describe('功效系数法 edges', () => {
  const m = { kind: 'efficacy-coefficient' as const, floorPercent: 60 };
  it('full share when the group has no spread or no values', () => {
    expect(applyMethod(m, { value: 100, groupBest: 100, groupWorst: 100, direction: hb })).toEqual({ share: 1 });
    expect(applyMethod(m, { value: 100, groupWorst: 100, direction: hb })).toEqual({ share: 1 });
    expect(applyMethod(m, { value: 100, groupBest: 100, direction: hb })).toEqual({ share: 1 });
  });
  it('lower-better: the worst (highest) value gets the floor, halfway gets halfway', () => {
    const ctx = { groupBest: 10, groupWorst: 30, direction: lb };
    expect(applyMethod(m, { value: 30, ...ctx }).share).toBeCloseTo(0.6);
    expect(applyMethod(m, { value: 20, ...ctx }).share).toBeCloseTo(0.8);
    expect(applyMethod(m, { value: 15, ...ctx }).share).toBeCloseTo(0.9);
  });
  it('values outside the group span are clamped to floor and full', () => {
    const ctx = { groupBest: 200, groupWorst: 100, direction: hb };
    expect(applyMethod(m, { value: 50, ...ctx }).share).toBeCloseTo(0.6);
    expect(applyMethod(m, { value: 400, ...ctx }).share).toBeCloseTo(1);
  });
});

describe('relative to the best edges', () => {
  const m = { kind: 'relative-to-best' as const };
  it('no best in the group: nothing', () => {
    expect(applyMethod(m, { value: 30, direction: hb })).toEqual({ share: 0 });
    expect(applyMethod(m, { value: 30, direction: lb })).toEqual({ share: 0 });
  });
  it('higher-better: a best of 0 or less gives nothing; a negative value gives nothing', () => {
    expect(applyMethod(m, { value: 0, groupBest: 0, direction: hb })).toEqual({ share: 0 });
    expect(applyMethod(m, { value: -5, groupBest: -5, direction: hb })).toEqual({ share: 0 });
    expect(applyMethod(m, { value: -10, groupBest: 40, direction: hb })).toEqual({ share: 0 });
    expect(applyMethod(m, { value: 40, groupBest: 40, direction: hb })).toEqual({ share: 1 });
  });
  it('lower-better: best ÷ value, at most the full share; 0 or less is the full share', () => {
    expect(applyMethod(m, { value: 20, groupBest: 5, direction: lb })).toEqual({ share: 0.25 });
    expect(applyMethod(m, { value: 2, groupBest: 5, direction: lb })).toEqual({ share: 1 });
    expect(applyMethod(m, { value: 0, groupBest: 5, direction: lb })).toEqual({ share: 1 });
    expect(applyMethod(m, { value: -1, groupBest: 5, direction: lb })).toEqual({ share: 1 });
  });
  it('lower-better: a unit at 0 when the best of the group is 0 gets the full share (not 0 ÷ 0)', () => {
    expect(applyMethod(m, { value: 0, groupBest: 0, direction: lb })).toEqual({ share: 1 });
    expect(applyMethod(m, { value: 0, groupBest: -2, direction: lb })).toEqual({ share: 1 });
  });
});

describe('points and deductions with negative values', () => {
  it('a negative count earns no points and costs no deduction', () => {
    expect(applyMethod({ kind: 'points', perUnit: 2, maxPoints: 10 }, { value: -3, direction: hb })).toEqual({ share: 0 });
    expect(applyMethod({ kind: 'deduction', perUnit: 1, maxPoints: 5 }, { value: -3, direction: lb })).toEqual({ share: 1 });
  });
  it('each unit deducts perUnit points', () => {
    expect(applyMethod({ kind: 'deduction', perUnit: 2, maxPoints: 10 }, { value: 3, direction: lb }).share).toBeCloseTo(0.4);
    expect(applyMethod({ kind: 'deduction', perUnit: 2, maxPoints: 10 }, { value: 6, direction: lb }).share).toBe(0);
  });
});
