import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { BaseConfig, streamDurability } from './config';
import { createLogger } from './logger';
import { JetStreamBus } from './jetstream';
import { HealthController, HealthRegistry } from './health';
import { natsConnectionOptionsFromEnv } from './nats-options';
import { meshStreams } from './mesh-streams';
import { namesFor } from '@zs/contracts';
import { MetricsController, startDefaultMetrics } from './metrics';

export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');

class PlatformLifecycle implements BeforeApplicationShutdown {
  constructor(
    @Inject(JetStreamBus) private readonly bus: JetStreamBus,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs before TypeORM and Redis close: stop taking messages and finish in-flight ones first. */
  async beforeApplicationShutdown(signal?: string) {
    this.health.markShuttingDown();
    this.logger.info({ signal }, 'shutting down: draining NATS consumers');
    await this.bus.close();
  }
}

/**
 * What every service needs from the platform: its validated config, a logger, the
 * JetStream bus, and liveness/readiness endpoints that report NATS.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(service: string, config: BaseConfig): DynamicModule {
    startDefaultMetrics(service);
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: createLogger(service, config.LOG_LEVEL) },
        HealthRegistry,
        {
          provide: JetStreamBus,
          inject: [LOGGER, HealthRegistry],
          useFactory: async (logger: Logger, health: HealthRegistry) => {
            const durability = streamDurability(config);
            const bus = await JetStreamBus.connect(
              natsConnectionOptionsFromEnv(config.NATS_URL, { namespace: config.NAMESPACE, service }),
              `${config.NAMESPACE}-${service}`,
              logger,
              durability,
            );
            health.register('nats', () => bus.ping());
            // A consume loop that died takes no more messages: the replica must leave the load balancer and be restarted.
            health.register('consumers', async () => {
              const dead = bus.deadConsumers();
              if (dead.length) throw new Error(`consume loop ended: ${dead.join(', ')}`);
            });
            // Every service watches the mesh's streams (not only the ones it creates): too few replicas
            // is logged as an error and, when required, makes the service not ready.
            const streams = meshStreams(namesFor(config.NAMESPACE)).map((s) => s.name);
            await bus.checkReplicas(streams).catch(() => undefined);
            health.register('stream-replicas', async () => {
              const short = await bus.checkReplicas(streams);
              if (short.length && durability.required) {
                throw new Error(short.map((s) => `${s.stream} has ${s.replicas} of ${durability.replicas} replicas`).join('; '));
              }
            });
            return bus;
          },
        },
        PlatformLifecycle,
      ],
      exports: [CONFIG, LOGGER, HealthRegistry, JetStreamBus],
    };
  }
}
