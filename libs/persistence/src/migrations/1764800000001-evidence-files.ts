import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence bytes: each image or file attached to a stage change is fetched from its platform
 * (WeCom media/get, DingTalk messageFiles/download) by a retried job in the notification service
 * and stored here. `lead_evidence` keeps the reference and the fetch state; the bytes live in
 * their own table (never read by the ledger's lists) with STORAGE EXTERNAL, so reading a slice
 * (substring) touches only the TOAST chunks of that slice and nothing is compressed twice.
 */
export class EvidenceFiles1764800000001 implements MigrationInterface {
  name = 'EvidenceFiles1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE lead_evidence
        ADD COLUMN bot_id text,
        ADD COLUMN fetch_status text NOT NULL DEFAULT 'pending' CHECK (fetch_status IN ('pending','stored','failed','too-large','unsupported')),
        ADD COLUMN fetch_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN fetch_error text,
        ADD COLUMN content_type text,
        ADD COLUMN size_bytes bigint,
        ADD COLUMN sha256 text,
        ADD COLUMN fetched_at timestamptz`);
    await q.query(`CREATE INDEX lead_evidence_pending_idx ON lead_evidence(id) WHERE fetch_status = 'pending'`);
    await q.query(`
      CREATE TABLE lead_evidence_files (
        evidence_id bigint PRIMARY KEY REFERENCES lead_evidence(id),
        bytes bytea NOT NULL
      )`);
    await q.query(`ALTER TABLE lead_evidence_files ALTER COLUMN bytes SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS lead_evidence_files`);
    await q.query(`DROP INDEX IF EXISTS lead_evidence_pending_idx`);
    await q.query(`
      ALTER TABLE lead_evidence DROP COLUMN IF EXISTS bot_id, DROP COLUMN IF EXISTS fetch_status, DROP COLUMN IF EXISTS fetch_attempts,
        DROP COLUMN IF EXISTS fetch_error, DROP COLUMN IF EXISTS content_type, DROP COLUMN IF EXISTS size_bytes,
        DROP COLUMN IF EXISTS sha256, DROP COLUMN IF EXISTS fetched_at`);
  }
}
