/**
 * Cases that pin the period rules the city specs leave open (mutation testing, docs/testing.md).
 * Every expected value is written out by hand from the calendar.
 */
import { cumulativeWindowMs, makePeriod, parsePeriod, periodDateRange, previousPeriod } from './period';

describe('assessment periods: what an official may type', () => {
  it('a period typed with spaces around it is still read', () => {
    expect(parsePeriod('  2026-Q2 ')?.key).toBe('2026-Q2');
    expect(parsePeriod('\t2026-07\n')?.key).toBe('2026-07');
    expect(parsePeriod(' 2026 ')?.key).toBe('2026');
  });

  it('nothing before or after the period is accepted (a typo is refused, not half-read)', () => {
    for (const bad of ['12026-Q1', 'x2026-Q1', '2026-Q12', '2026-Q1x', '12026-03', '2026-031', '2026-03x', '12026', 'FY2026', '2026-']) {
      expect(parsePeriod(bad)).toBeNull();
    }
  });

  it('a month is keyed with two digits, as the sheets and the API write it', () => {
    expect(parsePeriod('2026-03')).toMatchObject({ key: '2026-03', index: 3, firstMonth: 3, lastMonth: 3 });
    expect(makePeriod('month', 2026, 9).key).toBe('2026-09');
    expect(makePeriod('month', 2026, 11).key).toBe('2026-11');
  });

  it('every quarter is labelled in Chinese numerals and covers its three months', () => {
    expect(parsePeriod('2026-Q2')).toMatchObject({ label: '2026年第二季度', firstMonth: 4, lastMonth: 6 });
    expect(parsePeriod('2026-Q3')).toMatchObject({ label: '2026年第三季度', firstMonth: 7, lastMonth: 9 });
    expect(parsePeriod('2026-Q4')).toMatchObject({ label: '2026年第四季度', firstMonth: 10, lastMonth: 12 });
  });

  it('a year outside 2000–2100 is not a period: refused politely, never a crash', () => {
    expect(parsePeriod('1999-Q4')).toBeNull();
    expect(parsePeriod('1999-12')).toBeNull();
    expect(parsePeriod('2101')).toBeNull();
    expect(parsePeriod('2000-Q1')?.key).toBe('2000-Q1');
    expect(parsePeriod('2100')?.key).toBe('2100');
  });

  it('a period is built only for years 2000 to 2100 inclusive', () => {
    expect(() => makePeriod('year', 1999, 1)).toThrow('year 1999 out of range');
    expect(() => makePeriod('quarter', 2101, 1)).toThrow('year 2101 out of range');
    expect(makePeriod('year', 2000, 1).key).toBe('2000');
    expect(makePeriod('quarter', 2100, 4).key).toBe('2100-Q4');
  });
});

describe('assessment periods: the period before and the dates', () => {
  it('the period before a mid-year quarter or month is in the same year', () => {
    expect(previousPeriod(parsePeriod('2026-Q3')!).key).toBe('2026-Q2');
    expect(previousPeriod(parsePeriod('2026-07')!).key).toBe('2026-06');
    expect(previousPeriod(parsePeriod('2026-Q2')!)).toMatchObject({ key: '2026-Q1', label: '2026年第一季度' });
  });

  it('the year-to-date window of a whole year ends at midnight on 1 January, Beijing time', () => {
    const w = cumulativeWindowMs(parsePeriod('2026')!);
    expect(new Date(w.fromMs).toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(new Date(w.toMs).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    const q4 = cumulativeWindowMs(parsePeriod('2026-Q4')!, 0);
    expect(new Date(q4.toMs).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('calendar dates of a period: the year start, the period start and the first day after it', () => {
    expect(periodDateRange(parsePeriod('2026-Q1')!)).toEqual({ yearStart: '2026-01-01', periodStart: '2026-01-01', end: '2026-04-01' });
    expect(periodDateRange(parsePeriod('2026-Q4')!)).toEqual({ yearStart: '2026-01-01', periodStart: '2026-10-01', end: '2027-01-01' });
    expect(periodDateRange(parsePeriod('2026-09')!)).toEqual({ yearStart: '2026-01-01', periodStart: '2026-09-01', end: '2026-10-01' });
    expect(periodDateRange(parsePeriod('2026-12')!)).toEqual({ yearStart: '2026-01-01', periodStart: '2026-12-01', end: '2027-01-01' });
    expect(periodDateRange(parsePeriod('2026')!)).toEqual({ yearStart: '2026-01-01', periodStart: '2026-01-01', end: '2027-01-01' });
  });
});
