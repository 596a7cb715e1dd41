import 'reflect-metadata';
import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PolicyProfile } from '@zs/domain';
import { namesFor, Rpc } from '@zs/contracts';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { bootstrapService, loadConfigOrExit, loadConfiguredProfile, meshClientProviders, PlatformModule, postgresHealthProvider } from '@zs/platform';
import { SchedulerConfig, schedulerConfigSchema } from './config';
import { NAMES, POLICY, SCHEDULER_CONFIG, SCORING_CLIENT } from './tokens';
import { SchedulerCore } from './scheduler-core';
import { SchedulesRpcController } from './schedules/schedules.rpc';

/**
 * The scheduler owns the rhythm: schedules (seeded from the city's cadences, changed by
 * administrators), firing each slot exactly once across replicas, and the reminders they drive.
 */
@Controller()
class SchedulerPingController {
  constructor(@Inject(POLICY) private readonly policy: PolicyProfile) {}

  @MessagePattern(Rpc.schedulerPing)
  ping() {
    return { ok: { service: 'scheduler', profile: this.policy.id, cadences: this.policy.cadences.map((c) => ({ key: c.key, name: c.name, cron: c.cron })) } };
  }
}

@Module({})
class SchedulerModule {
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        PlatformModule.forRoot('scheduler', config),
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-scheduler`, DB_POOL_SIZES.scheduler)),
      ],
      controllers: [SchedulerPingController, SchedulesRpcController],
      providers: [
        { provide: POLICY, useValue: loadConfiguredProfile(config) },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: SCHEDULER_CONFIG, useValue: config },
        ...meshClientProviders(SCORING_CLIENT, { natsUrl: config.NATS_URL, namespace: config.NAMESPACE, service: 'scheduler', purpose: 'client' }),
        SchedulerCore,
        postgresHealthProvider(),
      ],
    };
  }
}

const config = loadConfigOrExit(schedulerConfigSchema, 'scheduler');
void bootstrapService({
  service: 'scheduler',
  module: SchedulerModule.register(config),
  port: config.SCHEDULER_PORT,
  logLevel: config.LOG_LEVEL,
  rpc: { natsUrl: config.NATS_URL, queue: namesFor(config.NAMESPACE).queues.scheduler },
});
