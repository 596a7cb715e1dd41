import { applyMethod, completionRatio } from './methods';

describe('scoring methods, one share of the weight each', () => {
  const hb = 'higher-better' as const;
  it('capped ratio: completion up to the cap', () => {
    expect(applyMethod({ kind: 'capped-ratio', capPercent: 120 }, { value: 50, target: 100, direction: hb }).share).toBeCloseTo(0.5);
    expect(applyMethod({ kind: 'capped-ratio', capPercent: 120 }, { value: 150, target: 100, direction: hb })).toEqual({ share: 1.2, completion: 1.5 });
    expect(applyMethod({ kind: 'capped-ratio', capPercent: 100 }, { value: 150, target: 100, direction: hb }).share).toBe(1);
  });
  it('lower-better completion is target ÷ actual', () => {
    expect(completionRatio(20, 10, 'lower-better')).toBe(0.5);
    expect(completionRatio(0, 10, 'lower-better')).toBe(1);
  });
  it('ratio with bonus above 100 %', () => {
    const m = { kind: 'ratio-bonus' as const, bonusPerPercent: 0.5, capPercent: 130 };
    expect(applyMethod(m, { value: 80, target: 100, direction: hb }).share).toBeCloseTo(0.8);
    expect(applyMethod(m, { value: 140, target: 100, direction: hb }).share).toBeCloseTo(1.2);
    expect(applyMethod(m, { value: 200, target: 100, direction: hb }).share).toBeCloseTo(1.3);
  });
  it('功效系数法: floor for the worst, full for the best, linear between', () => {
    const m = { kind: 'efficacy-coefficient' as const, floorPercent: 60 };
    const ctx = { groupBest: 200, groupWorst: 100, direction: hb };
    expect(applyMethod(m, { value: 100, ...ctx }).share).toBeCloseTo(0.6);
    expect(applyMethod(m, { value: 150, ...ctx }).share).toBeCloseTo(0.8);
    expect(applyMethod(m, { value: 200, ...ctx }).share).toBeCloseTo(1);
    expect(applyMethod(m, { value: 5, groupBest: 5, groupWorst: 20, direction: 'lower-better' }).share).toBeCloseTo(1);
  });
  it('relative to the best', () => {
    expect(applyMethod({ kind: 'relative-to-best' }, { value: 30, groupBest: 120, direction: hb }).share).toBeCloseTo(0.25);
  });
  it('bands of completion', () => {
    const m = { kind: 'bands' as const, bands: [{ minPercent: 0, sharePercent: 0 }, { minPercent: 60, sharePercent: 60 }, { minPercent: 100, sharePercent: 100 }] };
    expect(applyMethod(m, { value: 59, target: 100, direction: hb }).share).toBe(0);
    expect(applyMethod(m, { value: 75, target: 100, direction: hb }).share).toBe(0.6);
    expect(applyMethod(m, { value: 100, target: 100, direction: hb }).share).toBe(1);
  });
  it('points and deductions need no target', () => {
    expect(applyMethod({ kind: 'points', perUnit: 2, maxPoints: 10 }, { value: 3, direction: hb }).share).toBeCloseTo(0.6);
    expect(applyMethod({ kind: 'points', perUnit: 2, maxPoints: 10 }, { value: 9, direction: hb }).share).toBe(1);
    expect(applyMethod({ kind: 'deduction', perUnit: 1, maxPoints: 5 }, { value: 2, direction: 'lower-better' }).share).toBeCloseTo(0.6);
    expect(applyMethod({ kind: 'deduction', perUnit: 1, maxPoints: 5 }, { value: 9, direction: 'lower-better' }).share).toBe(0);
  });
});
