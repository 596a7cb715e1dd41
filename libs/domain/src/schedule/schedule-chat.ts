import * as chrono from 'chrono-node';
import { fromLocal, localParts } from './calendar';

/**
 * The scheduler's chat commands, as administrators and officials type them:
 *   日程                         list the schedules
 *   暂停 月研判                  pause a schedule (name or part of it)
 *   恢复 月研判                  resume it
 *   改期 月研判 每月5日9点        new recurring time (becomes the cron)
 *   改期 月研判 下周一上午10点    one extra firing at that time (chrono-node zh)
 *   外出招商 11月20日 深圳 拜访星河智能、华南光电   log an investment trip
 */
export type ScheduleChatCommand =
  | { kind: 'list' }
  | { kind: 'pause' | 'resume'; name: string }
  | { kind: 'reschedule'; name: string; when: string }
  | { kind: 'trip'; dateText: string; destination: string; purpose: string };

const COMMAND_RE = /^\s*(日程|暂停|恢复|改期|外出招商)(?:[\s:：]+([\s\S]*))?$/;

/** Is this message one of the scheduler's commands (the router forwards those to the scheduler)? */
export function isScheduleChatCommand(text: string): boolean {
  const m = COMMAND_RE.exec(text);
  return !!m && (m[1] !== '日程' || !m[2]?.trim());
}

export function parseScheduleChat(text: string): ScheduleChatCommand | { error: string } | null {
  const m = COMMAND_RE.exec(text);
  if (!m) return null;
  const verb = m[1];
  const rest = (m[2] ?? '').trim();
  if (verb === '日程') return { kind: 'list' };
  if (verb === '暂停' || verb === '恢复') {
    if (!rest) return { error: `请写明日程名称，例如：${verb} 月研判` };
    return { kind: verb === '暂停' ? 'pause' : 'resume', name: rest };
  }
  if (verb === '改期') {
    const parts = rest.split(/\s+/);
    if (parts.length < 2) return { error: '请写明日程名称和新时间，例如：改期 月研判 每月5日9点，或：改期 月研判 下周一上午10点' };
    return { kind: 'reschedule', name: parts[0], when: parts.slice(1).join('') };
  }
  const parts = rest.split(/\s+/);
  if (parts.length < 2) return { error: '请按格式登记外出招商，例如：外出招商 11月20日 深圳 拜访星河智能、华南光电' };
  return { kind: 'trip', dateText: parts[0], destination: parts[1], purpose: parts.slice(2).join(' ') };
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
function cnNumber(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 1) return CN_DIGITS[s] ?? NaN;
  // 十一 .. 三十一
  const m = /^([一二三])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[2] ? CN_DIGITS[m[2]] : 0);
  return NaN;
}
const WEEKDAY_NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0 };

/** `上午10点`, `9点半`, `14:30`, `下午3点15分` → hour and minute (default 9:00 when absent). */
export function parseClock(text: string): { hour: number; minute: number } | null {
  // Arabic and Chinese hours apart: in 每周一10点 the weekday 一 is not part of the hour.
  const m = /(上午|早上|中午|下午|晚上)?\s*([0-9]{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:[点时:：])\s*(半|[0-9]{1,2}|[一二三四五六七八九十]{1,3})?\s*分?/.exec(text);
  if (!m) return null;
  let hour = cnNumber(m[2]);
  let minute = m[3] === '半' ? 30 : m[3] ? cnNumber(m[3]) : 0;
  if ((m[1] === '下午' || m[1] === '晚上') && hour < 12) hour += 12;
  if (m[1] === '中午' && hour < 11) hour += 12;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) return null;
  return { hour, minute };
}

export type ChatTime = { cron: string; description: string } | { onceAt: Date; description: string } | { error: string };

/**
 * A time as people write it. Recurring forms become a cron expression in the profile's zone:
 *   每月5日9点 → `0 9 5 * *`; 每周一上午10点 → `0 10 * * 1`; 每天8点半 → `30 8 * * *`;
 *   每季度首月10日9点 → `0 9 10 1,4,7,10 *`; 每年12月25日9点 → `0 9 25 12 *`.
 * Anything else is read by chrono-node's Chinese parser as one instant (下周一上午10点, 12月7日9点).
 */
export function parseChatTime(text: string, ref: Date, timezone: string): ChatTime {
  const t = text.replace(/\s+/g, '');
  // The day part (每月5日, 每周一, 每年12月25日) has no 点/时/colon, so the clock is found in the whole text.
  const clock = parseClock(t);
  const hm = clock ?? { hour: 9, minute: 0 };
  const hhmm = `${String(hm.hour).padStart(2, '0')}:${String(hm.minute).padStart(2, '0')}`;
  let m = /^每(?:个)?月([0-9一二三四五六七八九十]{1,3})[日号]/.exec(t);
  if (m) {
    const day = cnNumber(m[1]);
    if (!(day >= 1 && day <= 31)) return { error: `“${text}”中的日期无效` };
    return { cron: `${hm.minute} ${hm.hour} ${day} * *`, description: `每月${day}日 ${hhmm}` };
  }
  m = /^每(?:个)?季度(?:首月|第一个月)?([0-9一二三四五六七八九十]{1,3})[日号]/.exec(t);
  if (m) {
    const day = cnNumber(m[1]);
    if (!(day >= 1 && day <= 31)) return { error: `“${text}”中的日期无效` };
    return { cron: `${hm.minute} ${hm.hour} ${day} 1,4,7,10 *`, description: `每季度首月${day}日 ${hhmm}` };
  }
  m = /^每年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})[日号]/.exec(t);
  if (m) {
    const mo = cnNumber(m[1]);
    const day = cnNumber(m[2]);
    if (!(mo >= 1 && mo <= 12 && day >= 1 && day <= 31)) return { error: `“${text}”中的日期无效` };
    return { cron: `${hm.minute} ${hm.hour} ${day} ${mo} *`, description: `每年${mo}月${day}日 ${hhmm}` };
  }
  m = /^每(?:周|星期|礼拜)([一二三四五六日天])/.exec(t);
  if (m) return { cron: `${hm.minute} ${hm.hour} * * ${WEEKDAY_NUM[m[1]]}`, description: `每周${m[1]} ${hhmm}` };
  if (/^每(?:个)?工作日/.test(t)) return { cron: `${hm.minute} ${hm.hour} * * 1-5`, description: `每个工作日 ${hhmm}` };
  if (/^每[天日]/.test(t)) return { cron: `${hm.minute} ${hm.hour} * * *`, description: `每天 ${hhmm}` };

  const offsetMin = zoneOffsetMinutes(ref, timezone);
  const results = chrono.zh.hans.parse(t, { instant: ref, timezone: offsetMin });
  const r = results[0];
  if (!r) return { error: `没有看懂时间“${text}”。可以写：每月5日9点、每周一上午10点、下周一上午10点、12月7日9点` };
  const c = r.start;
  const at = c.isCertain('hour')
    ? c.date()
    : fromLocal({ year: c.get('year') ?? 0, month: c.get('month') ?? 1, day: c.get('day') ?? 1, hour: 9, minute: 0, second: 0 }, timezone);
  if (at.getTime() <= ref.getTime()) return { error: `“${text}”已经过去，请写一个将来的时间` };
  const p = localParts(at, timezone);
  return { onceAt: at, description: `${p.year}年${p.month}月${p.day}日 ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

/** A trip date as written (11月20日, 昨天, 2026-11-20) → local `YYYY-MM-DD`. */
export function parseChatDate(text: string, ref: Date, timezone: string): string | null {
  const iso = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (iso) return `${iso[1]}-${iso[2].padStart(2, '0')}-${iso[3].padStart(2, '0')}`;
  const r = chrono.zh.hans.parse(text, { instant: ref, timezone: zoneOffsetMinutes(ref, timezone) })[0];
  if (!r) return null;
  const c = r.start;
  let year = c.get('year') ?? localParts(ref, timezone).year;
  const month = c.get('month');
  const day = c.get('day');
  if (!month || !day) return null;
  // "11月20日" written in January means last November, not next.
  if (!c.isCertain('year')) {
    const refDay = localParts(ref, timezone);
    if (month * 100 + day > refDay.month * 100 + refDay.day + 100 * 2) year -= 1;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function zoneOffsetMinutes(at: Date, tz: string): number {
  const p = localParts(at, tz);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}
