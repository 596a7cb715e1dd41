import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's tables: schedules (seeded from the profile's cadences, changed by administrators),
 * one run per schedule and slot (the unique claim that makes a slot fire once across replicas),
 * the pushes each run queued and the daily digests that carried them, the audit of changes,
 * investment trips, leaders' posts, and the scheduler's read model of the project ledger.
 */
export class Schedules1764500000001 implements MigrationInterface {
  name = 'Schedules1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schedules (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile_key text UNIQUE,
        kind text NOT NULL,
        name text NOT NULL UNIQUE,
        cron text NOT NULL,
        timezone text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        working_days_only boolean NOT NULL DEFAULT false,
        audience jsonb NOT NULL DEFAULT '{}'::jsonb,
        message text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        once_at timestamptz,
        grace_seconds integer NOT NULL CHECK (grace_seconds >= 0),
        anchor_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE schedule_runs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        schedule_id bigint NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        slot_at timestamptz,
        trigger text NOT NULL CHECK (trigger IN ('slot','once','manual')),
        as_of timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('running','done','failed','missed')),
        claimed_by text,
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 1,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        delay_ms integer,
        reason text,
        summary jsonb,
        UNIQUE (schedule_id, slot_at)
      )`);
    await q.query(`CREATE INDEX schedule_runs_schedule_idx ON schedule_runs(schedule_id, started_at DESC)`);
    await q.query(`CREATE INDEX schedule_runs_stale_idx ON schedule_runs(lease_until) WHERE status = 'running'`);
    await q.query(`
      CREATE TABLE schedule_pushes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        run_id bigint NOT NULL REFERENCES schedule_runs(id) ON DELETE CASCADE,
        member_id bigint REFERENCES members(id) ON DELETE CASCADE,
        robot_id text,
        title text NOT NULL,
        text text NOT NULL,
        deliver_after timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','sent','no-channel')),
        dedup_key text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX schedule_pushes_once ON schedule_pushes(run_id, coalesce(member_id, 0), coalesce(robot_id, ''), md5(text))`);
    await q.query(`CREATE INDEX schedule_pushes_pending_idx ON schedule_pushes(member_id, deliver_after) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE schedule_digests (
        member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        local_day date NOT NULL,
        dedup_key text NOT NULL UNIQUE,
        items integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, local_day)
      )`);
    await q.query(`
      CREATE TABLE schedule_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        schedule_id bigint,
        action text NOT NULL,
        actor text NOT NULL,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE trips (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        trip_date date NOT NULL,
        destination text NOT NULL,
        purpose text NOT NULL DEFAULT '',
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (member_id, trip_date, destination)
      )`);
    await q.query(`CREATE INDEX trips_date_idx ON trips(trip_date)`);
    await q.query(`
      CREATE TABLE scheduler_lead_activity (
        lead_id text PRIMARY KEY,
        code text NOT NULL,
        company_name text NOT NULL,
        tier text NOT NULL,
        owner_unit_id text NOT NULL,
        first_contact_unit_id text NOT NULL,
        stage text NOT NULL,
        registered_at timestamptz NOT NULL,
        last_moved_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['scheduler_lead_activity', 'trips', 'schedule_audit', 'schedule_digests', 'schedule_pushes', 'schedule_runs', 'schedules']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
