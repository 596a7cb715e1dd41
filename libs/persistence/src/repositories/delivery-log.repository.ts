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

/** Filters of the delivery log as the admin API passes them (all optional). */
export interface DeliveryLogFilter {
  status?: string;
  channel?: string;
  /** ISO 8601; created_at >= from */
  from?: string;
  /** ISO 8601; created_at < to */
  to?: string;
  /** Substring of the recipient (target), case-insensitive. */
  q?: string;
}

/** A delivery as the admin API lists it: the record, with its id and times (requestedAt as text). */
export interface DeliveryLogRow extends Omit<DeliveryRecord, 'rateLimitedWaits' | 'requestedAt'> {
  id: string;
  rateLimitedWaits: number;
  requestedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

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

  /** The delivery log for administrators: newest first, filtered, one page and the total. */
  async page(f: DeliveryLogFilter, limit: number, offset: number): Promise<{ items: DeliveryLogRow[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.status) add('status = ?', f.status);
    if (f.channel) add('channel = ?', f.channel);
    if (f.from) add('created_at >= ?::timestamptz', f.from);
    if (f.to) add('created_at < ?::timestamptz', f.to);
    if (f.q) add(`target ILIKE ? ESCAPE '\\'`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM delivery_log ${cond}`, args);
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT id::text AS id, dedup_key, channel, target, format, parts, status, errcode, errmsg, attempts,
              rate_limited_waits, requested_at, created_at, updated_at
         FROM delivery_log ${cond}
        ORDER BY id DESC
        LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
      [...args, limit, offset],
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        dedupKey: r.dedup_key,
        channel: r.channel,
        target: r.target,
        format: r.format,
        parts: r.parts,
        status: r.status,
        errcode: r.errcode,
        errmsg: r.errmsg,
        attempts: r.attempts,
        rateLimitedWaits: r.rate_limited_waits,
        requestedAt: iso(r.requested_at),
        createdAt: iso(r.created_at)!,
        updatedAt: iso(r.updated_at)!,
      })),
    };
  }
}
