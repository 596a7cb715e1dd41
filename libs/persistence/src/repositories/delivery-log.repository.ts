import { DataSource } from 'typeorm';

export interface DeliveryRecord {
  dedupKey: string;
  channel: string;
  target: string;
  format: string;
  parts: number;
  status: 'sent' | 'partial' | 'failed';
  errcode: number | null;
  errmsg: string | null;
  attempts: number;
  /** Times the send waited for a rate limit (ours or the platform's); not counted in attempts. */
  rateLimitedWaits?: number;
  /** When the message was requested (NotifyRequest.requestedAt, ms). */
  requestedAt?: number | null;
}

/** Every outbound send and its outcome; also the last guard against sending a message twice. */
export class DeliveryLogRepository {
  constructor(private readonly db: DataSource) {}

  async find(dedupKey: string): Promise<{ status: string } | null> {
    const rows = await this.db.query(`SELECT status FROM delivery_log WHERE dedup_key = $1`, [dedupKey]);
    return rows[0] ?? null;
  }

  async record(r: DeliveryRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO delivery_log (dedup_key, channel, target, format, parts, status, errcode, errmsg, attempts, rate_limited_waits, requested_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
       ON CONFLICT (dedup_key) DO UPDATE SET status = EXCLUDED.status, errcode = EXCLUDED.errcode, errmsg = EXCLUDED.errmsg,
         attempts = EXCLUDED.attempts, parts = EXCLUDED.parts, channel = EXCLUDED.channel, target = EXCLUDED.target,
         rate_limited_waits = EXCLUDED.rate_limited_waits, updated_at = now()`,
      [
        r.dedupKey, r.channel, r.target, r.format, r.parts, r.status, r.errcode, r.errmsg, r.attempts,
        r.rateLimitedWaits ?? 0, r.requestedAt ? new Date(r.requestedAt) : null,
      ],
    );
  }
}
