import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AuditEntry {
  actorId: string | null;
  actor: string;
  action: string;
  target: string | null;
  status: number;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: string;
  actorId: string | null;
  action: string;
  target: string | null;
  status: number;
  before: unknown;
  after: unknown;
}

/** Fields never written to the audit log, wherever they appear in a body. */
const SECRET_FIELDS = new Set(['password', 'newPassword', 'token', 'secret', 'signSecret', 'webhookKey', 'key']);

/** A copy of a body fit for the audit log: secrets replaced, nesting and size bounded. */
export function auditable(value: unknown, depth = 0): unknown {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return { bytes: value.length };
  if (value === null || typeof value !== 'object') return typeof value === 'string' && value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => auditable(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '***' : auditable(v, depth + 1)]));
}

/** The audit log of administrative actions (admin_audit_log); lead changes are also in the ledger's own lead_audit. */
@Injectable()
export class AuditLogStore {
  constructor(private readonly ds: DataSource) {}

  async write(e: AuditEntry): Promise<void> {
    await this.ds.query(`INSERT INTO admin_audit_log (actor_id, actor, action, target, status, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      e.actorId,
      e.actor,
      e.action,
      e.target,
      e.status,
      e.before === undefined ? null : JSON.stringify(auditable(e.before)),
      e.after === undefined ? null : JSON.stringify(auditable(e.after)),
    ]);
  }

  async list(q: { limit: number; offset: number; actor?: string; action?: string; from?: Date; to?: Date }) {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.actor) add(`actor ILIKE '%' || ? || '%'`, q.actor);
    if (q.action) add(`action ILIKE '%' || ? || '%'`, q.action);
    if (q.from) add(`at >= ?`, q.from);
    if (q.to) add(`at < ?`, q.to);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: { id: string; at: Date; actor: string; actor_id: string | null; action: string; target: string | null; status: number; before: unknown; after: unknown }[] =
      await this.ds.query(
        `SELECT id::text AS id, at, actor, actor_id::text AS actor_id, action, target, status, before, after FROM admin_audit_log ${w}
         ORDER BY at DESC, id DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
        [...args, q.limit, q.offset],
      );
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM admin_audit_log ${w}`, args);
    const items: AuditEntryView[] = rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, actorId: r.actor_id, action: r.action, target: r.target, status: r.status, before: r.before, after: r.after }));
    return { items, total: n as number, limit: q.limit, offset: q.offset };
  }
}
