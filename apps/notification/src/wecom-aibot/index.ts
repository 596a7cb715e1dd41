import type Redis from 'ioredis';
import type { NatsConnection } from 'nats';
import { Names } from '@zs/contracts';
import type { ChannelSender } from '../channels/channel-sender';
import type { NotificationConfig } from '../config';
import { NatsAibotGateway } from './aibot-gateway-client';
import { WecomAibotPushSender, WecomAibotResponseSender, WecomAibotStreamSender } from './aibot.senders';

export { aibotParts, WecomAibotPushSender, WecomAibotResponseSender, WecomAibotStreamSender } from './aibot.senders';
export { AibotGatewayUnavailableError, NatsAibotGateway } from './aibot-gateway-client';

/**
 * The AI bot ways out. They need no credentials here: response_url carries its own, and the
 * long-connection frames are sent by the gateway holding the bot's socket. Without a NATS
 * connection (unit tests) only the response_url sender exists.
 */
export function wecomAibotSenders(config: NotificationConfig, redis: Redis, names: Names, nc?: NatsConnection): ChannelSender[] {
  const senders: ChannelSender[] = [
    new WecomAibotResponseSender(redis, {
      prefix: names.redisPrefix,
      timeoutMs: config.HTTP_TIMEOUT_MS,
      allowedHosts: config.WECOM_AIBOT_RESPONSE_HOSTS,
    }),
  ];
  if (nc) {
    const gateway = new NatsAibotGateway(nc, config.NAMESPACE, config.HTTP_TIMEOUT_MS);
    senders.push(new WecomAibotStreamSender(gateway), new WecomAibotPushSender(gateway));
  }
  return senders;
}
