import type Redis from 'ioredis';
import { dingtalkApps } from '@zs/channels';
import { Names } from '@zs/contracts';
import { NotificationConfig } from '../config';
import { WecomAppApi } from '../wecom/wecom-api';
import { DingtalkOpenApi } from '../dingtalk/dingtalk-openapi';
import { DingtalkMediaSource, EvidenceMediaSource, WecomMediaSource } from './media-sources';

/** The media APIs this deployment has credentials for (the same tokens in Redis as the senders). */
export function evidenceMediaSources(config: NotificationConfig, redis: Redis, names: Names): EvidenceMediaSource[] {
  const out: EvidenceMediaSource[] = [];
  if (config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET) {
    const api = new WecomAppApi(
      config.WECOM_API_BASE,
      { corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, secret: config.WECOM_SECRET },
      redis,
      names.redisPrefix,
      config.HTTP_TIMEOUT_MS,
    );
    out.push(new WecomMediaSource(api, config.WECOM_API_BASE, config.HTTP_TIMEOUT_MS));
  }
  const apps = dingtalkApps(config);
  if (apps.length) {
    out.push(new DingtalkMediaSource(apps.map((a) => new DingtalkOpenApi(config.DINGTALK_API_BASE, a, redis, names.redisPrefix, config.HTTP_TIMEOUT_MS)), config.HTTP_TIMEOUT_MS));
  }
  return out;
}
