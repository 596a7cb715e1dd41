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
 * Where fetched evidence bytes live, and how far fetching got: the notification service's
 * (ADR 0026, docs/table-ownership.md). PostgreSQL (below) by default; a file or object store can
 * take the bytes' place behind this interface without touching the fetcher or the RPC.
 */
export interface EvidenceFileStore {
  /** Starts tracking evidence lead-intake recorded since (pending, no attempt yet); answers how many. */
  enlist(limit: number): Promise<number>;
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

/** UPDATE ... RETURNING through TypeORM's query answers [rows, count]; a SELECT answers rows. */
const returned = (rows: unknown[]): unknown[] => (Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows);

/**
 * EvidenceFileStore in PostgreSQL, notification's tables only: `evidence_fetches` (state) and
 * `lead_evidence_files` (bytes). The references come from lead-intake's read-only view
 * `evidence_refs_v` (lead_evidence with its lead's number); this store never names their tables.
 */
export class PgEvidenceFileStore implements EvidenceFileStore {
  constructor(private readonly db: Db) {}

  async enlist(limit: number): Promise<number> {
    const rows = await this.db.query(
      `INSERT INTO evidence_fetches (evidence_id)
       SELECT r.id FROM evidence_refs_v r WHERE NOT EXISTS (SELECT 1 FROM evidence_fetches f WHERE f.evidence_id = r.id) ORDER BY r.id LIMIT $1
       ON CONFLICT (evidence_id) DO NOTHING RETURNING evidence_id`,
      [limit],
    );
    return returned(rows).length;
  }

  async pendingIds(limit: number): Promise<string[]> {
    const rows = await this.db.query(`SELECT evidence_id::text AS id FROM evidence_fetches WHERE status = 'pending' ORDER BY evidence_id LIMIT $1`, [limit]);
    return rows.map((r: { id: string }) => r.id);
  }

  async failExhausted(maxAttempts: number): Promise<number> {
    const rows = await this.db.query(
      `UPDATE evidence_fetches SET status = 'failed', error = COALESCE(error, 'gave up after ' || attempts || ' attempts')
       WHERE status = 'pending' AND attempts >= $1 RETURNING evidence_id`,
      [maxAttempts],
    );
    return returned(rows).length;
  }

  async startAttempt(id: string): Promise<EvidenceFetchTask | null> {
    const rows = await this.db.query(
      `WITH f AS (UPDATE evidence_fetches SET attempts = attempts + 1 WHERE evidence_id = $1 RETURNING evidence_id, status, attempts)
       SELECT f.evidence_id::text AS id, r.platform, r.msg_type AS "msgType", r.media_id AS "mediaId", r.bot_id AS "botId",
              r.file_name AS "fileName", f.status, f.attempts
       FROM f JOIN evidence_refs_v r ON r.id = f.evidence_id`,
      [id],
    );
    return (returned(rows)[0] as EvidenceFetchTask | undefined) ?? null;
  }

  async store(id: string, file: { bytes: Buffer; contentType: string; fileName?: string | null }): Promise<void> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.db.query(
      `WITH f AS (INSERT INTO lead_evidence_files (evidence_id, bytes) VALUES ($1, $2) ON CONFLICT (evidence_id) DO NOTHING RETURNING evidence_id)
       UPDATE evidence_fetches SET status = 'stored', error = NULL, content_type = $3, size_bytes = $4, sha256 = $5,
              file_name = COALESCE(file_name, $6), fetched_at = now()
       WHERE evidence_id = $1 AND (status <> 'stored' OR EXISTS (SELECT 1 FROM f))`,
      [id, file.bytes, file.contentType, file.bytes.length, sha256, file.fileName ?? null],
    );
  }

  async giveUp(id: string, status: Exclude<EvidenceFetchStatus, 'pending' | 'stored'>, error: string): Promise<void> {
    await this.db.query(`UPDATE evidence_fetches SET status = $2, error = left($3, 500) WHERE evidence_id = $1 AND status = 'pending'`, [id, status, error]);
  }

  async meta(leadCode: string, id: string): Promise<EvidenceFileMeta | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    // Not enlisted yet (recorded since the last sweep) reads as pending.
    const rows = await this.db.query(
      `SELECT r.id::text AS id, r.lead_code AS "leadCode", COALESCE(f.status, 'pending') AS status, f.content_type AS "contentType",
              COALESCE(r.file_name, f.file_name) AS "fileName", f.size_bytes::float8 AS "sizeBytes", f.sha256, f.error
       FROM evidence_refs_v r LEFT JOIN evidence_fetches f ON f.evidence_id = r.id WHERE r.lead_code = $1 AND r.id = $2`,
      [leadCode, id],
    );
    return rows[0] ?? null;
  }

  async slice(id: string, offset: number, length: number): Promise<Buffer> {
    const rows = await this.db.query(`SELECT substring(bytes FROM $2::int + 1 FOR $3::int) AS b FROM lead_evidence_files WHERE evidence_id = $1`, [id, offset, length]);
    return rows[0]?.b ?? Buffer.alloc(0);
  }
}
