import type Redis from 'ioredis';
import { dingtalkApps } from '@zs/channels';
import { Names } from '@zs/contracts';
import { NotificationConfig } from '../config';
import { WecomAppApi } from '../wecom/wecom-api';
import { DingtalkOpenApi } from '../dingtalk/dingtalk-openapi';

/**
 * The platform API clients of this deployment, one per app: the WeCom self-built app and each
 * DingTalk app robot. Built once (the NOTIFICATION_API_CLIENTS provider) and shared by the
 * senders and the evidence media sources, so the process keeps one access-token cache per app.
 */
export interface NotificationApiClients {
  /** null: no WeCom app credentials (WECOM_CORP_ID / WECOM_AGENT_ID / WECOM_SECRET). */
  wecomApp: WecomAppApi | null;
  /** Empty: no DingTalk app robot configured. */
  dingtalkApps: DingtalkOpenApi[];
}

export function notificationApiClients(config: NotificationConfig, redis: Redis, names: Names): NotificationApiClients {
  const wecomApp =
    config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET
      ? new WecomAppApi(
          config.WECOM_API_BASE,
          { corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, secret: config.WECOM_SECRET },
          redis,
          names.redisPrefix,
          config.HTTP_TIMEOUT_MS,
        )
      : null;
  return {
    wecomApp,
    dingtalkApps: dingtalkApps(config).map((a) => new DingtalkOpenApi(config.DINGTALK_API_BASE, a, redis, names.redisPrefix, config.HTTP_TIMEOUT_MS)),
  };
}
