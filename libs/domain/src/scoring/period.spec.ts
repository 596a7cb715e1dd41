import { cumulativeWindowMs, parsePeriod, periodEndDate, previousPeriod, timeProgress } from './period';

describe('assessment periods', () => {
  it('reads quarters, months and years', () => {
    expect(parsePeriod('2026-Q1')).toMatchObject({ kind: 'quarter', year: 2026, firstMonth: 1, lastMonth: 3, label: '2026年第一季度' });
    expect(parsePeriod('2026-q4')?.key).toBe('2026-Q4');
    expect(parsePeriod('2026-03')).toMatchObject({ kind: 'month', lastMonth: 3, label: '2026年3月' });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', lastMonth: 12, label: '2026年度' });
    for (const bad of ['2026-Q5', '2026-13', '26', '2026-Q', '', 'x']) expect(parsePeriod(bad)).toBeNull();
  });
  it('knows the period before, across the year boundary', () => {
    expect(previousPeriod(parsePeriod('2026-Q1')!).key).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-01')!).key).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026')!).key).toBe('2025');
  });
  it('time elapsed at the end of the period (时序进度)', () => {
    expect(timeProgress(parsePeriod('2026-Q1')!)).toBe(0.25);
    expect(timeProgress(parsePeriod('2026-09')!)).toBe(0.75);
    expect(timeProgress(parsePeriod('2026')!)).toBe(1);
  });
  it('cumulative window in Beijing time and the last day', () => {
    const w = cumulativeWindowMs(parsePeriod('2026-Q1')!);
    expect(new Date(w.fromMs).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(new Date(w.toMs).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(periodEndDate(parsePeriod('2026-Q1')!)).toBe('2026-03-31');
    expect(periodEndDate(parsePeriod('2024-02')!)).toBe('2024-02-29');
  });
});
