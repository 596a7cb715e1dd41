import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The project ledger behind lead intake: leads may be registered with the company alone
 * (other fields nullable), gapless lead numbers (a counter row per city and year, bumped only
 * in a committing transaction), trigram near-match on the registry key (pg_trgm), stages with
 * their history, transfers with first-contact credit kept, an audit trail, evidence
 * attachments, chat conversation state, and an outbox of ledger events.
 */
export class ProjectLedger1764300000001 implements MigrationInterface {
  name = 'ProjectLedger1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const col of ['industry', 'amount_wan', 'currency', 'tier', 'tier_label', 'content']) {
      await q.query(`ALTER TABLE leads ALTER COLUMN ${col} DROP NOT NULL`);
    }
    await q.query(`ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_stage_check`);
    await q.query(`UPDATE leads SET stage = 'terminated' WHERE stage = 'dropped'`);
    await q.query(
      `ALTER TABLE leads ADD CONSTRAINT leads_stage_check CHECK (stage IN ('lead','negotiating','signed','started','producing','terminated'))`,
    );
    await q.query(`
      ALTER TABLE leads
        ADD COLUMN first_contact_unit_id bigint REFERENCES units(id),
        ADD COLUMN project_types text[] NOT NULL DEFAULT '{}',
        ADD COLUMN amount_wan_cny numeric(16,2),
        ADD COLUMN amount_min_wan numeric(16,2),
        ADD COLUMN amount_max_wan numeric(16,2),
        ADD COLUMN amount_approximate boolean NOT NULL DEFAULT false,
        ADD COLUMN amount_original text,
        ADD COLUMN signed_amount_wan numeric(16,2),
        ADD COLUMN capital_in_place_wan numeric(16,2),
        ADD COLUMN stage_dates jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN warnings text[] NOT NULL DEFAULT '{}',
        ADD COLUMN possible_duplicate_of bigint REFERENCES leads(id),
        ADD COLUMN completed_at timestamptz,
        ADD COLUMN lapsed_at timestamptz,
        ADD COLUMN version integer NOT NULL DEFAULT 0,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(
      `UPDATE leads SET first_contact_unit_id = owner_unit_id, amount_wan_cny = amount_wan, completed_at = registered_at WHERE first_contact_unit_id IS NULL`,
    );
    // A claim that lapsed (a bare name never completed in the profile's window) no longer holds the company.
    await q.query(`DROP INDEX leads_normalized_name_key`);
    await q.query(`DROP INDEX leads_credit_code_key`);
    await q.query(`CREATE UNIQUE INDEX leads_normalized_name_key ON leads(normalized_name) WHERE lapsed_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX leads_credit_code_key ON leads(credit_code) WHERE credit_code IS NOT NULL AND lapsed_at IS NULL`);
    await q.query(`ALTER TABLE leads ALTER COLUMN first_contact_unit_id SET NOT NULL`);
    // fastupdate off: a lead is inserted now and then and looked up on every report; GIN's pending
    // list (scanned linearly by every search until vacuum) made near-match lookups ten times slower.
    await q.query(`CREATE INDEX leads_normalized_name_trgm ON leads USING gin (normalized_name gin_trgm_ops) WITH (fastupdate = off)`);
    await q.query(`CREATE INDEX leads_company_name_trgm ON leads USING gin (company_name gin_trgm_ops) WITH (fastupdate = off)`);
    await q.query(`CREATE INDEX leads_contact_phone_idx ON leads(contact_phone) WHERE contact_phone IS NOT NULL`);
    await q.query(`CREATE INDEX leads_stage_idx ON leads(stage)`);

    // Gapless numbers: one row per city and year, locked by the registering transaction.
    await q.query(`
      CREATE TABLE lead_number_counters (
        city_code text NOT NULL,
        year integer NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (city_code, year)
      )`);
    await q.query(`
      INSERT INTO lead_number_counters (city_code, year, last_number)
      SELECT split_part(code, '-', 1), split_part(code, '-', 2)::int, max(split_part(code, '-', 3)::int)
      FROM leads WHERE code ~ '^[A-Z]+-[0-9]{4}-[0-9]+$' GROUP BY 1, 2`);

    await q.query(`ALTER TABLE lead_duplicate_reports ADD COLUMN kind text NOT NULL DEFAULT 'other-unit'`);

    await q.query(`
      CREATE TABLE lead_stage_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        stage_date timestamptz NOT NULL,
        amount_wan numeric(16,2),
        capital_delta_wan numeric(16,2),
        note text,
        by_member_id bigint REFERENCES members(id),
        by_admin boolean NOT NULL DEFAULT false,
        source_platform text,
        source_msg_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX lead_stage_changes_lead_idx ON lead_stage_changes(lead_id, id)`);
    await q.query(`
      CREATE TABLE lead_transfers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        from_unit_id bigint NOT NULL REFERENCES units(id),
        to_unit_id bigint NOT NULL REFERENCES units(id),
        reason text NOT NULL,
        by_member_id bigint REFERENCES members(id),
        by_admin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX lead_transfers_lead_idx ON lead_transfers(lead_id, id)`);
    await q.query(`
      CREATE TABLE lead_transfer_requests (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        unit_id bigint NOT NULL REFERENCES units(id),
        member_id bigint NOT NULL REFERENCES members(id),
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE lead_audit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        action text NOT NULL,
        actor text NOT NULL,
        before jsonb,
        after jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX lead_audit_lead_idx ON lead_audit(lead_id, id)`);
    await q.query(`
      CREATE TABLE lead_evidence (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        stage_change_id bigint REFERENCES lead_stage_changes(id),
        platform text NOT NULL,
        msg_type text NOT NULL,
        media_id text NOT NULL,
        file_name text,
        member_id bigint REFERENCES members(id),
        source_msg_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, source_msg_id)
      )`);
    // One pending conversation per member and chat (awaiting fields, a confirmation...).
    await q.query(`
      CREATE TABLE chat_conversations (
        member_id bigint NOT NULL REFERENCES members(id),
        chat_key text NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (member_id, chat_key)
      )`);
    // Outbox: ledger events are written with the change and published after commit.
    await q.query(`
      CREATE TABLE ledger_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_key text NOT NULL,
        msg_id text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX ledger_outbox_unpublished_idx ON ledger_outbox(id) WHERE published_at IS NULL`);
    await q.query(`ALTER TABLE members ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE members ADD COLUMN deactivated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['ledger_outbox', 'chat_conversations', 'lead_evidence', 'lead_audit', 'lead_transfer_requests', 'lead_transfers', 'lead_stage_changes', 'lead_number_counters']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`ALTER TABLE members DROP COLUMN IF EXISTS active, DROP COLUMN IF EXISTS deactivated_at`);
    await q.query(`ALTER TABLE lead_duplicate_reports DROP COLUMN IF EXISTS kind`);
  }
}
