import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Names, NotifyRequest, NotifyTarget, RichMessage, Rpc } from '@zs/contracts';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { meshRequest } from '../mesh-request';
import { NAMES } from '../tokens';
import { plainText } from './ranking-notice';

export interface GroupRobot {
  id: string;
  platform: 'wecom' | 'dingtalk';
  unitId: string | null;
  status: string;
}

/**
 * Hands notices to notification over the NOTIFY stream (durable; the dedup key names the logical
 * send, so publishing a ranking version twice sends nothing twice).
 */
@Injectable()
export class NoticeSender {
  constructor(
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The city's group robots, from notification's registry; none when it does not answer. */
  async robots(): Promise<GroupRobot[]> {
    try {
      const rows = await meshRequest<GroupRobot[]>(this.bus.nc, Rpc.robotsList, {}, 5000);
      return rows.filter((r) => r.status === 'ok');
    } catch (e) {
      this.logger.warn({ err: e }, 'robot registry did not answer; ranking notice goes to app chats only');
      return [];
    }
  }

  static robotTarget(r: GroupRobot): NotifyTarget {
    return r.platform === 'wecom' ? { channel: 'wecom-group-robot', robotId: r.id } : { channel: 'dingtalk-custom-robot', robotId: r.id };
  }

  async send(dedupKey: string, target: NotifyTarget, message: RichMessage): Promise<void> {
    const req: NotifyRequest = {
      dedupKey: dedupKey.slice(0, 200),
      target,
      format: 'markdown',
      title: message.title?.slice(0, 100),
      content: plainText(message).slice(0, 100000),
      rich: message,
      requestedAt: Date.now(),
    };
    await this.bus.publish(this.names.subjects.notifySend, req, req.dedupKey);
  }
}
