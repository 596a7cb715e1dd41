import { isWorkday } from 'chinese-days';

/**
 * Wall-clock arithmetic in a named time zone (the profile's, Asia/Shanghai for every city today)
 * and the mainland working-day calendar with its 调休 swaps, from the maintained `chinese-days`
 * package (docs/adr/0014). No I/O; every function takes the instant it reasons about.
 */

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock reading of an instant in a time zone. */
export function localParts(at: Date, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

/** `YYYY-MM-DD` of the instant's local day. */
export function localDate(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant at which the zone's clock reads the given wall time. */
export function fromLocal(p: Omit<LocalParts, 'weekday'>, tz: string): Date {
  const guess = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Offset of the zone at (about) that time; a second pass settles DST edges.
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const l = localParts(new Date(at), tz);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    at = at + (guess - asUtc);
  }
  return new Date(at);
}

/** Is this local date a working day on the mainland calendar (weekends off, holidays off, 调休 Saturdays on)? */
export function isWorkingDay(date: string): boolean {
  return isWorkday(date);
}

/**
 * The instant itself when its local day is a working day; otherwise the same wall time on the next
 * working day (a reminder due on a holiday moves to the first day back).
 */
export function nextWorkingInstant(at: Date, tz: string): Date {
  let p = localParts(at, tz);
  for (let i = 0; i < 40; i++) {
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    if (isWorkingDay(date)) return i === 0 ? at : fromLocal(p, tz);
    const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
    p = { ...p, year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
  }
  return at;
}

/** `11月20日 09:00` as people read a time. */
export function formatLocal(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return `${p.year}年${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The instant itself on a working day; otherwise the same wall time on the previous working day. */
export function previousWorkingInstant(at: Date, tz: string): Date {
  let p = localParts(at, tz);
  for (let i = 0; i < 40; i++) {
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    if (isWorkingDay(date)) return i === 0 ? at : fromLocal(p, tz);
    const prev = new Date(Date.UTC(p.year, p.month - 1, p.day - 1));
    p = { ...p, year: prev.getUTCFullYear(), month: prev.getUTCMonth() + 1, day: prev.getUTCDate() };
  }
  return at;
}
