import type { DataSource } from 'typeorm';
import { dingtalkCustomRobots, DingtalkCustomRobotCredentials, DingtalkSharedConfig } from '@zs/channels';
import { ChatRobotRepository } from '@zs/persistence';
import type { ChannelSender } from '../channels/channel-sender';
import type { RateLimit, RateLimiter } from '../rate-limit';
import { DingtalkOpenApi } from './dingtalk-openapi';
import { DingtalkApps, DingtalkCustomRobotSender, DingtalkGroupSender, DingtalkOtoSender, DingtalkSessionSender } from './dingtalk-senders';
import { ChainedRobotCredentials, EnvRobotCredentials, RegistryRobotCredentials, RobotCredentials } from './robot-credentials';

export * from './dingtalk-senders';
export * from './dingtalk-message';
export * from './dingtalk-errors';
export * from './dingtalk-openapi';
export * from './robot-credentials';

export interface DingtalkSenderConfig extends DingtalkSharedConfig {
  DINGTALK_CUSTOM_ROBOTS?: Record<string, { accessToken: string; secret?: string }>;
  HTTP_TIMEOUT_MS: number;
}

export interface DingtalkSenderDeps {
  limiter?: RateLimiter;
  /** Per robot, margins included (20 a minute by default). */
  perRobot?: RateLimit[];
  /** The robot registry (chat_robots) for custom robots added by administrators. */
  db?: DataSource;
  /** Replaces the credential lookup (tests, another secret store). */
  robots?: RobotCredentials;
}

/**
 * DingTalk's ways out, from configuration:
 * - `dingtalk-session` always (a sessionWebhook needs no credentials; it must be on DINGTALK_OAPI_BASE);
 * - `dingtalk-group` and `dingtalk-oto` when an app robot is configured (OpenAPI, shared token);
 * - `dingtalk-custom-robot` when custom robots are configured (DINGTALK_CUSTOM_ROBOTS) or registered.
 * `openApis`: the process's clients of the configured app robots (`notificationApiClients`), shared
 * with the evidence media source so each app keeps one token.
 */
export function dingtalkSenders(config: DingtalkSenderConfig, openApis: DingtalkOpenApi[], deps: DingtalkSenderDeps = {}): ChannelSender[] {
  const senders: ChannelSender[] = [new DingtalkSessionSender([new URL(config.DINGTALK_OAPI_BASE).origin], config.HTTP_TIMEOUT_MS)];
  const limits = { limiter: deps.limiter, perRobot: deps.perRobot ?? [{ max: 20, windowMs: 60_500 }] };
  if (openApis.length) {
    const registry = new DingtalkApps(openApis);
    senders.push(new DingtalkGroupSender(registry, limits), new DingtalkOtoSender(registry));
  }
  const envRobots: DingtalkCustomRobotCredentials[] = dingtalkCustomRobots(config);
  const sources: RobotCredentials[] = deps.robots ? [deps.robots] : [];
  if (!deps.robots) {
    if (envRobots.length) sources.push(new EnvRobotCredentials(envRobots));
    if (deps.db) sources.push(new RegistryRobotCredentials(new ChatRobotRepository(deps.db)));
  }
  if (sources.length) {
    senders.push(new DingtalkCustomRobotSender(config.DINGTALK_OAPI_BASE, new ChainedRobotCredentials(sources), limits, config.HTTP_TIMEOUT_MS));
  }
  return senders;
}
