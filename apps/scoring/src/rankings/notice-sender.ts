import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Names, NotifyRequest, NotifyTarget, RichMessage, Rpc } from '@zs/contracts';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { meshRequest } from '../mesh-request';
import { DirectoryMember } from '../directory/directory.reader';
import { DINGTALK_ROBOT_CODE, NAMES } from '../tokens';
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
    @Inject(DINGTALK_ROBOT_CODE) private readonly dingtalkRobotCode: string | null,
  ) {}

  /**
   * 1:1 to people in the app chats: one WeCom app message to everyone with a WeCom userid, and
   * DingTalk app-robot messages (20 recipients each, the platform's limit) when a DingTalk robot is
   * configured. Returns the number of messages handed over.
   */
  async sendToPeople(dedupKey: string, people: DirectoryMember[], message: RichMessage): Promise<number> {
    let sent = 0;
    const wecom = [...new Set(people.map((m) => m.wecomUserId).filter((x): x is string => !!x))];
    for (let i = 0; i < wecom.length; i += 1000) {
      await this.send(`${dedupKey}:wecom:${i / 1000}`, { channel: 'wecom-app', userIds: wecom.slice(i, i + 1000) }, message);
      sent++;
    }
    if (this.dingtalkRobotCode) {
      const ding = [...new Set(people.map((m) => m.dingtalkStaffId).filter((x): x is string => !!x))];
      for (let i = 0; i < ding.length; i += 20) {
        await this.send(`${dedupKey}:dingtalk:${i / 20}`, { channel: 'dingtalk-oto', robotCode: this.dingtalkRobotCode, userIds: ding.slice(i, i + 20) }, message);
        sent++;
      }
    }
    return sent;
  }

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

  async send(dedupKey: string, target: NotifyTarget, message: RichMessage, attachment?: { fileName: string; base64: string }): Promise<void> {
    const req: NotifyRequest = {
      ...(attachment ? { attachment } : {}),
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
