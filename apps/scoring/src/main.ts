import 'reflect-metadata';
import { z } from 'zod';
import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadProfile, PolicyProfile } from '@zs/domain';
import { namesFor, Rpc } from '@zs/contracts';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { baseConfigSchema, bootstrapService, loadConfigOrExit, PlatformModule, portSchema, postgresHealthProvider } from '@zs/platform';

/**
 * Scoring owns indicators, targets, period scores, rankings and the accountability and
 * reward rules. This slice boots it, connects it and reports health; the rules come
 * in later issues, all from the city's policy profile.
 */
const schema = baseConfigSchema.extend({ SCORING_PORT: portSchema.default(3102) });
const POLICY = Symbol('POLICY');

@Controller()
class ScoringRpcController {
  constructor(@Inject(POLICY) private readonly policy: PolicyProfile) {}

  @MessagePattern(Rpc.scoringPing)
  ping() {
    return { ok: { service: 'scoring', profile: this.policy.id, indicators: this.policy.indicators.length } };
  }
}

@Module({})
class ScoringModule {
  static register(config: z.infer<typeof schema>): DynamicModule {
    return {
      module: ScoringModule,
      imports: [
        PlatformModule.forRoot('scoring', config),
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-scoring`, DB_POOL_SIZES.scoring)),
      ],
      controllers: [ScoringRpcController],
      providers: [
        { provide: POLICY, useValue: loadProfile(config.POLICY_PROFILE) },
        postgresHealthProvider(),
      ],
    };
  }
}

const config = loadConfigOrExit(schema, 'scoring');
void bootstrapService({
  service: 'scoring',
  module: ScoringModule.register(config),
  port: config.SCORING_PORT,
  logLevel: config.LOG_LEVEL,
  rpc: { natsUrl: config.NATS_URL, queue: namesFor(config.NAMESPACE).queues.scoring },
});
