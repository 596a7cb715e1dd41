import type Redis from 'ioredis';
import { Names } from '@zs/contracts';
import { NotificationConfig } from '../config';
import { WecomAppApi } from '../wecom/wecom-api';
import { WecomAppSender } from '../wecom/wecom-app.sender';
import { ChannelSender } from './channel-sender';

/**
 * The senders this deployment has, from its configuration. A channel without
 * credentials has no sender; a message for it fails permanently with a clear reason.
 */
export function channelSenders(config: NotificationConfig, redis: Redis, names: Names): ChannelSender[] {
  const senders: ChannelSender[] = [];
  if (config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET) {
    const api = new WecomAppApi(
      config.WECOM_API_BASE,
      { corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, secret: config.WECOM_SECRET },
      redis,
      names.redisPrefix,
      config.HTTP_TIMEOUT_MS,
    );
    senders.push(new WecomAppSender(api));
  }
  return senders;
}
