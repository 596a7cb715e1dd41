import 'reflect-metadata';
import { z } from 'zod';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { namesFor } from '@zs/contracts';
import { dataSourceOptions, DB_POOL_SIZES } from '@zs/persistence';
import { baseConfigSchema, bootstrapService, loadConfigOrExit, loadConfiguredProfile, PlatformModule, portSchema, postgresHealthProvider } from '@zs/platform';
import { AccountabilityService } from './accountability/accountability.service';
import { DirectoryReader } from './directory/directory.reader';
import { ScoringOutbox } from './events/scoring-outbox';
import { FiguresService } from './figures/figures.service';
import { LeadEventsConsumer } from './read-model/lead-events.consumer';
import { LeadReadModel } from './read-model/lead-read-model';
import { NoticeSender } from './rankings/notice-sender';
import { RankingService } from './rankings/ranking.service';
import { RewardsService } from './rewards/rewards.service';
import { ScoringRpcController } from './rpc/scoring.rpc';
import { SheetsService } from './sheets/sheets.service';
import { DINGTALK_ROBOT_CODE, NAMES, POLICY } from './tokens';

/**
 * Scoring owns indicators, targets, period results, rankings (published versions), the
 * accountability ladder and rewards, all from the city's policy profile; it keeps its own read
 * model of the project ledger from the lead events.
 */
const schema = baseConfigSchema.extend({
  SCORING_PORT: portSchema.default(3102),
  /** DingTalk app robot for 1:1 notices (notification holds its secret); absent: WeCom app only */
  DINGTALK_ROBOT_CODE: z.string().trim().min(1).max(128).optional(),
  DINGTALK_CLIENT_ID: z.string().trim().min(1).max(128).optional(),
});

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
        { provide: POLICY, useValue: loadConfiguredProfile(config) },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: DINGTALK_ROBOT_CODE, useValue: config.DINGTALK_ROBOT_CODE ?? config.DINGTALK_CLIENT_ID ?? null },
        DirectoryReader,
        LeadReadModel,
        LeadEventsConsumer,
        FiguresService,
        NoticeSender,
        RankingService,
        ScoringOutbox,
        AccountabilityService,
        RewardsService,
        SheetsService,
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
