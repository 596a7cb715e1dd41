import { Controller, FactoryProvider, Get, HttpException, HttpStatus, Injectable, InjectionToken } from '@nestjs/common';
import { PublicEndpoint } from './public-endpoint';
import type { DataSource } from 'typeorm';

type Check = () => Promise<unknown>;

/** Named readiness checks a service registers (PostgreSQL, Redis, NATS, workers). */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, Check>();
  private shuttingDown = false;

  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const results: Record<string, string> = {};
    if (this.shuttingDown) return { ready: false, checks: { shutdown: 'in progress' } };
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
          ]);
          results[name] = 'ok';
        } catch (e) {
          results[name] = `fail: ${(e as Error).message}`;
        }
      }),
    );
    return { ready: Object.values(results).every((r) => r === 'ok'), checks: results };
  }
}

@PublicEndpoint('probes of the orchestrator and load balancer: status only, no data')
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Liveness: the event loop answers. Never depends on other systems, so a broken database does not restart every pod. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const r = await this.registry.readiness();
    if (!r.ready) throw new HttpException({ status: 'unavailable', checks: r.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', checks: r.checks };
  }
}

/**
 * Registers the `postgres` readiness check (`SELECT 1` on the TypeORM DataSource). For a module
 * that imports TypeOrmModule.forRoot.
 */
export function postgresHealthProvider(): FactoryProvider<void> {
  // Loaded here, not at the top: a service without a database never loads typeorm.
  const { DataSource: dataSourceToken } = require('typeorm') as typeof import('typeorm');
  return {
    provide: 'DB_HEALTH',
    inject: [HealthRegistry, dataSourceToken],
    useFactory: (health: HealthRegistry, ds: DataSource) => health.register('postgres', () => ds.query('SELECT 1')),
  };
}

/**
 * Provides the Redis client `create` makes under `token`, with its `redis` readiness check (PING).
 * The client is made by the caller, so each service keeps its own connection options.
 */
export function redisProvider<R extends { ping(): Promise<unknown> }>(token: InjectionToken, create: () => R): FactoryProvider<R> {
  return {
    provide: token,
    inject: [HealthRegistry],
    useFactory: (health: HealthRegistry) => {
      const redis = create();
      health.register('redis', () => redis.ping());
      return redis;
    },
  };
}
