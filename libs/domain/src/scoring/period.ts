/**
 * Assessment periods, written as officials write them: `2026-Q1` (a quarter), `2026-03` (a month),
 * `2026` (a year). Values are cumulative from the start of the year, so every period also knows
 * how much of its year has elapsed at its end (时序进度).
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface AssessmentPeriod {
  /** canonical text: 2026-Q1, 2026-03, 2026 */
  key: string;
  kind: PeriodKind;
  year: number;
  /** quarter 1–4, month 1–12, year 1 */
  index: number;
  /** first and last month of the period (1–12) */
  firstMonth: number;
  lastMonth: number;
  /** how officials read it: 2026年第一季度, 2026年3月, 2026年度 */
  label: string;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];

/** The years a period may fall in (the same bounds as the scoring API's `year`). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const yearInRange = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** Parses a period; returns null for anything else (callers answer with a 400 / a polite reply). */
export function parsePeriod(text: string): AssessmentPeriod | null {
  // Stryker disable next-line StringLiteral: equivalent, any other fallback text is not a period either (null alike)
  const t = String(text ?? '').trim().toUpperCase();
  // A well-formed period in a year makePeriod refuses (1999-Q1) is not a period either: null, so
  // the caller answers 400 instead of letting makePeriod's RangeError escape as a server error.
  const read = (kind: PeriodKind, year: string, index: number) => (yearInRange(Number(year)) ? makePeriod(kind, Number(year), index) : null);
  let m = /^(\d{4})-Q([1-4])$/.exec(t);
  if (m) return read('quarter', m[1], Number(m[2]));
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(t);
  if (m) return read('month', m[1], Number(m[2]));
  m = /^(\d{4})$/.exec(t);
  if (m) return read('year', m[1], 1);
  return null;
}

export function makePeriod(kind: PeriodKind, year: number, index: number): AssessmentPeriod {
  if (!yearInRange(year)) throw new RangeError(`year ${year} out of range`);
  if (kind === 'quarter') {
    return {
      key: `${year}-Q${index}`,
      kind,
      year,
      index,
      firstMonth: index * 3 - 2,
      lastMonth: index * 3,
      label: `${year}年第${QUARTER_NAMES[index - 1]}季度`,
    };
  }
  if (kind === 'month') {
    return { key: `${year}-${String(index).padStart(2, '0')}`, kind, year, index, firstMonth: index, lastMonth: index, label: `${year}年${index}月` };
  }
  return { key: String(year), kind, year, index: 1, firstMonth: 1, lastMonth: 12, label: `${year}年度` };
}

/** The period just before, across the year boundary (2026-Q1 → 2025-Q4). */
export function previousPeriod(p: AssessmentPeriod): AssessmentPeriod {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, a year's index is always 1, so the general path below also gives makePeriod(<year kind>, year − 1, …), and makePeriod ignores a year's index
  if (p.kind === 'year') return makePeriod('year', p.year - 1, 1);
  const last = p.kind === 'quarter' ? 4 : 12;
  return p.index > 1 ? makePeriod(p.kind, p.year, p.index - 1) : makePeriod(p.kind, p.year - 1, last);
}

/** 时序进度: share of the year elapsed at the end of the period (Q1 → 0.25, 2026-03 → 0.25, year → 1). */
export function timeProgress(p: AssessmentPeriod): number {
  return p.lastMonth / 12;
}

/** First instant of the year and first instant after the period, as calendar dates `YYYY-MM-DD`. */
export function periodDateRange(p: AssessmentPeriod): { yearStart: string; end: string; periodStart: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const endYear = p.lastMonth === 12 ? p.year + 1 : p.year;
  const endMonth = p.lastMonth === 12 ? 1 : p.lastMonth + 1;
  return { yearStart: `${p.year}-01-01`, periodStart: `${p.year}-${pad(p.firstMonth)}-01`, end: `${endYear}-${pad(endMonth)}-01` };
}

/**
 * [from, to) in ms since epoch for the cumulative window (start of year → end of period) in a
 * timezone given as a fixed UTC offset in minutes (Asia/Shanghai: +480; China has no DST).
 */
export function cumulativeWindowMs(p: AssessmentPeriod, utcOffsetMinutes = 480): { fromMs: number; toMs: number } {
  const offset = utcOffsetMinutes * 60_000;
  const fromMs = Date.UTC(p.year, 0, 1) - offset;
  const toMs = Date.UTC(p.lastMonth === 12 ? p.year + 1 : p.year, p.lastMonth === 12 ? 0 : p.lastMonth, 1) - offset;
  return { fromMs, toMs };
}

/** The last calendar day of the period, `YYYY-MM-DD` (deadlines count from it). */
export function periodEndDate(p: AssessmentPeriod): string {
  const d = new Date(Date.UTC(p.year, p.lastMonth, 0));
  return d.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
