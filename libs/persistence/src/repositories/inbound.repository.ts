import { EntityManager } from 'typeorm';

export type InboundOutcome =
  | 'registered'
  | 'already-registered'
  | 'claimed'
  | 'completed'
  | 'awaiting-confirmation'
  | 'possible-duplicate'
  | 'cancelled'
  | 'stage-changed'
  | 'transferred'
  | 'corrected'
  | 'answered'
  | 'refused'
  | 'evidence'
  | 'invalid'
  | 'help'
  | 'unknown-command'
  | 'unknown-sender'
  | 'ignored'
  | 'schedule-command';

export interface InboundRecord {
  platform: string;
  msgId: string;
  senderId: string;
  senderMemberId: string | null;
  chatType: string;
  chatId: string | null;
  msgType: string;
  text: string;
  outcome: InboundOutcome;
  leadId: string | null;
  replyFormat: 'text' | 'markdown' | null;
  replyText: string | null;
  platformCreatedAt: Date;
  receivedAt: Date;
}

export interface StoredInbound {
  id: string;
  outcome: InboundOutcome;
  leadId: string | null;
  replyFormat: 'text' | 'markdown' | null;
  replyText: string | null;
}

/**
 * The ledger of accepted chat messages: makes processing idempotent (one row per
 * platform message id) and keeps messages from unknown senders for an administrator.
 */
export class InboundRepository {
  constructor(private readonly db: EntityManager) {}

  /** The earlier result for a message id, if it was already processed. */
  async findProcessed(platform: string, msgId: string): Promise<StoredInbound | null> {
    const rows = await this.db.query(
      `SELECT id::text AS "id", outcome, lead_id::text AS "leadId", reply_format AS "replyFormat", reply_text AS "replyText"
       FROM inbound_messages WHERE platform = $1 AND msg_id = $2`,
      [platform, msgId],
    );
    return rows[0] ?? null;
  }

  /**
   * Claims a message id for processing. A concurrent delivery of the same message waits
   * on the unique index until the first commits, then gets null and reads the result.
   * Returns the row's serial (shown in the answer's receipt line) when this call claimed it.
   */
  async claim(r: Pick<InboundRecord, 'platform' | 'msgId' | 'senderId' | 'chatType' | 'chatId' | 'msgType' | 'text' | 'platformCreatedAt' | 'receivedAt'>): Promise<string | null> {
    const rows = await this.db.query(
      `INSERT INTO inbound_messages (platform, msg_id, sender_id, chat_type, chat_id, msg_type, text, outcome, platform_created_at, received_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,'received',$8,$9)
       ON CONFLICT (platform, msg_id) DO NOTHING RETURNING id::text AS id`,
      [r.platform, r.msgId, r.senderId, r.chatType, r.chatId, r.msgType, r.text, r.platformCreatedAt, r.receivedAt],
    );
    return rows.length === 1 ? rows[0].id : null;
  }

  /** Stores what processing decided, including the reply, so a redelivery can resend the same answer. */
  async complete(platform: string, msgId: string, r: Pick<InboundRecord, 'senderMemberId' | 'outcome' | 'leadId' | 'replyFormat' | 'replyText'>) {
    await this.db.query(
      `UPDATE inbound_messages SET sender_member_id = $3, outcome = $4, lead_id = $5, reply_format = $6, reply_text = $7, processed_at = now()
       WHERE platform = $1 AND msg_id = $2`,
      [platform, msgId, r.senderMemberId, r.outcome, r.leadId, r.replyFormat, r.replyText],
    );
  }

  async listUnknownSenders(limit: number, offset: number) {
    const items = await this.db.query(
      `SELECT id::text AS "id", platform, sender_id AS "senderId", text, outcome, received_at AS "receivedAt"
       FROM inbound_messages WHERE outcome = 'unknown-sender' ORDER BY processed_at DESC LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM inbound_messages WHERE outcome = 'unknown-sender'`);
    return { items, total };
  }
}
