import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scoring's own tables:
 * - `scoring_leads`: its read model of the project ledger, fed by the lead events (the highest
 *   `version` wins); stage columns hold when a stage *or a later one* was first reached, so the
 *   ranking's aggregates are single range conditions.
 * - `scoring_targets` (annual, per unit and indicator), `scoring_actuals` (cumulative per period),
 *   `scoring_exemptions` (a unit excused from a period, with the reason).
 * - `ranking_versions`: published rankings, immutable; a correction makes the next version with
 *   what changed. `scoring_audit`: who changed figures and when.
 * - `accountability_actions`: the ladder's actions, one per rule, period and unit, and when the
 *   interview took place.
 * And, additively, leader posts on members and flags on units.
 */
export class Scoring1764400000001 implements MigrationInterface {
  name = 'Scoring1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scoring_leads (
        lead_id text PRIMARY KEY,
        code text,
        owner_unit_id text NOT NULL,
        first_contact_unit_id text NOT NULL,
        tier text NOT NULL,
        stage text NOT NULL,
        planned_amount_wan numeric,
        signed_amount_wan numeric,
        capital_in_place_wan numeric,
        signed_at timestamptz,
        started_at timestamptz,
        producing_at timestamptz,
        terminated_at timestamptz,
        registered_at timestamptz NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX scoring_leads_owner_idx ON scoring_leads(owner_unit_id)`);
    await q.query(`CREATE INDEX scoring_leads_signed_idx ON scoring_leads(signed_at) WHERE signed_at IS NOT NULL`);
    await q.query(`CREATE INDEX scoring_leads_started_idx ON scoring_leads(started_at) WHERE started_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE scoring_targets (
        year integer NOT NULL,
        unit_id bigint NOT NULL REFERENCES units(id),
        indicator text NOT NULL,
        value numeric NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (year, unit_id, indicator)
      )`);
    await q.query(`
      CREATE TABLE scoring_actuals (
        period text NOT NULL,
        unit_id bigint NOT NULL REFERENCES units(id),
        indicator text NOT NULL,
        value numeric NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, unit_id, indicator)
      )`);
    await q.query(`
      CREATE TABLE scoring_exemptions (
        period text NOT NULL,
        unit_id bigint NOT NULL REFERENCES units(id),
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (period, unit_id)
      )`);
    await q.query(`
      CREATE TABLE ranking_versions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        period text NOT NULL,
        version integer NOT NULL,
        groups jsonb NOT NULL,
        changes jsonb NOT NULL DEFAULT '[]',
        published_by text,
        published_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (period, version)
      )`);
    await q.query(`
      CREATE TABLE scoring_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        action text NOT NULL,
        subject text NOT NULL,
        detail jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE accountability_actions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_key text NOT NULL,
        period text NOT NULL,
        year integer NOT NULL,
        unit_id bigint NOT NULL REFERENCES units(id),
        action_type text NOT NULL,
        convener text NOT NULL,
        convener_post text,
        interviewee text NOT NULL,
        interviewee_role text NOT NULL,
        reason text NOT NULL,
        deadline date,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','held')),
        held_at date,
        note text,
        ranking_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (rule_key, period, unit_id)
      )`);
    await q.query(`CREATE INDEX accountability_actions_year_idx ON accountability_actions(year)`);
    await q.query(`ALTER TABLE members ADD COLUMN IF NOT EXISTS leader_post text`);
    await q.query(`ALTER TABLE members ADD COLUMN IF NOT EXISTS portfolios text[]`);
    await q.query(`ALTER TABLE units ADD COLUMN IF NOT EXISTS flags text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE units DROP COLUMN IF EXISTS flags`);
    await q.query(`ALTER TABLE members DROP COLUMN IF EXISTS portfolios`);
    await q.query(`ALTER TABLE members DROP COLUMN IF EXISTS leader_post`);
    for (const t of ['accountability_actions', 'scoring_audit', 'ranking_versions', 'scoring_exemptions', 'scoring_actuals', 'scoring_targets', 'scoring_leads']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
