import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { adminAlertRequest, Names, NotifyRequest, NotifyTarget } from '@zs/contracts';
import { DirectoryRepository } from '@zs/persistence';
import { DeadLetter, JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES } from '../tokens';

/** What the official reads when their message could not be processed. */
export const DEAD_LETTER_APOLOGY = '抱歉，这条消息未能处理，已转交管理员核查，请稍后再试或联系管理员。';

function chinaTime(at: number): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/**
 * A chat message went to the dead-letter stream: the sender is told it was not processed (so no
 * accepted message stays unanswered) and the administrators (members with role `admin` and a
 * WeCom userid) get one alert with the reason and how to replay it.
 */
@Injectable()
export class DeadLetterAlert {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onInboundDeadLettered(letter: DeadLetter, payload: unknown): Promise<void> {
    const msg = (payload && typeof payload === 'object' ? payload : {}) as { platform?: unknown; msgId?: unknown; replyTo?: unknown; replyFallback?: unknown };
    const where = typeof msg.platform === 'string' && typeof msg.msgId === 'string' ? `${msg.platform}:${msg.msgId}` : `seq ${letter.seq}`;
    await Promise.all([this.apologise(msg, where), this.alertAdmins(letter, where)]);
  }

  private async apologise(msg: { replyTo?: unknown; replyFallback?: unknown }, where: string): Promise<void> {
    const target = NotifyTarget.safeParse(msg.replyTo);
    if (!target.success) {
      this.logger.warn({ where }, 'dead-lettered message has no usable reply target; the sender is not told');
      return;
    }
    const fallback = NotifyTarget.safeParse(msg.replyFallback);
    const dedupKey = `dead-letter-reply:${where}`.slice(0, 200);
    const req: NotifyRequest = {
      dedupKey,
      target: target.data,
      ...(fallback.success ? { fallback: fallback.data } : {}),
      format: 'text',
      content: DEAD_LETTER_APOLOGY,
      requestedAt: Date.now(),
    };
    await this.bus.publish(this.names.subjects.notifySend, req, dedupKey);
  }

  private async alertAdmins(letter: DeadLetter, where: string): Promise<void> {
    const admins = await new DirectoryRepository(this.ds).administratorWecomUserIds();
    if (admins.length === 0) {
      this.logger.warn({ where }, 'no administrator with a WeCom userid to tell about a dead letter');
      return;
    }
    const content = [
      `【消息处理失败】一条聊天消息多次处理失败，已转入死信队列`,
      `消息：${where}`,
      `原因：${letter.reason.slice(0, 300)}`,
      `处理：修复原因后，可在管理接口查看并重放（GET /api/dead-letters，POST /api/dead-letters/{id}/replay）。发送人已收到“未能处理”的提示。`,
      `时间：${chinaTime(letter.deadAt)}`,
    ].join('\n');
    const req = adminAlertRequest(`dead-letter:${letter.durable}:${letter.seq}`, admins, content);
    await this.bus.publish(this.names.subjects.notifySend, req, req.dedupKey);
    this.logger.info({ where, admins: admins.length }, 'administrators alerted about a dead letter');
  }
}
