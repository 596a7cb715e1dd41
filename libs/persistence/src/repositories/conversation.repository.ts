import { EntityManager } from 'typeorm';

export interface Conversation<P = unknown> {
  kind: string;
  payload: P;
  startedAt: Date;
  expiresAt: Date;
}

/**
 * What the bot is waiting for from one member in one chat (the rest of a lead, a 确认...).
 * Kept in PostgreSQL and written in the transaction of the decision that opens or closes it.
 */
export class ConversationRepository {
  constructor(private readonly db: EntityManager) {}

  /** The live conversation, locked for this transaction; an expired one is removed and not returned. */
  async take<P>(memberId: string, chatKey: string): Promise<Conversation<P> | null> {
    const rows = await this.db.query(
      `SELECT kind, payload, started_at AS "startedAt", expires_at AS "expiresAt", expires_at <= now() AS expired
       FROM chat_conversations WHERE member_id = $1 AND chat_key = $2 FOR UPDATE`,
      [memberId, chatKey],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.expired) {
      await this.end(memberId, chatKey);
      return null;
    }
    return { kind: row.kind, payload: row.payload, startedAt: row.startedAt, expiresAt: row.expiresAt };
  }

  async open(memberId: string, chatKey: string, kind: string, payload: unknown, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO chat_conversations (member_id, chat_key, kind, payload, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, now() + make_interval(secs => $5::int))
       ON CONFLICT (member_id, chat_key) DO UPDATE SET kind = EXCLUDED.kind, payload = EXCLUDED.payload,
         started_at = now(), expires_at = EXCLUDED.expires_at`,
      [memberId, chatKey, kind, JSON.stringify(payload), ttlSeconds],
    );
  }

  async end(memberId: string, chatKey: string): Promise<boolean> {
    const rows = await this.db.query(`DELETE FROM chat_conversations WHERE member_id = $1 AND chat_key = $2 RETURNING kind`, [memberId, chatKey]);
    return (rows[0] && Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
  }
}
