import { DynamicModule, Module } from '@nestjs/common';
import { namesFor } from '@zs/contracts';
import { meshClientProviders, PlatformModule } from '@zs/platform';
import { WecomCrypto } from '@zs/channels';
import { GatewayConfig, wecomAppEnabled } from './config';
import { ADMIN_TOKEN, MESH_CLIENT, NAMES, RPC_TIMEOUT_MS, WECOM_APP_CRYPTO } from './tokens';
import { InboundPublisher } from './inbound/inbound-publisher';
import { WecomCallbackController } from './wecom/wecom-callback.controller';
import { MeshClient } from './admin/mesh-client';
import { UnitsController } from './admin/units.controller';
import { MembersController } from './admin/members.controller';
import { LeadsController } from './admin/leads.controller';
import { LedgerController } from './admin/ledger.controller';
import { MemberAdminController } from './admin/member-admin.controller';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { RobotsController } from './admin/robots.controller';
import { DeadLettersController } from './admin/dead-letters.controller';
import { ScoringController } from './admin/scoring.controller';
import { SchedulesController } from './admin/schedules.controller';
import { TripsController } from './admin/trips.controller';
import { QueueBoardController } from './admin/queue-board.controller';
import { QueueBoard } from './admin/queue-board';
import { DingtalkModule } from './dingtalk/dingtalk.module';
import { WecomAibotModule } from './wecom-aibot/wecom-aibot.module';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot('bot-gateway', config), DingtalkModule.register(config), WecomAibotModule.register(config)],
      controllers: [WecomCallbackController, UnitsController, MemberAdminController, MembersController, LedgerController, LeadsController, RobotsController, DeadLettersController, ScoringController, SchedulesController, TripsController, QueueBoardController],
      providers: [
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: ADMIN_TOKEN, useValue: config.ADMIN_TOKEN },
        { provide: RPC_TIMEOUT_MS, useValue: config.NATS_REQUEST_TIMEOUT_MS },
        {
          provide: WECOM_APP_CRYPTO,
          useValue: wecomAppEnabled(config)
            ? { crypto: new WecomCrypto(config.WECOM_TOKEN!, config.WECOM_ENCODING_AES_KEY!, config.WECOM_CORP_ID!), agentId: config.WECOM_AGENT_ID }
            : null,
        },
        ...meshClientProviders(MESH_CLIENT, { natsUrl: config.NATS_URL, namespace: config.NAMESPACE, service: 'bot-gateway', purpose: 'client' }),
        MeshClient,
        InboundPublisher,
        AdminAuthGuard,
        QueueBoard,
      ],
    };
  }
}
