import type { Logger } from 'pino';
import { CreateScheduleBody, PatchScheduleBody, SchedulePreviewView, schedulerBroadcast } from '@zs/contracts';
import { cronError, PolicyProfile, timezoneError } from '@zs/domain';
import { JetStreamBus } from '@zs/platform';
import { NewSchedule, ScheduleRepository, ScheduleRow, toView } from './schedule.repository';
import { RunRepository } from '../fires/run.repository';
import { SlotClock } from '../fires/slot-clock';
import { AudienceResolver } from '../fires/audience';
import { RunExecutor } from '../fires/run-executor';
import { schedulePreviewOf } from '../fires/preview-view';

export class BadScheduleInput extends Error {}
export class ScheduleNotFound extends Error {}

/**
 * What administrators do with schedules, from the API or the chat: every change is validated,
 * written with its audit row, and announced to every replica at once (core NATS, no queue group);
 * the replicas' polling catches a missed announcement.
 */
export class ScheduleService {
  constructor(
    private readonly repo: ScheduleRepository,
    private readonly runs: RunRepository,
    private readonly clock: SlotClock,
    private readonly audience: AudienceResolver,
    private readonly bus: JetStreamBus,
    private readonly ns: string,
    private readonly policy: PolicyProfile,
    private readonly replica: string,
    private readonly leaseMs: number,
    private readonly logger: Logger,
    private readonly executor: RunExecutor,
  ) {}

  async list() {
    return (await this.repo.list()).map((s) => toView(s));
  }

  async get(id: string) {
    const s = await this.repo.get(id);
    if (!s) throw new ScheduleNotFound(`日程 ${id} 不存在`);
    return s;
  }

  /** Finds a schedule by what people call it in chat: exact name, then the name's start, then contained. */
  async findByName(name: string): Promise<ScheduleRow[]> {
    const all = await this.repo.list();
    const exact = all.filter((s) => s.name === name);
    if (exact.length) return exact;
    const start = all.filter((s) => s.name.startsWith(name));
    if (start.length) return start;
    return all.filter((s) => s.name.includes(name));
  }

  async create(body: CreateScheduleBody, actor: string) {
    const timezone = body.timezone ?? this.policy.timezone;
    await this.check(body.cron, timezone, body.audience);
    const s: NewSchedule = {
      kind: body.kind,
      name: body.name,
      cron: body.cron,
      timezone,
      enabled: body.enabled,
      workingDaysOnly: body.workingDaysOnly,
      audience: body.audience,
      message: body.message,
      details: { leadMinutes: body.leadMinutes ?? 0 },
      graceSeconds: (body.graceMinutes ?? this.policy.reminders?.graceMinutes ?? 120) * 60,
    };
    const row = await this.repo.create(s, actor);
    await this.announce(row.id);
    return toView(row);
  }

  async update(id: string, body: PatchScheduleBody, actor: string) {
    const before = await this.get(id);
    const cron = body.cron ?? before.cron;
    const timezone = body.timezone ?? before.timezone;
    if (body.cron !== undefined || body.timezone !== undefined || body.audience !== undefined) await this.check(cron, timezone, body.audience ?? before.audience);
    const row = await this.repo.update(
      id,
      {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.kind !== undefined && { kind: body.kind }),
        ...(body.cron !== undefined && { cron: body.cron }),
        ...(body.timezone !== undefined && { timezone: body.timezone }),
        ...(body.enabled !== undefined && { enabled: body.enabled }),
        ...(body.workingDaysOnly !== undefined && { workingDaysOnly: body.workingDaysOnly }),
        ...(body.message !== undefined && { message: body.message }),
        ...(body.audience !== undefined && { audience: body.audience }),
        ...(body.graceMinutes !== undefined && { graceSeconds: body.graceMinutes * 60 }),
        ...(body.leadMinutes !== undefined && { details: { ...before.details, leadMinutes: body.leadMinutes } }),
        ...(body.onceAt !== undefined && { onceAt: body.onceAt ? new Date(body.onceAt) : null }),
      },
      actor,
    );
    if (!row) throw new ScheduleNotFound(`日程 ${id} 不存在`);
    await this.announce(id);
    return toView(row);
  }

  async remove(id: string, actor: string) {
    if (!(await this.repo.remove(id, actor))) throw new ScheduleNotFound(`日程 ${id} 不存在`);
    await this.announce(id);
    return { deleted: id };
  }

  /**
   * Fires a schedule now, computed as of `asOf` (a preview or a catch-up). Answers at once with the
   * run's id: the run is a leased row in PostgreSQL, worked on by this replica and taken over by
   * another if this one stops, and its progress and result show in the schedule's run history.
   */
  async runNow(id: string, asOf: Date, actor: string): Promise<{ runId: string; scheduleId: string; status: 'running'; asOf: string }> {
    await this.get(id);
    const runId = await this.runs.startManual(id, asOf, this.replica, this.leaseMs);
    this.logger.info({ scheduleId: id, runId, asOf: asOf.toISOString(), actor }, 'manual run');
    void this.clock.runNow(runId).catch(() => undefined); // tracked by the clock; failures land on the run
    return { runId, scheduleId: id, status: 'running', asOf: asOf.toISOString() };
  }

  /**
   * Who would receive what if the schedule ran as of `asOf`: the run's own build step, addressed as
   * a run addresses it; nothing is sent, published or recorded.
   */
  async preview(id: string, asOf: Date, limit = 200): Promise<SchedulePreviewView> {
    const s = await this.get(id);
    const p = await this.executor.preview(s, asOf);
    return schedulePreviewOf(
      { scheduleId: s.id, name: s.name, kind: s.kind, asOf, heldUntil: p.heldUntil, summary: p.built.summary },
      p.addressed,
      p.robots,
      limit,
    );
  }

  async history(id: string, limit = 50) {
    await this.get(id);
    return this.runs.listWithPushes(id, limit);
  }

  private async check(cron: string, timezone: string, audience: CreateScheduleBody['audience']) {
    const problem = cronError(cron, timezone) ?? timezoneError(timezone);
    if (problem) throw new BadScheduleInput(problem);
    const unknownMembers = await this.audience.unknownMembers(audience.members ?? []);
    if (unknownMembers.length) throw new BadScheduleInput(`成员不存在：${unknownMembers.join('、')}`);
    const unknownRobots = await this.audience.unknownRobots(audience.robots ?? []);
    if (unknownRobots.length) throw new BadScheduleInput(`机器人不存在：${unknownRobots.join('、')}`);
  }

  /** Tells every replica (this one included) to reload the schedule now. */
  private async announce(id: string) {
    await this.clock.reload(id);
    this.bus.nc.publish(schedulerBroadcast(this.ns).changed, Buffer.from(JSON.stringify({ id, from: this.replica })));
  }
}
