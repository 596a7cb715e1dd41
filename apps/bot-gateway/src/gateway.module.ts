import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { namesFor } from '@zs/contracts';
import { PlatformModule } from '@zs/platform';
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
import { DingtalkModule } from './dingtalk/dingtalk.module';
import { WecomAibotModule } from './wecom-aibot/wecom-aibot.module';

/** Closes the NATS request/reply client with the application. */
class MeshClientCloser implements OnApplicationShutdown {
  constructor(@Inject(MESH_CLIENT) private readonly client: ClientProxy) {}
  async onApplicationShutdown() {
    await this.client.close();
  }
}

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [PlatformModule.forRoot('bot-gateway', config), DingtalkModule.register(config), WecomAibotModule.register(config)],
      controllers: [WecomCallbackController, UnitsController, MemberAdminController, MembersController, LedgerController, LeadsController, RobotsController],
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
        {
          provide: MESH_CLIENT,
          useFactory: async () => {
            const client = ClientProxyFactory.create({
              transport: Transport.NATS,
              options: { servers: config.NATS_URL.split(','), name: `${config.NAMESPACE}-bot-gateway-client`, maxReconnectAttempts: -1 },
            }) as ClientProxy;
            await client.connect();
            return client;
          },
        },
        MeshClientCloser,
        MeshClient,
        InboundPublisher,
        AdminAuthGuard,
      ],
    };
  }
}
