import 'reflect-metadata';
import { z } from 'zod';
import { Controller, DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import cron from 'node-cron';
import { loadProfile, PolicyProfile } from '@zs/domain';
import { namesFor, Rpc } from '@zs/contracts';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { baseConfigSchema, bootstrapService, loadConfigOrExit, PlatformModule, portSchema, postgresHealthProvider, redisProvider } from '@zs/platform';

/**
 * The scheduler owns the rhythm (dispatch reminders, quarterly notices). This slice boots
 * it, connects PostgreSQL, Redis and NATS, reports health, and answers which cadences
 * the city's profile defines (validated with node-cron); firing them comes in a later issue.
 */
const schema = baseConfigSchema.extend({ SCHEDULER_PORT: portSchema.default(3104) });
const POLICY = Symbol('POLICY');
const REDIS = Symbol('REDIS');

@Controller()
class SchedulerRpcController {
  constructor(@Inject(POLICY) private readonly policy: PolicyProfile) {}

  @MessagePattern(Rpc.schedulerPing)
  ping() {
    return {
      ok: {
        service: 'scheduler',
        profile: this.policy.id,
        cadences: this.policy.cadences.map((c) => ({ key: c.key, name: c.name, cron: c.cron, valid: cron.validate(c.cron) })),
      },
    };
  }
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => undefined);
  }
}

@Module({})
class SchedulerModule {
  static register(config: z.infer<typeof schema>): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        PlatformModule.forRoot('scheduler', config),
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-scheduler`, DB_POOL_SIZES.scheduler)),
      ],
      controllers: [SchedulerRpcController],
      providers: [
        { provide: POLICY, useValue: loadProfile(config.POLICY_PROFILE) },
        redisProvider(REDIS, () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 })),
        postgresHealthProvider(),
        RedisCloser,
      ],
    };
  }
}

const config = loadConfigOrExit(schema, 'scheduler');
void bootstrapService({
  service: 'scheduler',
  module: SchedulerModule.register(config),
  port: config.SCHEDULER_PORT,
  logLevel: config.LOG_LEVEL,
  rpc: { natsUrl: config.NATS_URL, queue: namesFor(config.NAMESPACE).queues.scheduler },
});
