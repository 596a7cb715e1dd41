import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts of the admin console and API (ADR 0021), owned by bot-gateway: people with a role
 * (city-admin, unit-admin, leader), their sign-in sessions, personal API tokens and the audit log
 * of every administrative action. Session ids and tokens are stored only as SHA-256 digests.
 */
export class AdminAccounts1764700000001 implements MigrationInterface {
  name = 'AdminAccounts1764700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_accounts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('city-admin','unit-admin','leader')),
        unit_id bigint REFERENCES units(id),
        active boolean NOT NULL DEFAULT true,
        -- WeCom userid for the web sign-in (企业微信登录) next to the password; null: password only.
        wecom_user_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'unit-admin') = (unit_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE admin_sessions (
        id_sha256 text PRIMARY KEY,
        account_id bigint NOT NULL REFERENCES admin_accounts(id),
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX admin_sessions_account_idx ON admin_sessions(account_id)`);
    await q.query(`
      CREATE TABLE admin_api_tokens (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id bigint NOT NULL REFERENCES admin_accounts(id),
        name text NOT NULL,
        token_sha256 text NOT NULL UNIQUE,
        hint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX admin_api_tokens_account_idx ON admin_api_tokens(account_id)`);
    await q.query(`
      CREATE TABLE admin_audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id bigint REFERENCES admin_accounts(id),
        actor text NOT NULL,
        action text NOT NULL,
        target text,
        status int NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX admin_audit_log_at_idx ON admin_audit_log(at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_audit_log`);
    await q.query(`DROP TABLE admin_api_tokens`);
    await q.query(`DROP TABLE admin_sessions`);
    await q.query(`DROP TABLE admin_accounts`);
  }
}
