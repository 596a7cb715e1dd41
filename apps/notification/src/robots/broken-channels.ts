import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ADMIN_ALERT_PREFIX, adminAlertRequest, Names, NotifyRequest, NotifyTarget } from '@zs/contracts';
import { ChannelHealthRepository, ChatRobotRepository } from '@zs/persistence';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { describeTarget, PermanentSendError } from '../channels/channel-sender';
import { NAMES } from '../tokens';

/** Every administrator alert's dedupKey starts with this; a failing alert never raises another. */
export const ALERT_PREFIX = ADMIN_ALERT_PREFIX;

/** Human-readable causes for the errors that break a channel, for administrators. */
const REASONS: Record<number, string> = {
  93000: 'Webhook 地址无效（key 错误，或机器人已被移出群聊）',
  310000: '钉钉安全设置校验未通过（签名不匹配、消息不含自定义关键词，或服务器 IP 不在白名单）',
  81013: '接收人全部无效（不在通讯录中，或不在应用的可见范围内）',
  40003: '成员 userid 无效',
  40001: '应用 Secret 无效',
  40056: '应用 AgentId 无效',
  48002: '应用没有调用该接口的权限',
  60020: '服务器 IP 不在企业微信可信 IP 名单中',
};

const CHANNEL_LABELS: Partial<Record<string, string>> = {
  'wecom-app': '企业微信自建应用',
  'wecom-group-robot': '企业微信群机器人',
  'wecom-aibot-response': '企业微信智能机器人',
  'wecom-aibot-push': '企业微信智能机器人',
  'dingtalk-session': '钉钉应用机器人',
  'dingtalk-group': '钉钉应用机器人',
  'dingtalk-oto': '钉钉应用机器人',
  'dingtalk-custom-robot': '钉钉自定义机器人',
  'wecom-aibot-stream': '企业微信智能机器人',
};

export function reasonFor(errcode: number, errmsg: string): string {
  return REASONS[errcode] ?? `平台返回错误：${errmsg.replace(/, hint: \[.*$/, '').slice(0, 200)}`;
}

/** The robot a target names, when it is a registered robot (WeCom group robot, DingTalk custom robot). */
function robotIdOf(t: NotifyTarget): string | null {
  return t.channel === 'wecom-group-robot' || t.channel === 'dingtalk-custom-robot' ? t.robotId : null;
}

/** The key under which a non-robot channel's health is kept. */
export function channelKeyOf(t: NotifyTarget): string {
  switch (t.channel) {
    case 'wecom-app':
      return 'wecom-app';
    case 'dingtalk-session':
    case 'dingtalk-group':
    case 'dingtalk-oto':
      return `dingtalk-app:${t.robotCode}`;
    default: {
      const robotId = robotIdOf(t);
      if (robotId) return `robot:${robotId}`;
      const botId = (t as { botId?: string }).botId;
      return botId ? `wecom-aibot:${botId}` : t.channel;
    }
  }
}

/** Calendar day in China, for one alert per channel per day. */
export function chinaDay(at = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function chinaTime(at = Date.now()): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

/** Keeps dedup keys within the contract's 200 characters whatever the target. */
function shortKey(s: string): string {
  return s.length <= 120 ? s : `${s.slice(0, 60)}#${createHash('sha256').update(s).digest('hex').slice(0, 16)}`;
}

/**
 * What happens after a permanent send error: the robot or channel is marked broken in the
 * database (a broken robot is not called again until an administrator resets it), and the
 * administrators (members with role `admin` and a WeCom userid) get one notice per broken
 * channel per day through the WeCom app, published on JetStream like any other message.
 */
@Injectable()
export class BrokenChannels {
  private readonly robots: ChatRobotRepository;
  private readonly health: ChannelHealthRepository;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.robots = new ChatRobotRepository(ds);
    this.health = new ChannelHealthRepository(ds);
  }

  async onPermanentError(req: NotifyRequest, target: NotifyTarget, e: PermanentSendError): Promise<void> {
    const where = describeTarget(target);
    if (e.scope === 'message') return;
    if (req.dedupKey.startsWith(ALERT_PREFIX)) {
      this.logger.error({ dedupKey: req.dedupKey, errcode: e.errcode }, 'an administrator alert could not be delivered');
      return;
    }
    const reason = reasonFor(e.errcode, e.message);
    const label = CHANNEL_LABELS[target.channel] ?? target.channel;
    const robotId = robotIdOf(target);
    let channelKey: string;
    let content: string;
    if (e.scope === 'channel') {
      channelKey = channelKeyOf(target);
      let name = '';
      let registered = false;
      if (robotId) {
        const changed = await this.robots.markBroken(robotId, e.errcode, reason);
        const robot = await this.robots.view(robotId);
        registered = robot !== null;
        name = robot ? `「${robot.name}」（编号 ${robot.id}）` : `（${robotId}）`;
        // A robot from the environment (not in the registry): its flag is kept with the channels.
        if (!robot) await this.health.markBroken(channelKey, e.errcode, reason);
        this.logger.error({ robotId, errcode: e.errcode, changed }, 'robot marked broken');
      } else {
        await this.health.markBroken(channelKey, e.errcode, reason);
        this.logger.error({ channel: channelKey, errcode: e.errcode }, 'channel marked broken');
      }
      if (target.channel === 'wecom-app') {
        // The alert would travel through the very channel that is broken.
        this.logger.error({ errcode: e.errcode }, 'the WeCom app channel is broken: administrators cannot be told through it; check WECOM_* settings');
        return;
      }
      content = [
        `【消息通道故障】${label}${name}已停止发送`,
        `原因：${reason}（错误码 ${e.errcode}）`,
        robotId
          ? `影响：发往该群的通知暂停发送，直到管理员恢复该机器人。`
          : `影响：经该通道发送的消息失败，恢复前请勿依赖该通道。`,
        registered
          ? `处理：请核对该机器人的 Webhook 地址与安全设置，必要时重新添加机器人并登记新地址；确认无误后在管理后台恢复（POST /api/robots/${robotId}/reset）。`
          : robotId
            ? `处理：该机器人登记在服务配置中，请核对其 Webhook 地址与安全设置，修正配置后重启通知服务。`
            : `处理：请核对该通道的配置与权限，下一次发送成功后将自动恢复。`,
        `时间：${chinaTime()}`,
      ].join('\n');
    } else {
      channelKey = `recipients:${where}`;
      content = [
        `【消息接收人无效】一条${label}消息未能送达`,
        `接收人：${where}`,
        `原因：${reason}（错误码 ${e.errcode}）`,
        `处理：请核对这些成员的企业微信账号（userid）及应用可见范围。`,
        `时间：${chinaTime()}`,
      ].join('\n');
    }
    await this.alertAdmins(`broken:${shortKey(channelKey)}:${chinaDay()}`, content);
  }

  /**
   * A send worked: a channel flagged in channel_health works again. (Registry robots are not
   * called while broken; they wait for an administrator's reset.)
   */
  async onDelivered(target: NotifyTarget): Promise<void> {
    await this.health.markOk(channelKeyOf(target));
  }

  private async alertAdmins(key: string, content: string): Promise<void> {
    // lead-intake's directory, read through its read-only view (ADR 0026)
    const rows: { u: string }[] = await this.ds.query(
      `SELECT wecom_user_id AS u FROM directory_members_v WHERE role = 'admin' AND wecom_user_id IS NOT NULL ORDER BY id LIMIT 1000`,
    );
    const admins = rows.map((r) => r.u);
    if (admins.length === 0) {
      this.logger.warn({ key }, 'no administrator with a WeCom userid to tell about a broken channel');
      return;
    }
    const req = adminAlertRequest(key, admins, content);
    await this.bus.publish(this.names.subjects.notifySend, req, req.dedupKey);
    this.logger.info({ dedupKey: req.dedupKey, admins: admins.length }, 'administrators alerted');
  }
}
