import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interview alerts driven by scoring's accountability actions as they are raised (issue 9):
 * - `scoring_outbox`: scoring's events written in the transaction that raises or closes an action,
 *   published after the commit (a sweep republishes what a crash left), like `ledger_outbox`;
 * - `scheduler_accountability_actions`: the scheduler's read model of those actions (open or held),
 *   from which the daily 约谈提醒 repeats reminders for actions still open;
 * - `schedule_runs.trigger` gains `event` (a run started by an event, not a slot), with a unique
 *   `event_key` so a redelivered event never starts a second run.
 */
export class AccountabilityEventsAndRunProgress1764900000001 implements MigrationInterface {
  name = 'AccountabilityEventsAndRunProgress1764900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scoring_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_key text NOT NULL,
        msg_id text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX scoring_outbox_unpublished_idx ON scoring_outbox(id) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE scheduler_accountability_actions (
        action_id text PRIMARY KEY,
        period text NOT NULL,
        unit text NOT NULL,
        unit_id text,
        unit_name text,
        action text NOT NULL,
        convener text NOT NULL,
        convener_post text,
        interviewee text NOT NULL,
        interviewee_role text,
        reason text NOT NULL,
        deadline date,
        status text NOT NULL CHECK (status IN ('open','held')),
        held_at date,
        raised_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX scheduler_accountability_open_idx ON scheduler_accountability_actions(raised_at) WHERE status = 'open'`);
    await q.query(`ALTER TABLE schedule_runs DROP CONSTRAINT IF EXISTS schedule_runs_trigger_check`);
    await q.query(`ALTER TABLE schedule_runs ADD CONSTRAINT schedule_runs_trigger_check CHECK (trigger IN ('slot','once','manual','event'))`);
    await q.query(`ALTER TABLE schedule_runs ADD COLUMN event_key text UNIQUE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE schedule_runs DROP COLUMN IF EXISTS event_key`);
    await q.query(`DELETE FROM schedule_runs WHERE trigger = 'event'`);
    await q.query(`ALTER TABLE schedule_runs DROP CONSTRAINT IF EXISTS schedule_runs_trigger_check`);
    await q.query(`ALTER TABLE schedule_runs ADD CONSTRAINT schedule_runs_trigger_check CHECK (trigger IN ('slot','once','manual'))`);
    await q.query(`DROP TABLE IF EXISTS scheduler_accountability_actions`);
    await q.query(`DROP TABLE IF EXISTS scoring_outbox`);
  }
}
