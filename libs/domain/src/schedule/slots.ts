import { CronExpressionParser } from 'cron-parser';
import { nextWorkingInstant, previousWorkingInstant } from './calendar';

/**
 * When a schedule fires. A slot is the instant a firing is due, after moving to the next working
 * day when the schedule follows the working-day calendar; the slot instant is also the key of the
 * firing (one run per schedule and slot), so a Saturday and a Sunday slot that both move to Monday
 * 09:00 are one firing, not three.
 */
export interface SlotRule {
  cron: string;
  timezone: string;
  workingDaysOnly: boolean;
  /**
   * Fire this many minutes before each cron instant (a meeting reminder the day before the
   * meeting: the cron is the meeting, the slot is the reminder). The working-day move applies
   * to the meeting.
   */
  leadMinutes?: number;
}

/**
 * The event a slot is about: the meeting a lead-time reminder announces (the first meeting at or
 * after slot + lead; a reminder moved back to a working day still names its meeting), else the slot.
 */
export function eventTimeOf(rule: SlotRule, slot: Date): Date {
  const leadMs = (rule.leadMinutes ?? 0) * 60_000;
  if (!leadMs) return slot;
  const it = CronExpressionParser.parse(rule.cron, { tz: rule.timezone, currentDate: new Date(slot.getTime() + leadMs - 1000) });
  try {
    const raw = it.next().toDate();
    return rule.workingDaysOnly ? nextWorkingInstant(raw, rule.timezone) : raw;
  } catch {
    return new Date(slot.getTime() + leadMs);
  }
}

/** null when the expression is usable, else a readable reason (Chinese, for chat and API answers). */
export function cronError(cron: string, timezone = 'Asia/Shanghai'): string | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return `定时表达式“${cron}”应为 5 段（分 时 日 月 周）或 6 段（含秒）`;
  try {
    CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date() }).next();
    return null;
  } catch (e) {
    return `定时表达式“${cron}”无效：${(e as Error).message}`;
  }
}

export function timezoneError(tz: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return null;
  } catch {
    return `时区“${tz}”无效`;
  }
}

/** The first slot strictly after `after`. */
export function nextSlot(rule: SlotRule, after: Date): Date | null {
  const leadMs = (rule.leadMinutes ?? 0) * 60_000;
  const it = CronExpressionParser.parse(rule.cron, { tz: rule.timezone, currentDate: new Date(after.getTime() + leadMs) });
  for (let i = 0; i < 400; i++) {
    let raw: Date;
    try {
      raw = it.next().toDate();
    } catch {
      return null; // no further occurrence
    }
    const event = rule.workingDaysOnly ? nextWorkingInstant(raw, rule.timezone) : raw;
    let slot = new Date(event.getTime() - leadMs);
    // A reminder ahead of a meeting goes out on a working day too: moved back, never past the meeting.
    if (rule.workingDaysOnly && leadMs) slot = previousWorkingInstant(slot, rule.timezone);
    if (slot.getTime() > after.getTime()) return slot;
  }
  return null;
}

/** Slots in (from, to], in order, at most `limit`. */
export function slotsBetween(rule: SlotRule, from: Date, to: Date, limit = 1000): Date[] {
  const out: Date[] = [];
  let cursor = from;
  while (out.length < limit) {
    const s = nextSlot(rule, cursor);
    if (!s || s.getTime() > to.getTime()) break;
    out.push(s);
    cursor = s;
  }
  return out;
}

/** What to do with a slot seen at `now`: fire it, or record it as missed (past its grace period). */
export function slotDecision(slot: Date, now: Date, graceMs: number): 'fire' | 'missed' | 'wait' {
  const late = now.getTime() - slot.getTime();
  if (late < 0) return 'wait';
  return late <= graceMs ? 'fire' : 'missed';
}
