import { DataSource } from 'typeorm';

export interface RunRow {
  id: string;
  scheduleId: string;
  slotAt: Date | null;
  trigger: 'slot' | 'once' | 'manual' | 'event';
  /** what started an `event` run (e.g. `accountability:<id>`); null otherwise */
  eventKey: string | null;
  asOf: Date;
  status: 'running' | 'done' | 'failed' | 'missed';
  claimedBy: string | null;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  delayMs: number | null;
  reason: string | null;
  summary: Record<string, unknown> | null;
}

const RUN_SELECT = `
  SELECT id::text AS "id", schedule_id::text AS "scheduleId", slot_at AS "slotAt", trigger, as_of AS "asOf", status,
         claimed_by AS "claimedBy", attempts, started_at AS "startedAt", finished_at AS "finishedAt", delay_ms AS "delayMs",
         reason, summary, event_key AS "eventKey"
  FROM schedule_runs`;

/**
 * Runs: the unique (schedule, slot) row is the claim. Whoever inserts it fires the slot; everyone
 * else's insert does nothing. The claim also checks the schedule's version, so a replica that has
 * not yet heard of a change (a pause, a new time) cannot fire the old rule.
 */
export class RunRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * One round trip: the claim, and whether our copy of the schedule is current (when it is not,
   * the caller reloads it instead of firing an old rule).
   */
  async claim(p: {
    scheduleId: string;
    version: number;
    slot: Date;
    trigger: 'slot' | 'once';
    replica: string;
    leaseMs: number;
    delayMs: number;
  }): Promise<{ runId: string | null; current: boolean }> {
    const rows = await this.db.query(
      `WITH s AS (SELECT id FROM schedules WHERE id = $1 AND enabled AND version = $7),
            ins AS (
              INSERT INTO schedule_runs (schedule_id, slot_at, trigger, as_of, status, claimed_by, lease_until, delay_ms)
              SELECT s.id, $2, $3, $2, 'running', $4, now() + make_interval(secs => $5::double precision / 1000), $6 FROM s
              ON CONFLICT (schedule_id, slot_at) DO NOTHING
              RETURNING id)
       SELECT (SELECT id::text FROM ins) AS "runId", EXISTS (SELECT 1 FROM s) AS current`,
      [p.scheduleId, p.slot, p.trigger, p.replica, p.leaseMs, p.delayMs, p.version],
    );
    return { runId: rows[0]?.runId ?? null, current: !!rows[0]?.current };
  }

  /** A slot that passed while no replica was up, beyond its grace: recorded once, never fired. */
  async recordMissed(p: { scheduleId: string; version: number; slot: Date; replica: string; reason: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO schedule_runs (schedule_id, slot_at, trigger, as_of, status, claimed_by, finished_at, reason, delay_ms)
       SELECT s.id, $2, 'slot', $2, 'missed', $3, now(), $4, (extract(epoch FROM (now() - $2::timestamptz)) * 1000)::int
       FROM schedules s WHERE s.id = $1 AND s.enabled AND s.version = $5
       ON CONFLICT (schedule_id, slot_at) DO NOTHING
       RETURNING id`,
      [p.scheduleId, p.slot, p.replica, p.reason, p.version],
    );
    return rows.length > 0;
  }

  /** An administrator's "run now" (optionally computed as of another instant): never collides with slots. */
  async startManual(scheduleId: string, asOf: Date, replica: string, leaseMs: number): Promise<string> {
    const rows = await this.db.query(
      `INSERT INTO schedule_runs (schedule_id, slot_at, trigger, as_of, status, claimed_by, lease_until)
       VALUES ($1, NULL, 'manual', $2, 'running', $3, now() + make_interval(secs => $4::double precision / 1000))
       RETURNING id::text AS id`,
      [scheduleId, asOf, replica, leaseMs],
    );
    return rows[0].id;
  }

  /** Takes over one run whose replica died mid-way (its lease ran out). */
  async takeOverExpired(replica: string, leaseMs: number): Promise<string | null> {
    const rows = await this.db.query(
      `UPDATE schedule_runs SET claimed_by = $1, attempts = attempts + 1,
              lease_until = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = (SELECT id FROM schedule_runs WHERE status = 'running' AND lease_until < now()
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text AS id`,
      [replica, leaseMs],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const updated = Array.isArray(rows[0]) ? rows[0] : rows;
    return updated[0]?.id ?? null;
  }

  async extendLease(runId: string, leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE schedule_runs SET lease_until = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1 AND status = 'running'`,
      [runId, leaseMs],
    );
  }

  /** Progress of a run still under way (shown in the run history while it works). */
  async progress(runId: string, summary: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE schedule_runs SET summary = $2 WHERE id = $1 AND status = 'running'`, [runId, JSON.stringify(summary)]);
  }

  async finish(runId: string, status: 'done' | 'failed', reason: string | null, summary: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE schedule_runs SET status = $2, reason = $3, summary = $4, finished_at = now(), lease_until = NULL WHERE id = $1`, [
      runId,
      status,
      reason,
      JSON.stringify(summary),
    ]);
  }

  async get(runId: string): Promise<RunRow | null> {
    return (await this.db.query(`${RUN_SELECT} WHERE id = $1`, [runId]))[0] ?? null;
  }

  /** A schedule's runs, newest first, each with whom it reached and what became of each push. */
  async listWithPushes(scheduleId: string, limit: number, pushLimit = 200) {
    const runs: RunRow[] = await this.db.query(`${RUN_SELECT} WHERE schedule_id = $1 ORDER BY coalesce(slot_at, as_of) DESC, id DESC LIMIT $2`, [scheduleId, limit]);
    if (!runs.length) return [];
    const pushes: {
      runId: string;
      memberId: string | null;
      memberName: string | null;
      robotId: string | null;
      title: string;
      text: string;
      status: string;
      dedupKey: string | null;
      deliverAfter: Date;
      delivery: string | null;
      n: number;
      total: number;
    }[] = await this.db.query(
      `SELECT * FROM (
         SELECT p.run_id::text AS "runId", p.member_id::text AS "memberId", m.name AS "memberName", p.robot_id AS "robotId", p.title, p.text,
                p.status, p.dedup_key AS "dedupKey", p.deliver_after AS "deliverAfter", d.status AS "delivery",
                row_number() OVER (PARTITION BY p.run_id ORDER BY p.id) AS n, count(*) OVER (PARTITION BY p.run_id) AS total
         FROM schedule_pushes p
         LEFT JOIN directory_members_v m ON m.id = p.member_id
         LEFT JOIN delivery_outcomes_v d ON d.dedup_key = p.dedup_key
         WHERE p.run_id = ANY($1::bigint[])) x
       WHERE n <= $2 ORDER BY "runId", n`,
      [runs.map((r) => r.id), pushLimit],
    );
    return runs.map((r) => {
      const mine = pushes.filter((p) => p.runId === r.id);
      return {
        ...r,
        pushCount: mine.length ? Number(mine[0].total) : 0,
        pushes: mine.map((p) => ({
          memberId: p.memberId,
          memberName: p.memberName,
          robotId: p.robotId,
          title: p.title,
          text: p.text,
          status: p.status,
          digestKey: p.dedupKey,
          deliverAfter: p.deliverAfter,
          delivery: p.delivery ?? (p.status === 'sent' ? 'queued' : p.status),
        })),
      };
    });
  }
}
