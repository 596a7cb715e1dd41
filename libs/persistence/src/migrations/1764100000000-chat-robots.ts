import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ways out, production grade:
 * - `chat_robots`: group robots (WeCom group robot webhooks, DingTalk custom robots) with their
 *   credentials and whether they still work; a permanent platform error marks one broken until an
 *   administrator resets it.
 * - `channel_health`: the same flag for channels that are not robots (the WeCom app, a DingTalk app).
 * - `delivery_log`: how often a send waited for a rate limit, and when it was requested.
 */
export class ChatRobots1764100000000 implements MigrationInterface {
  name = 'ChatRobots1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_robots (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform text NOT NULL CHECK (platform IN ('wecom','dingtalk')),
        name text NOT NULL,
        unit_id bigint REFERENCES units(id),
        webhook_key text NOT NULL,
        sign_secret text,
        status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok','broken')),
        broken_errcode integer,
        broken_reason text,
        broken_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, webhook_key)
      )`);
    await q.query(`CREATE INDEX chat_robots_unit_id_idx ON chat_robots(unit_id)`);
    await q.query(`
      CREATE TABLE channel_health (
        channel_key text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('ok','broken')),
        errcode integer,
        reason text,
        broken_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE delivery_log ADD COLUMN rate_limited_waits integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE delivery_log ADD COLUMN requested_at timestamptz`);
    await q.query(`ALTER TABLE delivery_log ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_log DROP COLUMN IF EXISTS updated_at`);
    await q.query(`ALTER TABLE delivery_log DROP COLUMN IF EXISTS requested_at`);
    await q.query(`ALTER TABLE delivery_log DROP COLUMN IF EXISTS rate_limited_waits`);
    await q.query(`DROP TABLE IF EXISTS channel_health`);
    await q.query(`DROP TABLE IF EXISTS chat_robots`);
  }
}
