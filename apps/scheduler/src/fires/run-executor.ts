import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import {
  cadencePeriodKind,
  dataDuePeriod,
  dataDueReminders,
  eventTimeOf,
  fromLocal,
  interviewAlertItems,
  InterviewAction,
  interviewRepeatsDue,
  LaggingUnit,
  LedgerLead,
  meetingReminder,
  periodOf,
  periodRange,
  PolicyProfile,
  previousPeriodLabel,
  QuietHours,
  quietHoursEnd,
  quotaShortfalls,
  ReminderItem,
  staleProjectItems,
  staleProjects,
} from '@zs/domain';
import { ScheduleRepository, ScheduleRow, slotRule } from '../schedules/schedule.repository';
import { RunRepository } from './run.repository';
import { AudienceResolver, Recipient } from './audience';
import { DigestSender } from './digest-sender';
import { ScoringClient, ScoringUnavailable } from './scoring-client';

export const MEETING_KINDS = [
  'monthly-review',
  'monthly-questioning',
  'quarterly-dispatch',
  'annual-summary',
  'mid-year-report',
  'year-end-report',
  'supervision',
  'quarterly-visit',
  'project-evaluation',
];

/** 'run' builds for sending; 'preview' builds the same items but has no side effect (nothing published). */
export type BuildMode = 'run' | 'preview';

/** One item addressed to a person of the directory, as a run queues it. */
export interface AddressedItem {
  item: ReminderItem;
  person: Recipient;
  status: 'pending' | 'no-channel';
}

interface Built {
  items: ReminderItem[];
  /** sent to each person at once (outside quiet hours) rather than in the day's digest */
  urgent?: boolean;
  robot?: { title: string; text: string };
  summary: Record<string, unknown>;
}

/**
 * Executes one claimed run: gathers what the schedule's kind needs (directory, trips, the ledger
 * read model, scoring's answers), builds the reminders with the pure functions in libs/domain,
 * queues them as pushes and sends the digests that are due. Idempotent, so a run taken over after
 * its replica died completes without sending anything twice.
 */
export class RunExecutor {
  constructor(
    private readonly db: DataSource,
    private readonly schedules: ScheduleRepository,
    private readonly runs: RunRepository,
    private readonly audience: AudienceResolver,
    private readonly digests: DigestSender,
    private readonly scoring: ScoringClient,
    private readonly policy: PolicyProfile,
    private readonly quiet: QuietHours | null,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  async execute(runId: string): Promise<void> {
    const heartbeat = setInterval(() => void this.runs.extendLease(runId, this.leaseMs).catch(() => undefined), Math.max(500, this.leaseMs / 3));
    try {
      const run = await this.runs.get(runId);
      if (!run || run.status !== 'running') return;
      const schedule = await this.schedules.get(run.scheduleId);
      if (!schedule) {
        await this.runs.finish(runId, 'failed', '日程已删除', {});
        return;
      }
      const asOf = new Date(run.asOf);
      if (run.trigger === 'event' && !schedule.enabled) {
        // A paused 约谈提醒 sends nothing; the daily repeat picks the action up once it is resumed.
        await this.runs.finish(runId, 'done', '日程已暂停，未发送', { kind: schedule.kind, event: run.eventKey });
        return;
      }
      await this.runs.progress(runId, { kind: schedule.kind, phase: 'building' });
      let built: Built;
      try {
        built = run.trigger === 'event' ? await this.eventAlert(schedule, run.eventKey) : await this.build(schedule, asOf, 'run');
      } catch (e) {
        if (e instanceof ScoringUnavailable) {
          await this.runs.finish(runId, 'failed', e.message, { kind: schedule.kind });
          this.logger.warn({ runId, schedule: schedule.name, reason: e.message }, 'run failed: scoring unavailable');
          return;
        }
        throw e;
      }
      await this.runs.progress(runId, { kind: schedule.kind, ...built.summary, phase: 'queueing', items: built.items.length });
      const delivered = await this.deliver(runId, built, (p) => this.runs.progress(runId, { kind: schedule.kind, ...built.summary, phase: 'sending', ...p }));
      await this.runs.finish(runId, 'done', null, { kind: schedule.kind, ...built.summary, ...delivered });
      this.logger.info({ runId, schedule: schedule.name, ...delivered }, 'run done');
    } catch (e) {
      this.logger.error({ err: e, runId }, 'run failed');
      await this.runs.finish(runId, 'failed', `内部错误：${String((e as Error)?.message ?? e).slice(0, 300)}`, {}).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * What a run of `s` as of `asOf` would send, without sending or recording anything: the same
   * build step a run takes (mode 'preview': nothing is published), addressed as `deliver` addresses
   * it, and the robots it would reach.
   */
  async preview(s: ScheduleRow, asOf: Date, now = new Date()) {
    const built = await this.build(s, asOf, 'preview');
    const people = new Map((await this.audience.everyone()).map((p) => [p.memberId, p]));
    const addressed = this.address(built, people);
    const robots: { robotId: string; platform: string; title: string; text: string }[] = [];
    if (built.robot) {
      for (const robotId of s.audience.robots ?? []) {
        const platform = await this.audience.robotChannel(robotId);
        if (platform) robots.push({ robotId, platform, title: built.robot.title, text: built.robot.text });
      }
    }
    const deliverAfter = quietHoursEnd(now, this.policy.timezone, this.quiet);
    return { built, addressed, robots, heldUntil: !built.urgent && deliverAfter.getTime() > now.getTime() ? deliverAfter : null };
  }

  /** The build step shared by runs and previews: what the schedule's kind sends as of `asOf`. */
  private async build(s: ScheduleRow, asOf: Date, mode: BuildMode): Promise<Built> {
    const people = await this.audience.everyone();
    const chosen = AudienceResolver.select(people, s.audience);
    const kind = s.kind;
    if (MEETING_KINDS.includes(kind)) return this.meeting(s, asOf, people, chosen);
    if (kind === 'data-due') return this.dataDue(s, asOf, people, chosen);
    if (kind === 'quota-check') return this.quota(s, asOf, people);
    if (kind === 'weekly-tracking' || kind === 'stale-projects') return this.stale(s, asOf, people);
    if (kind === 'ranking-notice') return this.rankingNotice(s, asOf, mode);
    if (kind === 'interview-alerts') return this.interviews(s, asOf, people);
    const text = s.message ?? s.name;
    return {
      items: chosen.map((p) => ({ memberId: p.memberId, title: s.name, text: `【${s.name}】${text === s.name ? '' : text}` })),
      robot: { title: s.name, text: `【${s.name}】${text === s.name ? '' : text}` },
      summary: {},
    };
  }

  private async meeting(s: ScheduleRow, asOf: Date, people: Recipient[], chosen: Recipient[]): Promise<Built> {
    const meetingAt = eventTimeOf(slotRule(s), asOf);
    const warnings: string[] = [];
    let lagging: LaggingUnit[] = [];
    try {
      lagging = laggingFrom(await this.scoring.rankings(previousPeriodLabel(asOf, cadencePeriodKind(s.cron) === 'month' ? 'quarter' : cadencePeriodKind(s.cron), s.timezone)));
    } catch (e) {
      // The meeting still happens: the reminder goes out, the agenda says less, the run says why.
      warnings.push((e as Error).message);
    }
    const stale = staleProjects(await this.ledgerLeads(people), this.policy.leadTiers, asOf);
    const r = meetingReminder({
      name: s.name,
      when: meetingAt,
      timezone: s.timezone,
      chair: s.details.chair ?? null,
      attendees: s.details.attendees ?? null,
      message: s.message,
      laggingUnits: lagging,
      staleProjects: stale,
    });
    return {
      items: chosen.map((p) => ({ memberId: p.memberId, title: r.title, text: r.text })),
      robot: r,
      summary: { meetingAt: meetingAt.toISOString(), laggingUnits: lagging.length, staleProjects: stale.length, warnings },
    };
  }

  private async dataDue(s: ScheduleRow, asOf: Date, people: Recipient[], chosen: Recipient[]): Promise<Built> {
    const period = dataDuePeriod(asOf, s.timezone);
    const status = await this.scoring.reportingStatus(period);
    const unitNames = new Map<string, { id: string; name: string }>();
    for (const p of people) {
      unitNames.set(p.unitId, { id: p.unitId, name: p.unitName });
      if (p.unitKey) unitNames.set(p.unitKey, { id: p.unitId, name: p.unitName });
    }
    const units = status.map((u) => {
      const known = unitNames.get(u.unitId);
      return { unitId: known?.id ?? u.unitId, unitName: known?.name ?? u.unitName ?? u.unitId, reported: !!u.reported };
    });
    const r = dataDueReminders({ name: s.name, period, units, message: s.message });
    const items: ReminderItem[] = [];
    for (const u of r.toUnits) {
      for (const p of chosen.filter((c) => c.unitId === u.unitId)) items.push({ memberId: p.memberId, title: u.title, text: u.text });
    }
    const coordinator = people.filter((p) => p.unitKey === this.policy.coordinatingUnitKey && (p.role === 'admin' || p.role === 'head'));
    for (const p of coordinator) items.push({ memberId: p.memberId, title: r.summary.title, text: r.summary.text });
    return { items, summary: { period, unreported: r.toUnits.map((u) => u.unitId), reported: units.filter((u) => u.reported).length } };
  }

  private async quota(s: ScheduleRow, asOf: Date, people: Recipient[]): Promise<Built> {
    const kinds = [...new Set(this.policy.quotas.map((q) => q.period))];
    const items: ReminderItem[] = [];
    const periods: string[] = [];
    for (const kind of kinds) {
      const period = periodOf(asOf, kind, s.timezone);
      periods.push(period);
      const { from, to } = periodRange(period);
      const trips: { id: string; n: number }[] = await this.db.query(
        `SELECT member_id::text AS id, count(*)::int AS n FROM trips WHERE trip_date >= $1 AND trip_date < $2 GROUP BY member_id`,
        [from, to],
      );
      const [fromAt, toAt] = [this.localMidnight(from, s.timezone), this.localMidnight(to, s.timezone)];
      const leads: { id: string; n: number }[] = await this.db.query(
        `SELECT first_contact_unit_id AS id, count(*)::int AS n FROM scheduler_lead_activity
         WHERE registered_at >= $1 AND registered_at < $2 AND stage <> 'terminated' GROUP BY first_contact_unit_id`,
        [fromAt, toAt],
      );
      const overrides: Record<string, number | undefined> = {};
      for (const u of this.policy.units) {
        if (!u.monthlyLeadQuota) continue;
        const p = people.find((x) => x.unitKey === u.key);
        if (p) overrides[p.unitId] = u.monthlyLeadQuota;
      }
      const shortfalls = quotaShortfalls({
        quotas: this.policy.quotas,
        forbidden: this.policy.forbiddenQuotas,
        period,
        periodKind: kind,
        people,
        unitQuotaOverride: overrides,
        memberCounts: Object.fromEntries(trips.map((t) => [t.id, t.n])),
        unitCounts: Object.fromEntries(leads.map((l) => [l.id, l.n])),
      });
      items.push(...shortfalls.map((x) => ({ memberId: x.memberId, title: x.title, text: x.text })));
    }
    return { items, summary: { periods, behind: items.length } };
  }

  private async stale(s: ScheduleRow, asOf: Date, people: Recipient[]): Promise<Built> {
    const stale = staleProjects(await this.ledgerLeads(people), this.policy.leadTiers, asOf);
    const topTier = [...this.policy.leadTiers].sort((a, b) => b.minAmountWan - a.minAmountWan)[0]?.tier ?? 'major';
    return { items: staleProjectItems(stale, people, topTier), summary: { staleProjects: stale.map((p) => p.code) } };
  }

  private async rankingNotice(s: ScheduleRow, asOf: Date, mode: BuildMode): Promise<Built> {
    const period = previousPeriodLabel(asOf, cadencePeriodKind(s.cron), s.timezone);
    // Publishing is the run's effect (scoring sends the notices), so a preview only names the period.
    if (mode === 'preview') return { items: [], summary: { period, wouldPublish: true } };
    const published = await this.scoring.publish(period);
    return { items: [], summary: { period, published } };
  }

  /**
   * The daily 约谈提醒: every action still open that was first alerted on an earlier day, from the
   * read model of scoring's accountability events (a held action drops out as soon as we hear).
   */
  private async interviews(s: ScheduleRow, asOf: Date, people: Recipient[]): Promise<Built> {
    const open = await this.accountabilityActions(`status = 'open'`, []);
    const due = interviewRepeatsDue(open, asOf, s.timezone);
    const items = interviewAlertItems(due, people, s.timezone);
    return { items, summary: { open: open.length, repeated: due.map((a) => a.id), alerts: items.length } };
  }

  /** The first 约谈提醒 of one action, started by scoring's `accountabilityRaised` event. */
  private async eventAlert(s: ScheduleRow, eventKey: string | null): Promise<Built> {
    const m = /^accountability:(.+)$/.exec(eventKey ?? '');
    if (!m) return { items: [], summary: { event: eventKey, warnings: ['无法识别的事件'] } };
    const [action] = await this.accountabilityActions(`action_id = $1`, [m[1]]);
    if (!action) return { items: [], summary: { event: eventKey, warnings: ['问责事项不存在'] } };
    const items = interviewAlertItems([action], await this.audience.everyone(), s.timezone);
    return { items, urgent: true, summary: { event: eventKey, actionId: action.id, status: action.status, deadline: action.deadline, alerts: items.length } };
  }

  private async accountabilityActions(where: string, params: unknown[]): Promise<(InterviewAction & { id: string; raisedAt: Date })[]> {
    return this.db.query(
      `SELECT action_id AS id, period, unit, unit_id AS "unitId", unit_name AS "unitName", action, convener, convener_post AS "convenerPost",
              interviewee, interviewee_role AS "intervieweeRole", reason, to_char(deadline, 'YYYY-MM-DD') AS deadline, status, raised_at AS "raisedAt"
       FROM scheduler_accountability_actions WHERE ${where} ORDER BY raised_at, action_id`,
      params,
    );
  }

  private localMidnight(date: string, tz: string): Date {
    const [y, m, d] = date.split('-').map(Number);
    return fromLocal({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, tz);
  }

  private async ledgerLeads(people: Recipient[]): Promise<LedgerLead[]> {
    const unitName = new Map(people.map((p) => [p.unitId, p.unitName]));
    const rows: { leadId: string; code: string; companyName: string; tier: string; ownerUnitId: string; stage: string; lastMovedAt: Date }[] =
      await this.db.query(
        `SELECT l.lead_id AS "leadId", l.code, l.company_name AS "companyName", l.tier, l.owner_unit_id AS "ownerUnitId", l.stage,
                l.last_moved_at AS "lastMovedAt"
         FROM scheduler_lead_activity l`,
      );
    const units: { id: string; name: string }[] = await this.db.query(`SELECT id::text AS id, name FROM directory_units_v`);
    for (const u of units) unitName.set(u.id, u.name);
    return rows.map((r) => ({ ...r, ownerUnitName: unitName.get(r.ownerUnitId) ?? r.ownerUnitId, lastMovedAt: new Date(r.lastMovedAt).getTime() }));
  }

  /** Each item whose person is in the directory, with whether they can be reached (runs and previews alike). */
  private address(built: Built, people: Map<string, Recipient>): AddressedItem[] {
    const out: AddressedItem[] = [];
    for (const item of built.items) {
      const person = people.get(item.memberId);
      if (!person) continue;
      out.push({ item, person, status: this.digests.targetFor(person) ? 'pending' : 'no-channel' });
    }
    return out;
  }

  /** Queues every item as a push (one per person and text), sends robots at once, then due digests. */
  private async deliver(runId: string, built: Built, onProgress?: (p: Record<string, unknown>) => Promise<void>): Promise<Record<string, unknown>> {
    const now = new Date();
    const deliverAfter = quietHoursEnd(now, this.policy.timezone, this.quiet);
    const people = new Map((await this.audience.everyone()).map((p) => [p.memberId, p]));
    const addressed = this.address(built, people);
    const memberIds = addressed.map((a) => a.item.memberId);
    const titles = addressed.map((a) => a.item.title);
    const texts = addressed.map((a) => a.item.text);
    const statuses: string[] = addressed.map((a) => a.status);
    if (built.urgent && deliverAfter.getTime() <= now.getTime()) return this.deliverNow(runId, built, people);
    if (memberIds.length) {
      await this.db.query(
        `INSERT INTO schedule_pushes (run_id, member_id, title, text, deliver_after, status)
         SELECT $1, m, t, x, $5, s FROM unnest($2::bigint[], $3::text[], $4::text[], $6::text[]) AS u(m, t, x, s)
         ON CONFLICT DO NOTHING`,
        [runId, memberIds, titles, texts, deliverAfter, statuses],
      );
    }
    const robots = built.robot ? ((await this.schedules.get((await this.runs.get(runId))!.scheduleId))?.audience.robots ?? []) : [];
    for (const robotId of robots) {
      const platform = await this.audience.robotChannel(robotId);
      if (!platform) continue;
      const inserted = await this.db.query(
        `INSERT INTO schedule_pushes (run_id, robot_id, title, text, deliver_after, status, dedup_key)
         VALUES ($1, $2, $3, $4, now(), 'sent', $5) ON CONFLICT DO NOTHING RETURNING id`,
        [runId, robotId, built.robot!.title, built.robot!.text, `sched:${runId}:robot:${robotId}`],
      );
      if (inserted.length) await this.digests.sendToRobot(runId, robotId, platform, built.robot!.title, built.robot!.text);
    }
    const unique = [...new Set(memberIds)];
    const flushed =
      deliverAfter.getTime() <= now.getTime()
        ? await this.digests.flush(unique, now, onProgress && ((done) => onProgress({ recipients: unique.length, items: memberIds.length, digestsSent: done })))
        : { digests: 0 };
    return {
      recipients: unique.length,
      items: memberIds.length,
      noChannel: statuses.filter((x) => x === 'no-channel').length,
      robots: robots.length,
      digestsSent: flushed.digests,
      heldUntil: deliverAfter.getTime() > now.getTime() ? deliverAfter.toISOString() : null,
    };
  }

  /**
   * Urgent items: published to each person now (dedup key per run and person, so a takeover's
   * second publish is dropped downstream), then recorded as sent pushes for the run history.
   */
  private async deliverNow(runId: string, built: Built, people: Map<string, Recipient>): Promise<Record<string, unknown>> {
    const sent: { memberId: string; title: string; text: string; key: string; status: string }[] = [];
    const seen = new Set<string>();
    for (const it of built.items) {
      const p = people.get(it.memberId);
      if (!p || seen.has(it.memberId)) continue;
      seen.add(it.memberId);
      const target = this.digests.targetFor(p);
      const key = `alert:${runId}:${it.memberId}`;
      if (target) await this.digests.sendNow(key, target, it.title, it.text);
      sent.push({ memberId: it.memberId, title: it.title, text: it.text, key, status: target ? 'sent' : 'no-channel' });
    }
    if (sent.length) {
      await this.db.query(
        `INSERT INTO schedule_pushes (run_id, member_id, title, text, deliver_after, status, dedup_key)
         SELECT $1, m, t, x, now(), s, CASE WHEN s = 'sent' THEN k END FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(m, t, x, s, k)
         ON CONFLICT DO NOTHING`,
        [runId, sent.map((x) => x.memberId), sent.map((x) => x.title), sent.map((x) => x.text), sent.map((x) => x.status), sent.map((x) => x.key)],
      );
    }
    return { recipients: sent.length, items: sent.length, noChannel: sent.filter((x) => x.status === 'no-channel').length, sentAtOnce: sent.filter((x) => x.status === 'sent').length };
  }
}

/** The bottom two of each ranking table scoring returned, when its shape is recognisable. */
function laggingFrom(r: unknown): LaggingUnit[] {
  const tables: unknown[] = Array.isArray(r) ? r : Array.isArray((r as { groups?: unknown })?.groups) ? (r as { groups: unknown[] }).groups : [r];
  const out: LaggingUnit[] = [];
  for (const t of tables) {
    const rows = (t as { rows?: unknown; ranking?: unknown })?.rows ?? (t as { ranking?: unknown })?.ranking;
    if (!Array.isArray(rows) || rows.length < 3) continue;
    const sorted = [...rows].sort((a, b) => Number(a.rank) - Number(b.rank));
    for (const row of sorted.slice(-2)) {
      const name = row.unitName ?? row.unit ?? row.name;
      if (typeof name !== 'string') continue;
      const pct = typeof row.progressPercent === 'number' ? row.progressPercent : typeof row.progress === 'number' ? row.progress : null;
      out.push({ unitName: name, progressPercent: pct, rank: Number(row.rank) || null });
    }
  }
  return out;
}
