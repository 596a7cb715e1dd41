import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence under the table-ownership rule (ADR 0026, amending ADR 0023). lead-intake owns the
 * reference (`lead_evidence`: platform, media id, receiving bot); notification, which fetches the
 * bytes, owns the fetch (`evidence_fetches`: status, attempts, error, content type, size, sha256)
 * and the bytes (`lead_evidence_files`). The fetch columns move out of `lead_evidence`, with
 * their values. Each side reads the other's through a read-only view:
 * - `evidence_refs_v` (lead-intake): the references with their lead's number, from which
 *   notification picks up new evidence and checks that a file belongs to the lead asked for;
 * - `evidence_fetch_states_v` (notification): the fetch state without bytes, for the lead detail.
 */
export class EvidenceFetchOwnership1765100000001 implements MigrationInterface {
  name = 'EvidenceFetchOwnership1765100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_fetches (
        evidence_id bigint PRIMARY KEY REFERENCES lead_evidence(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','stored','failed','too-large','unsupported')),
        attempts integer NOT NULL DEFAULT 0,
        error text,
        content_type text,
        size_bytes bigint,
        sha256 text,
        file_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        fetched_at timestamptz
      )`);
    await q.query(`CREATE INDEX evidence_fetches_pending_idx ON evidence_fetches(evidence_id) WHERE status = 'pending'`);
    await q.query(`
      INSERT INTO evidence_fetches (evidence_id, status, attempts, error, content_type, size_bytes, sha256, created_at, fetched_at)
      SELECT id, fetch_status, fetch_attempts, fetch_error, content_type, size_bytes, sha256, created_at, fetched_at FROM lead_evidence`);
    await q.query(`ALTER TABLE lead_evidence_files DROP CONSTRAINT lead_evidence_files_evidence_id_fkey`);
    await q.query(`ALTER TABLE lead_evidence_files ADD CONSTRAINT lead_evidence_files_evidence_id_fkey FOREIGN KEY (evidence_id) REFERENCES evidence_fetches(evidence_id)`);
    await q.query(`DROP INDEX lead_evidence_pending_idx`);
    await q.query(`
      ALTER TABLE lead_evidence DROP COLUMN fetch_status, DROP COLUMN fetch_attempts, DROP COLUMN fetch_error,
        DROP COLUMN content_type, DROP COLUMN size_bytes, DROP COLUMN sha256, DROP COLUMN fetched_at`);
    const views: [name: string, owner: string, sql: string][] = [
      [
        'evidence_refs_v', 'lead-intake',
        `SELECT e.id, l.code AS lead_code, e.platform, e.msg_type, e.media_id, e.bot_id, e.file_name, e.created_at
         FROM lead_evidence e JOIN leads l ON l.id = e.lead_id`,
      ],
      ['evidence_fetch_states_v', 'notification', `SELECT evidence_id, status, content_type, size_bytes, sha256, file_name, fetched_at FROM evidence_fetches`],
    ];
    for (const [name, owner, sql] of views) {
      await q.query(`CREATE VIEW ${name} AS ${sql}`);
      await q.query(`COMMENT ON VIEW ${name} IS 'owned by ${owner}; read-only for other services (ADR 0026)'`);
      await q.query(
        `CREATE TRIGGER ${name}_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON ${name} FOR EACH ROW EXECUTE FUNCTION zs_refuse_view_write('${owner}')`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS evidence_fetch_states_v`);
    await q.query(`DROP VIEW IF EXISTS evidence_refs_v`);
    await q.query(`
      ALTER TABLE lead_evidence
        ADD COLUMN fetch_status text NOT NULL DEFAULT 'pending' CHECK (fetch_status IN ('pending','stored','failed','too-large','unsupported')),
        ADD COLUMN fetch_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN fetch_error text,
        ADD COLUMN content_type text,
        ADD COLUMN size_bytes bigint,
        ADD COLUMN sha256 text,
        ADD COLUMN fetched_at timestamptz`);
    await q.query(`
      UPDATE lead_evidence e SET fetch_status = f.status, fetch_attempts = f.attempts, fetch_error = f.error, content_type = f.content_type,
             size_bytes = f.size_bytes, sha256 = f.sha256, fetched_at = f.fetched_at, file_name = COALESCE(e.file_name, f.file_name)
      FROM evidence_fetches f WHERE f.evidence_id = e.id`);
    await q.query(`CREATE INDEX lead_evidence_pending_idx ON lead_evidence(id) WHERE fetch_status = 'pending'`);
    await q.query(`ALTER TABLE lead_evidence_files DROP CONSTRAINT lead_evidence_files_evidence_id_fkey`);
    await q.query(`ALTER TABLE lead_evidence_files ADD CONSTRAINT lead_evidence_files_evidence_id_fkey FOREIGN KEY (evidence_id) REFERENCES lead_evidence(id)`);
    await q.query(`DROP TABLE evidence_fetches`);
  }
}
