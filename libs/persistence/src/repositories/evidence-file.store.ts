import { createHash } from 'crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** What is fetched for one piece of evidence: its platform reference and fetch state. */
export interface EvidenceFetchTask {
  id: string;
  platform: string;
  msgType: string;
  mediaId: string;
  botId: string | null;
  fileName: string | null;
  status: EvidenceFetchStatus;
  attempts: number;
}

export type EvidenceFetchStatus = 'pending' | 'stored' | 'failed' | 'too-large' | 'unsupported';

/** A stored evidence file's description (no bytes). */
export interface EvidenceFileMeta {
  id: string;
  leadCode: string;
  status: EvidenceFetchStatus;
  contentType: string | null;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  error: string | null;
}

/**
 * Where fetched evidence bytes live. PostgreSQL (bytea, below) by default; a file or object
 * store can take its place behind this interface without touching the fetcher or the API.
 */
export interface EvidenceFileStore {
  /** Evidence still to be fetched, oldest first. */
  pendingIds(limit: number): Promise<string[]>;
  /** Marks failed what is still pending after `maxAttempts` attempts (a worker died before recording the last failure). */
  failExhausted(maxAttempts: number): Promise<number>;
  /** The task behind an id, counting one more attempt; null if unknown. */
  startAttempt(id: string): Promise<EvidenceFetchTask | null>;
  /** Keeps the bytes and marks the evidence stored (idempotent: a second store keeps the first). */
  store(id: string, file: { bytes: Buffer; contentType: string; fileName?: string | null }): Promise<void>;
  /** Ends the fetching for good: failed after its retries, too large, or a platform without a media API. */
  giveUp(id: string, status: Exclude<EvidenceFetchStatus, 'pending' | 'stored'>, error: string): Promise<void>;
  /** The evidence of a lead (by lead number and evidence id), or null. */
  meta(leadCode: string, id: string): Promise<EvidenceFileMeta | null>;
  /** `length` bytes from `offset` of a stored file. */
  slice(id: string, offset: number, length: number): Promise<Buffer>;
}

type Db = DataSource | EntityManager;

/** EvidenceFileStore in PostgreSQL: `lead_evidence` (state) and `lead_evidence_files` (bytes). */
export class PgEvidenceFileStore implements EvidenceFileStore {
  constructor(private readonly db: Db) {}

  async pendingIds(limit: number): Promise<string[]> {
    const rows = await this.db.query(`SELECT id::text AS id FROM lead_evidence WHERE fetch_status = 'pending' ORDER BY id LIMIT $1`, [limit]);
    return rows.map((r: { id: string }) => r.id);
  }

  async failExhausted(maxAttempts: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE lead_evidence SET fetch_status = 'failed', fetch_error = COALESCE(fetch_error, 'gave up after ' || fetch_attempts || ' attempts')
       WHERE fetch_status = 'pending' AND fetch_attempts >= $1 RETURNING id`,
      [maxAttempts],
    );
    const list = Array.isArray(rows[0]) ? rows[0] : rows;
    return list.length;
  }

  async startAttempt(id: string): Promise<EvidenceFetchTask | null> {
    const rows = await this.db.query(
      `UPDATE lead_evidence SET fetch_attempts = fetch_attempts + 1 WHERE id = $1
       RETURNING id::text AS id, platform, msg_type AS "msgType", media_id AS "mediaId", bot_id AS "botId", file_name AS "fileName",
                 fetch_status AS status, fetch_attempts AS attempts`,
      [id],
    );
    // UPDATE ... RETURNING through TypeORM's query answers [rows, count].
    const list = Array.isArray(rows[0]) ? rows[0] : rows;
    return list[0] ?? null;
  }

  async store(id: string, file: { bytes: Buffer; contentType: string; fileName?: string | null }): Promise<void> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.db.query(
      `WITH f AS (INSERT INTO lead_evidence_files (evidence_id, bytes) VALUES ($1, $2) ON CONFLICT (evidence_id) DO NOTHING RETURNING evidence_id)
       UPDATE lead_evidence SET fetch_status = 'stored', fetch_error = NULL, content_type = $3, size_bytes = $4, sha256 = $5,
              file_name = COALESCE(file_name, $6), fetched_at = now()
       WHERE id = $1 AND (fetch_status <> 'stored' OR EXISTS (SELECT 1 FROM f))`,
      [id, file.bytes, file.contentType, file.bytes.length, sha256, file.fileName ?? null],
    );
  }

  async giveUp(id: string, status: Exclude<EvidenceFetchStatus, 'pending' | 'stored'>, error: string): Promise<void> {
    await this.db.query(`UPDATE lead_evidence SET fetch_status = $2, fetch_error = left($3, 500) WHERE id = $1 AND fetch_status = 'pending'`, [id, status, error]);
  }

  async meta(leadCode: string, id: string): Promise<EvidenceFileMeta | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows = await this.db.query(
      `SELECT e.id::text AS id, l.code AS "leadCode", e.fetch_status AS status, e.content_type AS "contentType", e.file_name AS "fileName",
              e.size_bytes::float8 AS "sizeBytes", e.sha256, e.fetch_error AS error
       FROM lead_evidence e JOIN leads l ON l.id = e.lead_id WHERE l.code = $1 AND e.id = $2`,
      [leadCode, id],
    );
    return rows[0] ?? null;
  }

  async slice(id: string, offset: number, length: number): Promise<Buffer> {
    const rows = await this.db.query(`SELECT substring(bytes FROM $2::int + 1 FOR $3::int) AS b FROM lead_evidence_files WHERE evidence_id = $1`, [id, offset, length]);
    return rows[0]?.b ?? Buffer.alloc(0);
  }
}
