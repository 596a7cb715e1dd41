import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { AccountabilityRaisedEvent, Names } from '@zs/contracts';
import { interviewAlertText } from '@zs/domain';
import { JetStreamBus, RunningConsumer } from '@zs/platform';

/** The event key of the run that sends an action's first 约谈提醒 (unique: one alert per action). */
export const interviewAlertEventKey = (actionId: string) => `accountability:${actionId}`;

/**
 * A raise heard this long after scoring raised it is history being replayed (a new durable reading the
 * stream from its start, e.g. on the first deploy of this consumer): recorded, left to the daily
 * repeat, not alerted at once (scoring's former alert path already told those people).
 */
const REPLAYED_AFTER_MS = 24 * 3600 * 1000;

/**
 * Reads scoring's accountability events (raised, held) into `scheduler_accountability_actions` and
 * starts the first 约谈提醒 for a newly raised action as a run of the `interview-alerts` schedule
 * (trigger `event`). The action row and the run are written in one transaction, and the run's
 * `event_key` is unique, so a redelivered or duplicated event never alerts twice; a replica that
 * dies mid-run leaves a leased run that another replica takes over. A held action is never alerted
 * again (the daily repeat reads only open ones), even when its `held` event overtakes `raised`.
 */
export class AccountabilityConsumer {
  private running: RunningConsumer | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly bus: JetStreamBus,
    private readonly names: Names,
    private readonly opts: { replica: string; leaseMs: number },
    private readonly execute: (runId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.running = await this.bus.consume<unknown>({
      stream: this.names.streams.events.name,
      durable: this.names.durables.schedulerAccountability,
      filterSubject: this.names.subjects.accountabilityAll,
      maxDeliver: 20,
      ackWaitMs: 60000,
      concurrency: 2,
      handler: (payload, meta) => this.apply(payload, meta.subject),
    });
  }

  async stop(): Promise<void> {
    await this.running?.stop();
  }

  /** The texts this action's alerts were sent with (per schedule time zone; the unit's name as the alert gave it). */
  private async alertTexts(e: AccountabilityRaisedEvent): Promise<string[]> {
    const zones: { timezone: string }[] = await this.db.query(`SELECT DISTINCT timezone FROM schedules WHERE kind = 'interview-alerts'`);
    const unit: { name: string }[] = e.unitId ? await this.db.query(`SELECT name FROM directory_units_v WHERE id = $1`, [e.unitId]) : [];
    const action = { ...e, status: 'open' };
    return zones.map((z) => interviewAlertText(action, z.timezone, unit[0]?.name));
  }

  async apply(payload: unknown, subject: string): Promise<void> {
    const parsed = AccountabilityRaisedEvent.safeParse(payload);
    if (!parsed.success) {
      this.logger.warn({ subject, issues: parsed.error.issues.slice(0, 3) }, 'accountability event not understood; ignored');
      return;
    }
    const e = parsed.data;
    const held = subject === this.names.subjects.accountabilityHeld || e.status === 'held';
    const values = [
      e.id,
      e.period,
      e.unit,
      e.unitId ?? null,
      e.unitName ?? null,
      e.action,
      e.convener,
      e.convenerPost ?? null,
      e.interviewee,
      e.intervieweeRole ?? null,
      e.reason,
      e.deadline ? e.deadline.slice(0, 10) : null,
      held ? 'held' : 'open',
      held ? (e.heldAt ?? null)?.slice(0, 10) ?? null : null,
      e.raisedAt ?? null,
    ];
    const insert = `INSERT INTO scheduler_accountability_actions (action_id, period, unit, unit_id, unit_name, action, convener, convener_post,
                                                    interviewee, interviewee_role, reason, deadline, status, held_at, raised_at)
                    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12::date,$13,$14::date,
                            coalesce(to_timestamp($15::double precision / 1000), now()))`;
    if (held) {
      const texts = await this.alertTexts(e);
      const withdrawn = await this.db.transaction(async (em) => {
        await em.query(`${insert} ON CONFLICT (action_id) DO UPDATE SET status = 'held', held_at = EXCLUDED.held_at, updated_at = now()`, values);
        // A repeat still waiting in someone's digest (quiet hours, or after today's digest) is withdrawn with it.
        const rows = await em.query(
          `DELETE FROM schedule_pushes p USING schedule_runs r, schedules s
           WHERE p.run_id = r.id AND r.schedule_id = s.id AND s.kind = 'interview-alerts' AND p.status = 'pending' AND p.text = ANY($1::text[])
           RETURNING p.id`,
          [texts],
        );
        return (Array.isArray(rows[0]) ? rows[0] : rows).length;
      });
      this.logger.info({ actionId: e.id, withdrawn }, 'interview held; its alerts stop');
      return;
    }
    const runId: string | null = await this.db.transaction(async (em) => {
      const rows = await em.query(`${insert} ON CONFLICT (action_id) DO NOTHING RETURNING action_id`, values);
      if (!rows.length) return null; // known already (a redelivery, or held before we heard it was raised)
      if (e.raisedAt && Date.now() - e.raisedAt > REPLAYED_AFTER_MS) {
        this.logger.info({ actionId: e.id, raisedAt: new Date(e.raisedAt).toISOString() }, 'replayed raise recorded; left to the daily repeat');
        return null;
      }
      const schedule = await em.query(`SELECT id::text AS id FROM schedules WHERE kind = 'interview-alerts' ORDER BY id LIMIT 1`);
      if (!schedule[0]) {
        this.logger.warn({ actionId: e.id }, 'no interview-alerts schedule: the action is recorded but nobody is alerted');
        return null;
      }
      const run = await em.query(
        `INSERT INTO schedule_runs (schedule_id, slot_at, trigger, as_of, status, claimed_by, lease_until, event_key)
         VALUES ($1, NULL, 'event', now(), 'running', $2, now() + make_interval(secs => $3::double precision / 1000), $4)
         ON CONFLICT (event_key) DO NOTHING RETURNING id::text AS id`,
        [schedule[0].id, this.opts.replica, this.opts.leaseMs, interviewAlertEventKey(e.id)],
      );
      return run[0]?.id ?? null;
    });
    if (!runId) return;
    this.logger.info({ actionId: e.id, runId }, 'accountability action raised; alerting the people named');
    await this.execute(runId);
  }
}
