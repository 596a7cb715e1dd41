import type { Logger } from 'pino';
import { nextSlot, slotDecision } from '@zs/domain';
import { ScheduleRepository, ScheduleRow, slotRule } from '../schedules/schedule.repository';
import { RunRepository } from './run.repository';
import { RunExecutor } from './run-executor';
import { countFiring, scheduleFirings } from './firing-metrics';

const MIN_GRACE_MS = 5000;

interface Loaded {
  row: ScheduleRow;
  /** the next slot this replica will try to claim */
  next: Date | null;
  onceHandled: boolean;
}

/**
 * Each replica's clock. Every replica keeps every schedule in memory, sleeps until the earliest
 * next slot (never longer than the tick), and then tries to claim the slot in PostgreSQL; the
 * unique (schedule, slot) row makes exactly one replica fire it. On start (and after any change)
 * a schedule resumes after its last recorded slot, so slots that passed while every replica was
 * down are fired late when within the grace period and recorded as missed when not.
 */
export class SlotClock {
  private loaded = new Map<string, Loaded>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private stopped = false;
  private inFlight = new Set<Promise<void>>();
  private lastPoll = new Date(0);
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly runs: RunRepository,
    private readonly executor: RunExecutor,
    private readonly opts: { replica: string; tickMs: number; leaseMs: number; pollMs: number },
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.reloadAll();
    this.schedule(0);
    this.pollTimer = setInterval(() => void this.poll().catch((e) => this.logger.warn({ err: e }, 'schedule poll failed')), this.opts.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** What this replica has loaded: schedule id → version (for the replicas' state answer). */
  versions(): Record<string, { version: number; enabled: boolean; cron: string; next: string | null }> {
    const out: Record<string, { version: number; enabled: boolean; cron: string; next: string | null }> = {};
    for (const [id, l] of this.loaded) out[id] = { version: l.row.version, enabled: l.row.enabled, cron: l.row.cron, next: l.next?.toISOString() ?? null };
    return out;
  }

  async reloadAll(): Promise<void> {
    const rows = await this.schedules.list();
    const last = await this.schedules.lastSlots();
    const fresh = new Map<string, Loaded>();
    for (const row of rows) fresh.set(row.id, this.prepare(row, last.get(row.id) ?? null));
    this.loaded = fresh;
    this.lastPoll = new Date(Date.now() - 1000);
    this.logger.info({ schedules: rows.length }, 'schedules loaded');
  }

  /** A schedule changed (broadcast or poll): read it again, or forget it when deleted. */
  async reload(id: string): Promise<void> {
    const row = await this.schedules.get(id);
    if (!row) {
      this.loaded.delete(id);
      this.logger.info({ scheduleId: id }, 'schedule removed');
    } else {
      const had = this.loaded.get(id);
      if (had && had.row.version === row.version) return;
      this.loaded.set(id, this.prepare(row, await this.schedules.lastSlot(id)));
      this.logger.info({ scheduleId: id, version: row.version, enabled: row.enabled, cron: row.cron }, 'schedule reloaded');
    }
    this.schedule(0);
  }

  private async poll(): Promise<void> {
    const since = this.lastPoll;
    const now = new Date();
    const changed = await this.schedules.changedSince(new Date(since.getTime() - 2000));
    this.lastPoll = now;
    for (const id of changed.ids) await this.reload(id);
    if (changed.count !== this.loaded.size) await this.reloadAll();
  }

  private prepare(row: ScheduleRow, lastSlot: Date | null): Loaded {
    const anchor = new Date(row.anchorAt);
    const from = lastSlot && lastSlot > anchor ? lastSlot : anchor;
    let next: Date | null = null;
    try {
      next = row.enabled ? nextSlot(slotRule(row), from) : null;
    } catch (e) {
      this.logger.error({ scheduleId: row.id, err: e }, 'schedule has an unusable cron; not fired');
    }
    return { row, next, onceHandled: false };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      // Schedules due at the same instant are claimed side by side; one schedule's trouble (a
      // database hiccup, an odd cron) does not hold up the others.
      await Promise.all(
        [...this.loaded.values()].map((l) =>
          this.due(l).catch((e) => this.logger.warn({ err: e, scheduleId: l.row.id }, 'slot handling failed; retrying next tick')),
        ),
      );
      await this.takeOver().catch((e) => this.logger.warn({ err: e }, 'takeover check failed; retrying next tick'));
    } finally {
      this.ticking = false;
    }
    const now = Date.now();
    let soonest = now + this.opts.tickMs;
    for (const l of this.loaded.values()) {
      if (l.next) soonest = Math.min(soonest, l.next.getTime());
      if (l.row.enabled && l.row.onceAt && !l.onceHandled) soonest = Math.min(soonest, new Date(l.row.onceAt).getTime());
    }
    this.schedule(soonest - now);
  }

  private async due(l: Loaded): Promise<void> {
    const row = l.row;
    if (!row.enabled) return;
    // The clock itself may be a few seconds late (a busy machine, a takeover); that is not "missed".
    const graceMs = Math.max(row.graceSeconds * 1000, MIN_GRACE_MS);
    let guard = 0;
    while (l.next && l.next.getTime() <= Date.now() && guard++ < 500) {
      const slot = l.next;
      const now = new Date();
      const decision = slotDecision(slot, now, graceMs);
      if (decision === 'fire') {
        const { runId, current } = await this.runs.claim({
          scheduleId: row.id,
          version: row.version,
          slot,
          trigger: 'slot',
          replica: this.opts.replica,
          leaseMs: this.opts.leaseMs,
          delayMs: now.getTime() - slot.getTime(),
        });
        if (runId) {
          countFiring(row.kind, 'slot', now.getTime() - slot.getTime());
          this.logger.info({ scheduleId: row.id, slot: slot.toISOString(), runId, delayMs: now.getTime() - slot.getTime() }, 'slot claimed');
          this.track(this.executor.execute(runId));
        } else if (!current) {
          await this.reload(row.id); // our copy was out of date: never fire an old rule
          return;
        }
      } else if (decision === 'missed') {
        const recorded = await this.runs.recordMissed({
          scheduleId: row.id,
          version: row.version,
          slot,
          replica: this.opts.replica,
          reason: `所有调度实例停机，错过 ${slot.toISOString()} 的时点且已超过补发宽限期（${Math.round(graceMs / 60000)} 分钟）`,
        });
        if (recorded) {
          scheduleFirings.inc({ kind: row.kind, trigger: 'slot', outcome: 'missed' });
          this.logger.warn({ scheduleId: row.id, slot: slot.toISOString() }, 'slot missed beyond grace; recorded');
        } else if (await this.stale(row)) return;
      }
      l.next = nextSlot(slotRule(row), slot);
    }
    if (row.onceAt && !l.onceHandled && new Date(row.onceAt).getTime() <= Date.now()) {
      l.onceHandled = true;
      const onceAt = new Date(row.onceAt);
      if (slotDecision(onceAt, new Date(), graceMs) === 'fire') {
        const claimedAt = Date.now();
        const { runId } = await this.runs.claim({
          scheduleId: row.id,
          version: row.version,
          slot: onceAt,
          trigger: 'once',
          replica: this.opts.replica,
          leaseMs: this.opts.leaseMs,
          delayMs: claimedAt - onceAt.getTime(),
        });
        if (runId) {
          countFiring(row.kind, 'once', claimedAt - onceAt.getTime());
          this.track(this.executor.execute(runId));
        }
      }
    }
  }

  /** After a failed claim: is our copy of the schedule out of date? Reloads it if so. */
  private async stale(row: ScheduleRow): Promise<boolean> {
    const current = await this.schedules.get(row.id);
    if (current && current.version === row.version) return false;
    await this.reload(row.id);
    return true;
  }

  private async takeOver(): Promise<void> {
    const runId = await this.runs.takeOverExpired(this.opts.replica, this.opts.leaseMs);
    if (runId) {
      this.logger.warn({ runId }, 'took over a run whose replica stopped');
      this.track(this.executor.execute(runId));
    }
  }

  /** Runs an administrator asked for ("run now"). */
  runNow(runId: string): Promise<void> {
    const p = this.executor.execute(runId);
    this.track(p);
    return p;
  }

  private track(p: Promise<void>): void {
    const t = p.catch((e) => this.logger.error({ err: e }, 'run crashed')).finally(() => this.inFlight.delete(t));
    this.inFlight.add(t);
  }
}
