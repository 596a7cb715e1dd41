import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Names, NotifyRequest, NotifyTarget } from '@zs/contracts';
import { digestText, inQuietHours, localDate, QuietHours } from '@zs/domain';
import { JetStreamBus } from '@zs/platform';

/**
 * Delivers queued pushes as one digest per person per day. The digest row (member, local day) is
 * the claim: whoever inserts it sends that day's digest, with a deterministic dedup key, so two
 * replicas or a retry after a crash send it once. Items that arrive after a person's digest went
 * out wait for the next day's; nothing is sent during quiet hours.
 */
export class DigestSender {
  constructor(
    private readonly db: DataSource,
    private readonly bus: JetStreamBus,
    private readonly names: Names,
    private readonly timezone: string,
    private readonly quiet: QuietHours | null,
    private readonly logger: Logger,
    private readonly dingtalkRobotCode?: string,
  ) {}

  targetFor(m: { wecomUserId: string | null; dingtalkStaffId: string | null }): NotifyTarget | null {
    if (m.wecomUserId) return { channel: 'wecom-app', userIds: [m.wecomUserId] };
    if (m.dingtalkStaffId && this.dingtalkRobotCode) return { channel: 'dingtalk-oto', robotCode: this.dingtalkRobotCode, userIds: [m.dingtalkStaffId] };
    return null;
  }

  /** Sends what is due now for these members (or, without a list, for everyone who has pending pushes). */
  async flush(memberIds?: string[], now = new Date()): Promise<{ digests: number }> {
    if (inQuietHours(now, this.timezone, this.quiet)) return { digests: 0 };
    const day = localDate(now, this.timezone);
    const candidates: string[] = memberIds
      ? memberIds
      : (
          await this.db.query(
            `SELECT DISTINCT p.member_id::text AS id FROM schedule_pushes p
             WHERE p.status = 'pending' AND p.deliver_after <= $1 AND p.member_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM schedule_digests d WHERE d.member_id = p.member_id AND d.local_day = $2)
             LIMIT 20000`,
            [now, day],
          )
        ).map((r: { id: string }) => r.id);
    let digests = 0;
    const queue = [...candidates];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          if (await this.flushOne(id, day, now)) digests++;
        } catch (e) {
          this.logger.warn({ err: e, memberId: id }, 'digest not sent; it stays pending and is retried');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker));
    return { digests };
  }

  private async flushOne(memberId: string, day: string, now: Date): Promise<boolean> {
    const dedupKey = `digest:${memberId}:${day}`;
    return this.db.transaction(async (em) => {
      const claimed = await em.query(
        `INSERT INTO schedule_digests (member_id, local_day, dedup_key, items) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING RETURNING member_id`,
        [memberId, day, dedupKey],
      );
      if (!claimed.length) return false;
      const items: { id: string; title: string; text: string }[] = await em.query(
        `SELECT id::text AS id, title, text FROM schedule_pushes
         WHERE member_id = $1 AND status = 'pending' AND deliver_after <= $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
        [memberId, now],
      );
      const member = (
        await em.query(`SELECT wecom_user_id AS "wecomUserId", dingtalk_staff_id AS "dingtalkStaffId" FROM members WHERE id = $1`, [memberId])
      )[0];
      const target = member ? this.targetFor(member) : null;
      if (!items.length || !target) {
        // Nothing to send (or no way to reach the person): keep the day open for later items.
        throw new NothingToSend();
      }
      await em.query(`UPDATE schedule_pushes SET status = 'sent', dedup_key = $2 WHERE id = ANY($1::bigint[])`, [items.map((i) => i.id), dedupKey]);
      await em.query(`UPDATE schedule_digests SET items = $3 WHERE member_id = $1 AND local_day = $2`, [memberId, day, items.length]);
      const d = digestText(items, day);
      const req: NotifyRequest = { dedupKey, target, format: 'text', title: d.title, content: d.text, requestedAt: now.getTime() };
      // Published before the commit: a crash after the publish re-sends under the same key, which
      // JetStream and notification both drop; a failed publish rolls the claim back.
      await this.bus.publish(this.names.subjects.notifySend, req, dedupKey);
      return true;
    }).catch((e) => {
      if (e instanceof NothingToSend) return false;
      throw e;
    });
  }

  /** A group robot gets the run's message at once (it is a chat, not a person). */
  async sendToRobot(runId: string, robotId: string, platform: string, title: string, text: string): Promise<string> {
    const dedupKey = `sched:${runId}:robot:${robotId}`;
    const target: NotifyTarget =
      platform === 'dingtalk' ? { channel: 'dingtalk-custom-robot', robotId } : { channel: 'wecom-group-robot', robotId };
    const req: NotifyRequest = { dedupKey, target, format: 'markdown', title, content: text, requestedAt: Date.now() };
    await this.bus.publish(this.names.subjects.notifySend, req, dedupKey);
    return dedupKey;
  }
}

class NothingToSend extends Error {}
