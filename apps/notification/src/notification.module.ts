import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { BullQueueName, bullPrefix, namesFor } from '@zs/contracts';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { JetStreamBus, PlatformModule, postgresHealthProvider, redisProvider } from '@zs/platform';
import { NotificationConfig } from './config';
import { CHANNEL_SENDERS, NAMES, NOTIFICATION_API_CLIENTS, OUTBOUND_ATTEMPTS, OUTBOUND_QUEUE, OUTBOUND_SETTINGS, REDIS } from './tokens';
import { channelSenders } from './channels/channel-senders';
import { NotificationApiClients, notificationApiClients } from './channels/platform-api-clients';
import { OutboundWorker } from './outbound/outbound.worker';
import { NotifyConsumer } from './outbound/notify.consumer';
import { watchQueueDepth } from './outbound/queue-metrics';
import { RATE_LIMITER, RATE_LIMITS, RateLimiter, rateLimitSettings, redisRateLimiter } from './rate-limit';
import { BrokenChannels } from './robots/broken-channels';
import { RobotsRpcController } from './robots/robots.rpc';
import { DeliveriesRpcController } from './outbound/deliveries.rpc';
import { ENV_ROBOTS, envRobots } from './robots/env-robots';
import { EVIDENCE_SETTINGS, EVIDENCE_SOURCES, EvidenceFetchWorker } from './evidence/evidence-fetch.worker';
import { evidenceMediaSources } from './evidence/evidence-sources';
import { EvidenceFileRpcController } from './evidence/evidence.rpc';

class RedisCloser implements OnApplicationShutdown {
  private readonly unwatch: () => void;
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OUTBOUND_QUEUE) private readonly queue: Queue,
  ) {
    // The queue's depth is served at /metrics while the queue is open.
    this.unwatch = watchQueueDepth(queue);
  }
  async onApplicationShutdown() {
    this.unwatch();
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }
}

@Module({})
export class NotificationModule {
  static register(config: NotificationConfig): DynamicModule {
    const names = namesFor(config.NAMESPACE);
    const prefix = bullPrefix(names);
    return {
      module: NotificationModule,
      imports: [
        PlatformModule.forRoot('notification', config),
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-notification`, DB_POOL_SIZES.notification)),
      ],
      controllers: [RobotsRpcController, EvidenceFileRpcController, DeliveriesRpcController],
      providers: [
        { provide: NAMES, useValue: names },
        { provide: ENV_ROBOTS, useValue: envRobots(config) },
        { provide: RATE_LIMITS, useValue: rateLimitSettings(config) },
        { provide: RATE_LIMITER, inject: [REDIS], useFactory: (redis: Redis) => redisRateLimiter(redis, names) },
        BrokenChannels,
        { provide: OUTBOUND_ATTEMPTS, useValue: config.OUTBOUND_ATTEMPTS },
        { provide: OUTBOUND_SETTINGS, useValue: { concurrency: config.OUTBOUND_CONCURRENCY, prefix, lockMs: config.OUTBOUND_LOCK_MS } },
        redisProvider(REDIS, () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false })),
        {
          provide: OUTBOUND_QUEUE,
          inject: [REDIS],
          useFactory: (redis: Redis) => new Queue('outbound' satisfies BullQueueName, { connection: redis, prefix }),
        },
        // One client per platform app for the whole process (senders and evidence fetches share them).
        { provide: NOTIFICATION_API_CLIENTS, inject: [REDIS], useFactory: (redis: Redis) => notificationApiClients(config, redis, names) },
        {
          provide: CHANNEL_SENDERS,
          inject: [REDIS, JetStreamBus, DataSource, RATE_LIMITER, NOTIFICATION_API_CLIENTS],
          useFactory: (redis: Redis, bus: JetStreamBus, db: DataSource, limiter: RateLimiter, clients: NotificationApiClients) =>
            channelSenders(config, redis, names, clients, bus.nc, { limiter, db }),
        },
        {
          provide: EVIDENCE_SETTINGS,
          useValue: {
            prefix,
            maxBytes: config.EVIDENCE_MAX_BYTES,
            attempts: config.EVIDENCE_FETCH_ATTEMPTS,
            backoffMs: config.EVIDENCE_FETCH_BACKOFF_MS,
            sweepMs: config.EVIDENCE_SWEEP_MS,
            concurrency: 4,
          },
        },
        {
          provide: EVIDENCE_SOURCES,
          inject: [NOTIFICATION_API_CLIENTS],
          useFactory: (clients: NotificationApiClients) => evidenceMediaSources(config, clients),
        },
        EvidenceFetchWorker,
        postgresHealthProvider(),
        OutboundWorker,
        NotifyConsumer,
        RedisCloser,
      ],
    };
  }
}
