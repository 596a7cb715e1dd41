import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { WecomCrypto } from '@zs/channels';
import { namesFor } from '@zs/contracts';
import { LOGGER } from '@zs/platform';
import { NAMES } from '../tokens';
import { InboundPublisher } from '../inbound/inbound-publisher';
import type { GatewayConfig } from '../config';
import { wecomAibotBots } from './aibot-config';
import { WecomAibotCallbackController } from './aibot-callback.controller';
import { WecomAibotConnections } from './aibot-connections.service';
import { NonceGuard } from './nonce-guard';
import { AIBOT_NONCE_GUARD, AIBOT_REDIS, AIBOT_SETTINGS, AibotSettings } from './aibot-tokens';

class AibotRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(AIBOT_REDIS) private readonly redis: Redis | null) {}
  async onApplicationShutdown() {
    await this.redis?.quit().catch(() => undefined);
  }
}

/** Settings from the validated config; no I/O. */
export function aibotSettings(config: GatewayConfig): AibotSettings {
  const bots = wecomAibotBots(config);
  return {
    namespace: config.NAMESPACE,
    bots,
    callbackBots: bots
      .filter((b) => b.callback)
      .map((b) => ({
        bot: b,
        crypto: new WecomCrypto(b.callback!.token, b.callback!.encodingAesKey, ''),
        key: b.botId ?? b.slot,
      })),
    wsUrl: config.WECOM_AIBOT_WS_URL,
    heartbeatMs: config.WECOM_AIBOT_HEARTBEAT_MS,
    reconnectBaseMs: config.WECOM_AIBOT_RECONNECT_BASE_MS,
    reconnectMaxMs: config.WECOM_AIBOT_RECONNECT_MAX_MS,
    ackText: config.WECOM_AIBOT_ACK_TEXT,
    retryWindowMs: config.WECOM_AIBOT_RETRY_WINDOW_S * 1000,
  };
}

/**
 * The WeCom AI bot ways in: the HTTP callback (bots with a token and EncodingAESKey) and the
 * long connection (bots with a bot id and secret). Without any AI bot configured the callback
 * answers 404 and no Redis connection is opened.
 */
@Module({})
export class WecomAibotModule {
  static register(config: GatewayConfig): DynamicModule {
    const settings = aibotSettings(config);
    const enabled = settings.bots.length > 0;
    return {
      module: WecomAibotModule,
      controllers: [WecomAibotCallbackController],
      providers: [
        { provide: AIBOT_SETTINGS, useValue: settings },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        {
          provide: AIBOT_REDIS,
          inject: [LOGGER],
          useFactory: (logger: Logger) => {
            if (!enabled) return null;
            // Nonces and the long-connection lease. Readiness does not depend on it: callbacks keep
            // being answered (nonces in memory meanwhile) while Redis is away.
            const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3000 });
            redis.on('error', (e) => logger.debug({ err: { message: e.message } }, 'gateway redis error'));
            return redis;
          },
        },
        {
          provide: AIBOT_NONCE_GUARD,
          inject: [AIBOT_REDIS, LOGGER],
          useFactory: (redis: Redis | null, logger: Logger) => new NonceGuard(redis, config.NAMESPACE, settings.retryWindowMs, logger),
        },
        InboundPublisher,
        WecomAibotConnections,
        AibotRedisCloser,
      ],
    };
  }
}
