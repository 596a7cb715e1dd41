import { localParts } from './calendar';
import type { PeriodKind } from '../scoring/period';

/**
 * Period labels shared with scoring: `2026-11` (month), `2026-Q4` (quarter), `2026` (year).
 * A reminder is about the period that is running at the instant it is computed for, except data-due
 * and ranking reminders, which are about the period that has just closed (see `previousPeriodLabel`).
 */
export function periodOf(at: Date, kind: PeriodKind, tz: string): string {
  const p = localParts(at, tz);
  if (kind === 'year') return String(p.year);
  if (kind === 'quarter') return `${p.year}-Q${Math.floor((p.month - 1) / 3) + 1}`;
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

export function previousPeriodLabel(at: Date, kind: PeriodKind, tz: string): string {
  const p = localParts(at, tz);
  if (kind === 'year') return String(p.year - 1);
  if (kind === 'quarter') {
    const q = Math.floor((p.month - 1) / 3) + 1;
    return q === 1 ? `${p.year - 1}-Q4` : `${p.year}-Q${q - 1}`;
  }
  return p.month === 1 ? `${p.year - 1}-12` : `${p.year}-${String(p.month - 1).padStart(2, '0')}`;
}

/** Start (inclusive) and end (exclusive) local dates `YYYY-MM-DD` of a period label. */
export function periodRange(period: string): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  let m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const start = (q - 1) * 3 + 1;
    return { from: `${y}-${pad(start)}-01`, to: q === 4 ? `${y + 1}-01-01` : `${y}-${pad(start + 3)}-01` };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { from: `${y}-${pad(mo)}-01`, to: mo === 12 ? `${y + 1}-01-01` : `${y}-${pad(mo + 1)}-01` };
  }
  m = /^(\d{4})$/.exec(period);
  if (m) return { from: `${m[1]}-01-01`, to: `${Number(m[1]) + 1}-01-01` };
  throw new Error(`unknown period "${period}"`);
}

/** 2026年第4季度 / 2026年11月 / 2026年 */
export function periodLabel(period: string): string {
  let m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) return `${m[1]}年第${m[2]}季度`;
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return `${period}年`;
}

/**
 * The period a cadence reports on, read from its cron: every month → month; four months a year
 * (quarterly) → quarter; one month a year → year.
 */
export function cadencePeriodKind(cron: string): PeriodKind {
  const fields = cron.trim().split(/\s+/);
  const month = fields.length === 6 ? fields[4] : fields[3];
  if (!month || month === '*' || month.includes('/') && !month.startsWith('*/3')) return 'month';
  if (month.startsWith('*/3')) return 'quarter';
  const n = month.split(',').length;
  if (n === 1 && !month.includes('-')) return 'year';
  if (n >= 2 && n <= 4) return 'quarter';
  return 'month';
}

/** Data due early in a month is about the month just closed; later in the month, about the running one. */
export function dataDuePeriod(at: Date, tz: string): string {
  return localParts(at, tz).day <= 10 ? previousPeriodLabel(at, 'month', tz) : periodOf(at, 'month', tz);
}
