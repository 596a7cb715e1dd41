import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { BaseConfig } from './config';
import { createLogger } from './logger';
import { JetStreamBus } from './jetstream';
import { HealthController, HealthRegistry } from './health';

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
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: createLogger(service, config.LOG_LEVEL) },
        HealthRegistry,
        {
          provide: JetStreamBus,
          inject: [LOGGER, HealthRegistry],
          useFactory: async (logger: Logger, health: HealthRegistry) => {
            const bus = await JetStreamBus.connect(config.NATS_URL, `${config.NAMESPACE}-${service}`, logger);
            health.register('nats', () => bus.ping());
            return bus;
          },
        },
        PlatformLifecycle,
      ],
      exports: [CONFIG, LOGGER, HealthRegistry, JetStreamBus],
    };
  }
}
