/**
 * Schedules as people read and edit them. Administrators never type cron: the console's form
 * holds a frequency, a day and a time, and this module turns it into the scheduler's 5-field cron
 * and back, and says a schedule in words (`每月5日 09:00，遇节假日顺延`).
 * Pure and free of Node imports: the console bundles it.
 */

export type ScheduleFrequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'quarter-end' | 'yearly';

export interface ScheduleTimeForm {
  frequency: ScheduleFrequency;
  /** 1 (Monday) … 7 (Sunday), for weekly */
  weekday?: number;
  /** 1 … 31, for monthly, quarterly (the day of the quarter's first month), quarter-end (of its last month) and yearly */
  monthDay?: number;
  /** 1 … 12, for yearly */
  month?: number;
  hour: number;
  minute: number;
}

const WEEKDAY_WORDS = ['', '一', '二', '三', '四', '五', '六', '日'];
/** Months a quarter starts in, as cron writes them. */
const QUARTER_MONTHS = '1,4,7,10';
/** Months a quarter ends in. */
const QUARTER_END_MONTHS = '3,6,9,12';

function intIn(text: string, min: number, max: number): number | null {
  if (!/^\d{1,2}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** The form a 5-field cron fills, or null when the cron is not one the form can say (a list, a range, a step). */
export function scheduleFormFromCron(cron: string): ScheduleTimeForm | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return null;
  const [min, hr, dom, mon, dow] = f;
  const minute = intIn(min, 0, 59);
  const hour = intIn(hr, 0, 23);
  if (minute === null || hour === null) return null;
  if (dom === '*' && mon === '*' && dow === '*') return { frequency: 'daily', hour, minute };
  if (dom === '*' && mon === '*') {
    const d = intIn(dow, 0, 7);
    return d === null ? null : { frequency: 'weekly', weekday: d === 0 ? 7 : d, hour, minute };
  }
  const day = intIn(dom, 1, 31);
  if (day === null || dow !== '*') return null;
  if (mon === '*') return { frequency: 'monthly', monthDay: day, hour, minute };
  if (mon === QUARTER_MONTHS) return { frequency: 'quarterly', monthDay: day, hour, minute };
  if (mon === QUARTER_END_MONTHS) return { frequency: 'quarter-end', monthDay: day, hour, minute };
  const month = intIn(mon, 1, 12);
  return month === null ? null : { frequency: 'yearly', month, monthDay: day, hour, minute };
}

/** The scheduler's cron for a filled form; throws on a value out of range. */
export function cronFromScheduleForm(form: ScheduleTimeForm): string {
  const check = (v: number | undefined, min: number, max: number, what: string): number => {
    if (v === undefined || !Number.isInteger(v) || v < min || v > max) throw new RangeError(`${what} must be ${min}..${max}`);
    return v;
  };
  const minute = check(form.minute, 0, 59, 'minute');
  const hour = check(form.hour, 0, 23, 'hour');
  switch (form.frequency) {
    case 'daily':
      return `${minute} ${hour} * * *`;
    case 'weekly':
      return `${minute} ${hour} * * ${check(form.weekday, 1, 7, 'weekday') % 7}`;
    case 'monthly':
      return `${minute} ${hour} ${check(form.monthDay, 1, 31, 'monthDay')} * *`;
    case 'quarterly':
      return `${minute} ${hour} ${check(form.monthDay, 1, 31, 'monthDay')} ${QUARTER_MONTHS} *`;
    case 'quarter-end':
      return `${minute} ${hour} ${check(form.monthDay, 1, 31, 'monthDay')} ${QUARTER_END_MONTHS} *`;
    case 'yearly':
      return `${minute} ${hour} ${check(form.monthDay, 1, 31, 'monthDay')} ${check(form.month, 1, 12, 'month')} *`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A schedule in words: `每月5日 09:00，遇节假日顺延`. Null when the cron is not one the form can
 * say; the caller then shows a generic description.
 */
export function scheduleCronWords(cron: string, workingDaysOnly: boolean): string | null {
  const form = scheduleFormFromCron(cron);
  if (!form) return null;
  const time = `${pad(form.hour)}:${pad(form.minute)}`;
  const when =
    form.frequency === 'daily'
      ? `每天 ${time}`
      : form.frequency === 'weekly'
        ? `每周${WEEKDAY_WORDS[form.weekday!]} ${time}`
        : form.frequency === 'monthly'
          ? `每月${form.monthDay}日 ${time}`
          : form.frequency === 'quarterly'
            ? `每季度首月${form.monthDay}日 ${time}`
            : form.frequency === 'quarter-end'
              ? `每季度末月${form.monthDay}日 ${time}`
              : `每年${form.month}月${form.monthDay}日 ${time}`;
  return workingDaysOnly ? `${when}，遇节假日顺延` : when;
}
