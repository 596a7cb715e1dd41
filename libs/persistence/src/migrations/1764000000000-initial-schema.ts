import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Directory (units, members), the first-contact lead registry, the inbound message
 * ledger (idempotency and the unknown-sender inbox) and the delivery log.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        profile_key text UNIQUE,
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('county','park','coordinator','liaison','department','service','soe')),
        ranked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE members (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        unit_id bigint NOT NULL REFERENCES units(id),
        role text NOT NULL CHECK (role IN ('official','head','deputy','leader','admin')),
        wecom_user_id text UNIQUE,
        dingtalk_staff_id text UNIQUE,
        mobile text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX members_unit_id_idx ON members(unit_id)`);
    await q.query(`CREATE SEQUENCE lead_code_seq`);
    await q.query(`
      CREATE TABLE leads (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        company_name text NOT NULL,
        normalized_name text NOT NULL,
        credit_code text,
        industry text NOT NULL,
        amount_wan numeric(16,2) NOT NULL CHECK (amount_wan > 0),
        currency text NOT NULL CHECK (currency IN ('CNY','USD')),
        tier text NOT NULL,
        tier_label text NOT NULL,
        stage text NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead','negotiating','signed','started','producing','dropped')),
        owner_unit_id bigint NOT NULL REFERENCES units(id),
        reporter_member_id bigint NOT NULL REFERENCES members(id),
        contact_name text,
        contact_phone text,
        content text NOT NULL,
        intended_area text,
        origin_region text,
        source_platform text NOT NULL,
        source_msg_id text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    // First contact (首谈首报): the database, not application code, decides who was first.
    await q.query(`CREATE UNIQUE INDEX leads_normalized_name_key ON leads(normalized_name)`);
    await q.query(`CREATE UNIQUE INDEX leads_credit_code_key ON leads(credit_code) WHERE credit_code IS NOT NULL`);
    await q.query(`CREATE INDEX leads_owner_unit_idx ON leads(owner_unit_id, registered_at DESC)`);
    await q.query(`
      CREATE TABLE lead_duplicate_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id bigint NOT NULL REFERENCES leads(id),
        unit_id bigint NOT NULL REFERENCES units(id),
        member_id bigint NOT NULL REFERENCES members(id),
        company_name text NOT NULL,
        source_platform text NOT NULL,
        source_msg_id text NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_platform, source_msg_id)
      )`);
    await q.query(`
      CREATE TABLE inbound_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL,
        msg_id text NOT NULL,
        sender_id text NOT NULL,
        sender_member_id bigint REFERENCES members(id),
        chat_type text NOT NULL,
        chat_id text,
        msg_type text NOT NULL,
        text text NOT NULL,
        outcome text NOT NULL,
        lead_id bigint REFERENCES leads(id),
        reply_format text,
        reply_text text,
        platform_created_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, msg_id)
      )`);
    await q.query(`CREATE INDEX inbound_unknown_sender_idx ON inbound_messages(processed_at DESC) WHERE outcome = 'unknown-sender'`);
    await q.query(`
      CREATE TABLE delivery_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedup_key text NOT NULL UNIQUE,
        channel text NOT NULL,
        target text NOT NULL,
        format text NOT NULL,
        parts integer NOT NULL,
        status text NOT NULL CHECK (status IN ('sent','partial','failed')),
        errcode integer,
        errmsg text,
        attempts integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['delivery_log', 'inbound_messages', 'lead_duplicate_reports', 'leads', 'members', 'units']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS lead_code_seq`);
  }
}
