import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { ChatRobotRepository } from '@zs/persistence';
import { Names } from '@zs/contracts';
import { NotificationConfig } from '../config';
import { WecomAppSender } from '../wecom/wecom-app.sender';
import { ChannelSender } from './channel-sender';
import { wecomAibotSenders } from '../wecom-aibot';
import { RateLimiter, rateLimitSettings, redisRateLimiter } from '../rate-limit';
import { WecomGroupRobotSender } from '../wecom-group-robot/wecom-group-robot.sender';
import { dingtalkSenders } from '../dingtalk';
import type { NotificationApiClients } from './platform-api-clients';

/** What the rate-limited senders share. */
export interface OutboundDeps {
  /** The deployment's rate limiter; default: one on `redis` under the namespace. */
  limiter?: RateLimiter;
  /** Robots are resolved from `chat_robots`; without a database there is no group robot sender. */
  db?: DataSource;
}

/**
 * The senders this deployment has, from its configuration. A channel without
 * credentials has no sender; a message for it fails permanently with a clear reason. The WeCom
 * app and DingTalk app senders use the process's shared API clients (`notificationApiClients`).
 */
export function channelSenders(
  config: NotificationConfig,
  redis: Redis,
  names: Names,
  clients: NotificationApiClients,
  nc?: NatsConnection,
  deps: OutboundDeps = {},
): ChannelSender[] {
  const senders: ChannelSender[] = [...wecomAibotSenders(config, redis, names, nc)];
  const limiter = deps.limiter ?? redisRateLimiter(redis, names);
  const limits = rateLimitSettings(config);
  if (deps.db) {
    senders.push(
      new WecomGroupRobotSender(new ChatRobotRepository(deps.db), limiter, {
        apiBase: config.WECOM_API_BASE,
        timeoutMs: config.HTTP_TIMEOUT_MS,
        limits: limits.wecomRobot,
        tables: config.WECOM_ROBOT_TABLES,
      }),
    );
  }
  if (clients.wecomApp && config.WECOM_CORP_ID) {
    senders.push(new WecomAppSender(clients.wecomApp, { limiter, perMember: limits.wecomAppMember, keyPrefix: config.WECOM_CORP_ID }));
  }
  senders.push(...dingtalkSenders(config, clients.dingtalkApps, { limiter, perRobot: limits.dingtalkRobot, db: deps.db }));
  return senders;
}
