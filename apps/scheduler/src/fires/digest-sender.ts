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
const BATCH = 500;

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
  async flush(memberIds?: string[], now = new Date(), onBatch?: (digestsSoFar: number) => Promise<void>): Promise<{ digests: number }> {
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
    // Same order in every replica, so two flushes claiming overlapping people never deadlock.
    candidates.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    let digests = 0;
    for (let i = 0; i < candidates.length; i += BATCH) {
      try {
        digests += await this.flushBatch(candidates.slice(i, i + BATCH), day, now);
        if (onBatch && i + BATCH < candidates.length) await onBatch(digests).catch(() => undefined);
      } catch (e) {
        this.logger.warn({ err: e, members: Math.min(BATCH, candidates.length - i) }, 'digests not sent; they stay pending and are retried');
      }
    }
    return { digests };
  }

  /**
   * One transaction per batch of people: claim each person's digest for the day (the unique
   * (member, day) row), take their pending pushes, mark them sent under the digest's key, publish
   * every digest (JetStream acks awaited together), then commit. A crash before the commit leaves
   * everything pending; the re-publish after it carries the same keys and is dropped downstream.
   */
  private async flushBatch(memberIds: string[], day: string, now: Date): Promise<number> {
    return this.db.transaction(async (em) => {
      const claimed: { id: string; wecomUserId: string | null; dingtalkStaffId: string | null }[] = await em.query(
        `WITH c AS (
           INSERT INTO schedule_digests (member_id, local_day, dedup_key, items)
           SELECT m, $2::date, 'digest:' || m || ':' || $2, 0 FROM unnest($1::bigint[]) AS m
           ON CONFLICT DO NOTHING RETURNING member_id)
         SELECT c.member_id::text AS id, mb.wecom_user_id AS "wecomUserId", mb.dingtalk_staff_id AS "dingtalkStaffId"
         FROM c JOIN directory_members_v mb ON mb.id = c.member_id`,
        [memberIds, day],
      );
      if (!claimed.length) return 0;
      const items: { id: string; memberId: string; title: string; text: string }[] = await em.query(
        `SELECT id::text AS id, member_id::text AS "memberId", title, text FROM schedule_pushes
         WHERE member_id = ANY($1::bigint[]) AND status = 'pending' AND deliver_after <= $2 ORDER BY id FOR UPDATE SKIP LOCKED`,
        [claimed.map((c) => c.id), now],
      );
      const byMember = new Map<string, { id: string; title: string; text: string }[]>();
      for (const it of items) {
        const list = byMember.get(it.memberId) ?? [];
        list.push(it);
        byMember.set(it.memberId, list);
      }
      const requests: NotifyRequest[] = [];
      const empty: string[] = [];
      const sentIds: string[] = [];
      const sentKeys: string[] = [];
      for (const c of claimed) {
        const mine = byMember.get(c.id);
        const target = this.targetFor(c);
        if (!mine?.length || !target) {
          empty.push(c.id); // nothing due (or no way to reach them): keep the day open for later items
          continue;
        }
        const dedupKey = `digest:${c.id}:${day}`;
        const d = digestText(mine, day);
        requests.push({ dedupKey, target, format: 'text', title: d.title, content: d.text, requestedAt: now.getTime() });
        for (const it of mine) {
          sentIds.push(it.id);
          sentKeys.push(dedupKey);
        }
      }
      if (empty.length) await em.query(`DELETE FROM schedule_digests WHERE member_id = ANY($1::bigint[]) AND local_day = $2`, [empty, day]);
      if (sentIds.length) {
        await em.query(
          `UPDATE schedule_pushes p SET status = 'sent', dedup_key = u.k FROM unnest($1::bigint[], $2::text[]) AS u(i, k) WHERE p.id = u.i`,
          [sentIds, sentKeys],
        );
        await em.query(
          `UPDATE schedule_digests d SET items = x.n FROM (SELECT dedup_key, count(*)::int AS n FROM schedule_pushes WHERE dedup_key = ANY($1::text[]) GROUP BY dedup_key) x
           WHERE d.dedup_key = x.dedup_key`,
          [requests.map((r) => r.dedupKey)],
        );
      }
      await Promise.all(requests.map((r) => this.bus.publish(this.names.subjects.notifySend, r, r.dedupKey)));
      return requests.length;
    });
  }

  /**
   * An urgent item (the first 约谈提醒) goes to the person at once, outside the day's digest. The
   * dedup key is deterministic, so a run taken over after a crash republishes it harmlessly.
   */
  async sendNow(dedupKey: string, target: NotifyTarget, title: string, text: string): Promise<void> {
    const req: NotifyRequest = { dedupKey, target, format: 'text', title, content: text, requestedAt: Date.now() };
    await this.bus.publish(this.names.subjects.notifySend, req, dedupKey);
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

