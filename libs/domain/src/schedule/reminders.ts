import type { AccountabilityRule, ForbiddenQuota, LeadTier, Quota, UnitKind } from '../policy';
import { quotaIsForbidden } from '../policy';
import { formatLocal, localDate, localParts } from './calendar';
import { periodLabel } from './periods';

/**
 * The content of every reminder the scheduler sends, as pure functions of the data it gathered
 * (directory, trips, the ledger read model, scoring's answers). Who receives what is decided here
 * too, so it can be tested without a database: the scheduler only fetches inputs and delivers.
 */

export interface Person {
  memberId: string;
  name: string;
  unitId: string;
  unitName: string;
  unitKind: string;
  role: string;
  post?: string | null;
}

/** One thing to tell one person; a run's items are merged into that person's daily digest. */
export interface ReminderItem {
  memberId: string;
  title: string;
  text: string;
}

const DAY_MS = 86_400_000;

// ------------------------------------------------------------------------------------------
// Meetings (月研判, 季调度, 年总结 ...)
// ------------------------------------------------------------------------------------------

export interface LaggingUnit {
  unitName: string;
  /** completion or progress, in percent, when scoring gave it */
  progressPercent?: number | null;
  rank?: number | null;
}

export interface StaleProject {
  leadId: string;
  code: string;
  companyName: string;
  tier: string;
  tierLabel: string;
  ownerUnitId: string;
  ownerUnitName: string;
  stage: string;
  lastMovedAt: number;
  daysStill: number;
}

export function meetingReminder(input: {
  name: string;
  when: Date;
  timezone: string;
  chair?: string | null;
  attendees?: string | null;
  message?: string | null;
  laggingUnits: LaggingUnit[];
  staleProjects: StaleProject[];
}): { title: string; text: string } {
  const lines = [`【会议提醒】${input.name}`, `时间：${formatLocal(input.when, input.timezone)}`];
  if (input.chair) lines.push(`召集：${input.chair}`);
  if (input.attendees) lines.push(`参会：${input.attendees}`);
  if (input.message) lines.push(input.message);
  const agenda: string[] = [];
  if (input.laggingUnits.length) {
    agenda.push(
      `进度靠后单位：${input.laggingUnits
        .map((u) => (u.progressPercent != null ? `${u.unitName}（${round1(u.progressPercent)}%）` : u.unitName))
        .join('、')}`,
    );
  }
  const important = input.staleProjects.filter((p) => p.tier !== 'general');
  if (important.length) {
    agenda.push(
      `未推进的重点、重大项目（${important.length}个）：${important
        .slice(0, 10)
        .map((p) => `${p.code} ${p.companyName}（${p.tierLabel}，${p.ownerUnitName}，${p.daysStill}天未更新）`)
        .join('；')}${important.length > 10 ? ' 等' : ''}`,
    );
  }
  lines.push(agenda.length ? `议程：\n${agenda.map((a, i) => `${i + 1}. ${a}`).join('\n')}` : '议程：各单位汇报进展（暂无进度靠后单位和滞缓项目）');
  return { title: input.name, text: lines.join('\n') };
}

// ------------------------------------------------------------------------------------------
// Data due
// ------------------------------------------------------------------------------------------

export interface ReportingStatus {
  unitId: string;
  unitName: string;
  reported: boolean;
}

/** Reminders to the units that have not reported, and a summary for the coordinating office. */
export function dataDueReminders(input: {
  name: string;
  period: string;
  units: ReportingStatus[];
  message?: string | null;
}): { toUnits: { unitId: string; title: string; text: string }[]; summary: { title: string; text: string } } {
  const label = periodLabel(input.period);
  const missing = input.units.filter((u) => !u.reported);
  const done = input.units.filter((u) => u.reported);
  const toUnits = missing.map((u) => ({
    unitId: u.unitId,
    title: input.name,
    text: `【数据报送提醒】${u.unitName}尚未报送${label}招商数据，请尽快报送。${input.message ? `\n${input.message}` : ''}`,
  }));
  const summary = {
    title: `${input.name}：报送情况`,
    text: [
      `【数据报送情况】${label}`,
      `已报送（${done.length}）：${done.map((u) => u.unitName).join('、') || '无'}`,
      `未报送（${missing.length}）：${missing.map((u) => u.unitName).join('、') || '无'}`,
    ].join('\n'),
  };
  return { toUnits, summary };
}

// ------------------------------------------------------------------------------------------
// Quotas
// ------------------------------------------------------------------------------------------

export const TRACKED_QUOTA_MEASURES = ['outgoing-trips', 'valid-leads'] as const;

export interface QuotaShortfall {
  quotaKey: string;
  memberId: string;
  done: number;
  required: number;
  title: string;
  text: string;
}

/**
 * Who is behind a quota this period. A quota binds members by role (Yiyang §三: heads ≥1 trip,
 * deputies ≥3 a quarter, counted per member) or units by kind (Zhangye §5: each liaison office
 * ≥10 valid leads a month, counted per unit, told to its members). A quota the profile forbids
 * (Zhangye §1/§17: no trip counts) is never imposed, whatever else the profile says.
 */
export function quotaShortfalls(input: {
  quotas: Quota[];
  forbidden: ForbiddenQuota[];
  period: string;
  periodKind: 'month' | 'quarter' | 'year';
  people: Person[];
  /** units by id → profile-level facts */
  unitQuotaOverride?: Record<string, number | undefined>;
  /** per member (trips) */
  memberCounts: Record<string, number>;
  /** per unit (valid leads) */
  unitCounts: Record<string, number>;
}): QuotaShortfall[] {
  const out: QuotaShortfall[] = [];
  const label = periodLabel(input.period);
  for (const q of input.quotas) {
    if (q.period !== input.periodKind) continue;
    if (quotaIsForbidden(q, input.forbidden)) continue;
    if (!(TRACKED_QUOTA_MEASURES as readonly string[]).includes(q.measure)) continue;
    const roleAudience = q.appliesTo.filter((a) => ['official', 'head', 'deputy', 'admin', 'leader'].includes(a));
    const unitAudience = q.appliesTo.filter((a) => ['county', 'park', 'coordinator', 'liaison', 'department', 'service', 'soe'].includes(a));
    const unitKinds = q.unitKinds as UnitKind[] | undefined;
    if (roleAudience.length) {
      for (const p of input.people) {
        if (!roleAudience.includes(p.role as never)) continue;
        if (unitKinds && !unitKinds.includes(p.unitKind as UnitKind)) continue;
        const done = q.measure === 'outgoing-trips' ? (input.memberCounts[p.memberId] ?? 0) : (input.unitCounts[p.unitId] ?? 0);
        if (done >= q.count) continue;
        out.push(shortfall(q, p, done, q.count, label));
      }
    }
    if (unitAudience.length) {
      for (const p of input.people) {
        if (!unitAudience.includes(p.unitKind as never)) continue;
        const required = input.unitQuotaOverride?.[p.unitId] ?? q.count;
        const done = q.measure === 'valid-leads' ? (input.unitCounts[p.unitId] ?? 0) : (input.memberCounts[p.memberId] ?? 0);
        if (done >= required) continue;
        out.push(shortfall(q, p, done, required, label));
      }
    }
  }
  return out;
}

const MEASURE_WORDS: Record<string, { verb: string; unit: string }> = {
  'outgoing-trips': { verb: '外出招商', unit: '次' },
  'valid-leads': { verb: '报送有效招商信息', unit: '条' },
};

function shortfall(q: Quota, p: Person, done: number, required: number, label: string): QuotaShortfall {
  const w = MEASURE_WORDS[q.measure];
  const who = q.measure === 'valid-leads' ? p.unitName : p.name;
  return {
    quotaKey: q.key,
    memberId: p.memberId,
    done,
    required,
    title: q.name,
    text: `【任务进度提醒】${who}${label}已${w.verb}${done}${w.unit}，距${required}${w.unit}还差${required - done}${w.unit}（${q.name}，${q.source}）。`,
  };
}

// ------------------------------------------------------------------------------------------
// Stale projects
// ------------------------------------------------------------------------------------------

export const CADENCE_DAYS: Record<string, number> = { weekly: 7, monthly: 31, quarterly: 92 };

export interface LedgerLead {
  leadId: string;
  code: string;
  companyName: string;
  tier: string;
  ownerUnitId: string;
  ownerUnitName: string;
  stage: string;
  /** when the project last moved (registered, stage changed, transferred, updated) */
  lastMovedAt: number;
}

/** Projects that have not moved within their tier's tracking cadence (Hengyang §19: every week). */
export function staleProjects(leads: LedgerLead[], tiers: LeadTier[], now: Date): StaleProject[] {
  const byTier = new Map(tiers.map((t) => [t.tier, t]));
  const out: StaleProject[] = [];
  for (const l of leads) {
    if (l.stage === 'producing' || l.stage === 'terminated') continue;
    const tier = byTier.get(l.tier);
    const days = CADENCE_DAYS[tier?.trackingCadence ?? 'quarterly'];
    const still = Math.floor((now.getTime() - l.lastMovedAt) / DAY_MS);
    if (still < days) continue;
    out.push({ ...l, tierLabel: tier?.label ?? l.tier, daysStill: still });
  }
  return out.sort((a, b) => b.daysStill - a.daysStill);
}

/**
 * Who hears about a stale project: the owning unit's officials and its head; for the top tier also
 * the city leader in charge (the 包抓 leader; the ledger does not name one per project yet).
 */
export function staleProjectItems(stale: StaleProject[], people: Person[], topTier: string): ReminderItem[] {
  const items: ReminderItem[] = [];
  for (const s of stale) {
    const text = `【项目推进提醒】${s.code} ${s.companyName}（${s.tierLabel}项目，${s.ownerUnitName}）已${s.daysStill}天无进展更新，请及时推进并更新项目进度。`;
    const recipients = people.filter(
      (p) =>
        (p.unitId === s.ownerUnitId && (p.role === 'official' || (s.tier !== 'general' && (p.role === 'head' || p.role === 'deputy')))) ||
        (s.tier === topTier && p.role === 'leader' && p.post === 'vice-mayor-in-charge'),
    );
    for (const p of recipients) items.push({ memberId: p.memberId, title: '项目推进提醒', text });
  }
  return items;
}

// ------------------------------------------------------------------------------------------
// Interview alerts (from scoring's accountability actions)
// ------------------------------------------------------------------------------------------

export interface InterviewAction {
  period: string;
  /** unit id, profile key or name */
  unit: string;
  action: string;
  convener: string;
  interviewee: string;
  reason: string;
  /** ISO date or ms */
  deadline: string | number | null;
  status: string;
  /** directory id of the unit, when known (scoring's event carries it) */
  unitId?: string | null;
  unitName?: string | null;
  /** the leader post that convenes (members.leader_post), from the profile's ladder */
  convenerPost?: string | null;
  /** who of the unit is interviewed, from the profile's ladder: head, deputy, or unit (both) */
  intervieweeRole?: 'head' | 'deputy' | 'unit' | string | null;
}

/** Words of a convener or interviewee → the post or role that person holds. */
export function postOf(words: string): string | null {
  if (/常务副市长/.test(words)) return 'executive-vice-mayor';
  if (/分管副市长/.test(words)) return 'vice-mayor-in-charge';
  if (/市长/.test(words)) return 'mayor';
  return null;
}
export function roleOf(words: string): 'head' | 'deputy' | null {
  if (/分管负责人/.test(words)) return 'deputy';
  if (/主要负责人/.test(words)) return 'head';
  return null;
}

/** The text of an action's 约谈提醒 (the same for everyone it names; also how a held action's pending alerts are found). */
export function interviewAlertText(a: InterviewAction, timezone: string, directoryUnitName?: string): string {
  const unitName = a.unitName ?? directoryUnitName ?? a.unit;
  const deadline = a.deadline != null ? formatDeadline(a.deadline, timezone) : '待定';
  return [`【约谈提醒】${unitName}`, `原因：${a.reason}`, `事项：${a.action}`, `约谈人：${a.convener}；被约谈人：${a.interviewee}`, `期限：${deadline} 前`].join('\n');
}

export function interviewAlertItems(actions: InterviewAction[], people: Person[], timezone: string): ReminderItem[] {
  const items: ReminderItem[] = [];
  for (const a of actions) {
    if (a.status && !['open', 'pending', 'raised', 'scheduled'].includes(a.status)) continue;
    const unitPeople = people.filter((p) => (a.unitId ? p.unitId === a.unitId : p.unitId === a.unit || p.unitName === a.unit));
    const text = interviewAlertText(a, timezone, unitPeople[0]?.unitName);
    // The profile's ladder names the role and the post; the policy's words are the fallback.
    const role = a.intervieweeRole === 'unit' ? null : a.intervieweeRole === 'head' || a.intervieweeRole === 'deputy' ? a.intervieweeRole : roleOf(a.interviewee);
    const post = a.convenerPost ?? postOf(a.convener);
    const interviewees = unitPeople.filter((p) => (role ? p.role === role : p.role === 'head' || p.role === 'deputy'));
    const conveners = post ? people.filter((p) => p.post === post) : [];
    for (const p of [...interviewees, ...conveners]) items.push({ memberId: p.memberId, title: '约谈提醒', text });
  }
  return items;
}

/**
 * The actions the daily 约谈提醒 repeats: those still open, raised (and so first alerted) on an
 * earlier local day than `asOf`; an action raised today was alerted today, a held one never again.
 */
export function interviewRepeatsDue<T extends { status: string; raisedAt: Date | string | number }>(actions: T[], asOf: Date, timezone: string): T[] {
  const today = localDate(asOf, timezone);
  return actions.filter((a) => a.status === 'open' && localDate(new Date(a.raisedAt), timezone) < today);
}

function formatDeadline(d: string | number, tz: string): string {
  const at = typeof d === 'number' ? new Date(d) : new Date(d);
  if (Number.isNaN(at.getTime())) return String(d);
  const p = localParts(at, tz);
  return `${p.year}年${p.month}月${p.day}日`;
}

// ------------------------------------------------------------------------------------------
// Digest and quiet hours
// ------------------------------------------------------------------------------------------

/** One message for one person for one day: every item, numbered, under one heading. */
export function digestText(items: { title: string; text: string }[], day: string): { title: string; text: string } {
  if (items.length === 1) return { title: items[0].title, text: items[0].text };
  return {
    title: `今日提醒（${items.length}条）`,
    text: [`【今日提醒】${day} 共${items.length}条`, ...items.map((it, i) => `${i + 1}. ${it.text}`)].join('\n\n'),
  };
}

export interface QuietHours {
  /** HH:MM local, start of the quiet period */
  start: string;
  /** HH:MM local, end of the quiet period */
  end: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Is the instant inside the quiet hours (which may run over midnight, e.g. 22:00–08:00)? */
export function inQuietHours(at: Date, tz: string, q: QuietHours | null | undefined): boolean {
  if (!q) return false;
  const p = localParts(at, tz);
  const now = p.hour * 60 + p.minute;
  const s = minutesOf(q.start);
  const e = minutesOf(q.end);
  return s <= e ? now >= s && now < e : now >= s || now < e;
}

/** When the current quiet period ends (the instant itself when not in quiet hours). */
export function quietHoursEnd(at: Date, tz: string, q: QuietHours | null | undefined): Date {
  if (!q || !inQuietHours(at, tz, q)) return at;
  const p = localParts(at, tz);
  const now = p.hour * 60 + p.minute;
  const e = minutesOf(q.end);
  let delta = e - now;
  if (delta <= 0) delta += 24 * 60;
  return new Date(at.getTime() + delta * 60_000 - p.second * 1000);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

export type { AccountabilityRule };
