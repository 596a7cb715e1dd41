import { DataSource } from 'typeorm';
import { ScheduleAudience, ScheduleView } from '@zs/contracts';
import { nextSlot, SlotRule } from '@zs/domain';

/** A schedule as stored. `details` holds what the profile said about it (chair, attendees, notice). */
export interface ScheduleRow {
  id: string;
  profileKey: string | null;
  kind: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  workingDaysOnly: boolean;
  audience: ScheduleAudience;
  message: string | null;
  details: ScheduleDetails;
  onceAt: Date | null;
  graceSeconds: number;
  anchorAt: Date;
  version: number;
  lastFiredAt: Date | null;
}

export interface ScheduleDetails {
  chair?: string;
  attendees?: string;
  leadMinutes?: number;
  source?: string;
  cadenceKey?: string;
}

const SELECT = `
  SELECT s.id::text AS "id", s.profile_key AS "profileKey", s.kind, s.name, s.cron, s.timezone, s.enabled,
         s.working_days_only AS "workingDaysOnly", s.audience, s.message, s.details, s.once_at AS "onceAt",
         s.grace_seconds AS "graceSeconds", s.anchor_at AS "anchorAt", s.version,
         (SELECT max(r.started_at) FROM schedule_runs r WHERE r.schedule_id = s.id AND r.status <> 'missed') AS "lastFiredAt"
  FROM schedules s`;

export function slotRule(s: Pick<ScheduleRow, 'cron' | 'timezone' | 'workingDaysOnly' | 'details'>): SlotRule {
  return { cron: s.cron, timezone: s.timezone, workingDaysOnly: s.workingDaysOnly, leadMinutes: s.details?.leadMinutes ?? 0 };
}

export function toView(s: ScheduleRow, now = new Date()): ScheduleView {
  let next: Date | null = null;
  if (s.enabled) {
    try {
      next = nextSlot(slotRule(s), now);
    } catch {
      next = null;
    }
    if (s.onceAt && s.onceAt > now && (!next || s.onceAt < next)) next = s.onceAt;
  }
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    workingDaysOnly: s.workingDaysOnly,
    audience: s.audience,
    message: s.message,
    nextFireAt: next ? next.toISOString() : null,
    lastFiredAt: s.lastFiredAt ? new Date(s.lastFiredAt).toISOString() : null,
    onceAt: s.onceAt ? new Date(s.onceAt).toISOString() : null,
    graceMinutes: Math.round(s.graceSeconds / 60),
    leadMinutes: s.details?.leadMinutes ?? 0,
    profileKey: s.profileKey,
    version: s.version,
  };
}

export interface NewSchedule {
  profileKey?: string | null;
  kind: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  workingDaysOnly: boolean;
  audience: ScheduleAudience;
  message: string | null;
  details: ScheduleDetails;
  graceSeconds: number;
}

export class ScheduleNameTaken extends Error {}

/** Schedules and their audit trail. Every change bumps `version`, which claims check. */
export class ScheduleRepository {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<ScheduleRow[]> {
    return this.db.query(`${SELECT} ORDER BY s.id`);
  }

  async get(id: string): Promise<ScheduleRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows = await this.db.query(`${SELECT} WHERE s.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Changed since the given instant (the polling safety net behind the broadcast). */
  async changedSince(since: Date): Promise<{ ids: string[]; count: number; maxUpdated: Date | null }> {
    const rows = await this.db.query(
      `SELECT (SELECT array_agg(id::text) FROM schedules WHERE updated_at > $1) AS ids, count(*)::int AS count, max(updated_at) AS "maxUpdated" FROM schedules`,
      [since],
    );
    return { ids: rows[0].ids ?? [], count: rows[0].count, maxUpdated: rows[0].maxUpdated };
  }

  async create(s: NewSchedule, actor: string): Promise<ScheduleRow> {
    return this.db.transaction(async (em) => {
      let rows: { id: string }[];
      try {
        rows = await em.query(
          `INSERT INTO schedules (profile_key, kind, name, cron, timezone, enabled, working_days_only, audience, message, details, grace_seconds)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id::text AS id`,
          [s.profileKey ?? null, s.kind, s.name, s.cron, s.timezone, s.enabled, s.workingDaysOnly, JSON.stringify(s.audience), s.message, JSON.stringify(s.details), s.graceSeconds],
        );
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new ScheduleNameTaken(`已有名为“${s.name}”的日程`);
        throw e;
      }
      const created = (await em.query(`${SELECT} WHERE s.id = $1`, [rows[0].id]))[0] as ScheduleRow;
      await em.query(`INSERT INTO schedule_audit (schedule_id, action, actor, after) VALUES ($1, 'create', $2, $3)`, [created.id, actor, JSON.stringify(created)]);
      return created;
    });
  }

  /**
   * Applies a change. A new cron, zone or calendar rule, or re-enabling, re-anchors the schedule
   * at now: slots before the change are neither fired nor reported missed.
   */
  async update(id: string, patch: Partial<NewSchedule & { onceAt: Date | null; enabled: boolean }>, actor: string): Promise<ScheduleRow | null> {
    return this.db.transaction(async (em) => {
      const before = (await em.query(`${SELECT} WHERE s.id = $1 FOR UPDATE OF s`, [id]))[0] as ScheduleRow | undefined;
      if (!before) return null;
      const after = { ...before, ...patch, details: { ...before.details, ...(patch.details ?? {}) } };
      const reanchor =
        after.cron !== before.cron ||
        after.timezone !== before.timezone ||
        after.workingDaysOnly !== before.workingDaysOnly ||
        (after.details.leadMinutes ?? 0) !== (before.details.leadMinutes ?? 0) ||
        (after.enabled && !before.enabled);
      try {
        await em.query(
          `UPDATE schedules SET kind=$2, name=$3, cron=$4, timezone=$5, enabled=$6, working_days_only=$7, audience=$8, message=$9,
             details=$10, grace_seconds=$11, once_at=$12, anchor_at = CASE WHEN $13 THEN now() ELSE anchor_at END,
             version = version + 1, updated_at = now()
           WHERE id = $1`,
          [id, after.kind, after.name, after.cron, after.timezone, after.enabled, after.workingDaysOnly, JSON.stringify(after.audience), after.message,
            JSON.stringify(after.details), after.graceSeconds, after.onceAt, reanchor],
        );
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new ScheduleNameTaken(`已有名为“${after.name}”的日程`);
        throw e;
      }
      const row = (await em.query(`${SELECT} WHERE s.id = $1`, [id]))[0] as ScheduleRow;
      await em.query(`INSERT INTO schedule_audit (schedule_id, action, actor, before, after) VALUES ($1, 'update', $2, $3, $4)`, [
        id,
        actor,
        JSON.stringify(before),
        JSON.stringify(row),
      ]);
      return row;
    });
  }

  async remove(id: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const before = (await em.query(`${SELECT} WHERE s.id = $1`, [id]))[0];
      if (!before) return false;
      await em.query(`DELETE FROM schedules WHERE id = $1`, [id]);
      await em.query(`INSERT INTO schedule_audit (schedule_id, action, actor, before) VALUES ($1, 'delete', $2, $3)`, [id, actor, JSON.stringify(before)]);
      return true;
    });
  }

  /** Schedules are seeded from the profile once per database; later deletions stay deleted. */
  async seedOnce(schedules: NewSchedule[]): Promise<number> {
    return this.db.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('schedules-seed'))`);
      const seeded = await em.query(`SELECT 1 FROM schedule_audit WHERE action = 'seed' LIMIT 1`);
      if (seeded.length) return 0;
      let n = 0;
      for (const s of schedules) {
        const r = await em.query(
          `INSERT INTO schedules (profile_key, kind, name, cron, timezone, enabled, working_days_only, audience, message, details, grace_seconds)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING RETURNING id`,
          [s.profileKey, s.kind, s.name, s.cron, s.timezone, s.enabled, s.workingDaysOnly, JSON.stringify(s.audience), s.message, JSON.stringify(s.details), s.graceSeconds],
        );
        n += r.length;
      }
      await em.query(`INSERT INTO schedule_audit (action, actor, after) VALUES ('seed', 'profile', $1)`, [JSON.stringify({ count: n })]);
      return n;
    });
  }

  /** The last slot each schedule has a run (fired or missed) for. */
  async lastSlots(): Promise<Map<string, Date>> {
    const rows: { id: string; slot: Date }[] = await this.db.query(
      `SELECT schedule_id::text AS id, max(slot_at) AS slot FROM schedule_runs WHERE trigger = 'slot' GROUP BY schedule_id`,
    );
    return new Map(rows.map((r) => [r.id, new Date(r.slot)]));
  }

  async lastSlot(id: string): Promise<Date | null> {
    const rows = await this.db.query(`SELECT max(slot_at) AS slot FROM schedule_runs WHERE schedule_id = $1 AND trigger = 'slot'`, [id]);
    return rows[0]?.slot ? new Date(rows[0].slot) : null;
  }
}
