import { EntityManager } from 'typeorm';

export interface OutboxRow {
  id: string;
  subjectKey: string;
  msgId: string;
  payload: unknown;
}

/**
 * Ledger events and notices written in the transaction of the change that caused them, and
 * published after commit with their deterministic message ids (JetStream drops repeats). A
 * crash between commit and publish leaves the row unpublished; the relay publishes it later.
 */
export abstract class TableOutbox {
  /** `table`: each service keeps its own outbox (lead-intake `ledger_outbox`, scoring `scoring_outbox`). */
  protected constructor(
    private readonly db: EntityManager,
    private readonly table: 'ledger_outbox' | 'scoring_outbox',
  ) {}

  /** Adds an entry; an entry with the same msg id already written is kept as it was. Returns its id. */
  async add(subjectKey: string, msgId: string, payload: unknown): Promise<string | null> {
    const rows = await this.db.query(
      `INSERT INTO ${this.table} (subject_key, msg_id, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT (msg_id) DO NOTHING RETURNING id::text AS id`,
      [subjectKey, msgId, JSON.stringify(payload)],
    );
    return rows[0]?.id ?? null;
  }

  async byIds(ids: string[]): Promise<OutboxRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(
      `SELECT id::text AS id, subject_key AS "subjectKey", msg_id AS "msgId", payload FROM ${this.table} WHERE id = ANY($1::bigint[]) AND published_at IS NULL ORDER BY id`,
      [ids],
    );
  }

  async unpublished(olderThanMs: number, limit: number): Promise<OutboxRow[]> {
    return this.db.query(
      `SELECT id::text AS id, subject_key AS "subjectKey", msg_id AS "msgId", payload FROM ${this.table}
       WHERE published_at IS NULL AND created_at < now() - make_interval(secs => $1::float8 / 1000) ORDER BY id LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  async markPublished(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }
}

/** lead-intake's outbox of ledger events (`ledger_outbox`). */
export class OutboxRepository extends TableOutbox {
  constructor(db: EntityManager) {
    super(db, 'ledger_outbox');
  }
}
