import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadProfile } from '@zs/domain';
import { namesFor } from '@zs/contracts';
import { dataSourceOptions } from '@zs/persistence';
import { PlatformModule, postgresHealthProvider } from '@zs/platform';
import { LeadIntakeConfig } from './config';
import { INBOUND_SETTINGS, NAMES, POLICY } from './tokens';
import { InboundMessageProcessor } from './inbound/inbound-message.processor';
import { InboundConsumer } from './inbound/inbound.consumer';
import { DeadLetterAlert } from './inbound/dead-letter-alert';
import { DirectoryRpcController } from './rpc/directory.rpc';
import { LeadsRpcController } from './rpc/leads.rpc';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { SCHEDULER_CLIENT, SCHEDULER_TIMEOUT_MS, ScheduleChatForwarder } from './schedule-chat/schedule-chat.forwarder';

@Module({})
export class LeadIntakeModule {
  static register(config: LeadIntakeConfig): DynamicModule {
    return {
      module: LeadIntakeModule,
      imports: [
        PlatformModule.forRoot('lead-intake', config),
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL, `${config.NAMESPACE}-lead-intake`, config.DB_POOL_SIZE)),
      ],
      controllers: [DirectoryRpcController, LeadsRpcController],
      providers: [
        { provide: POLICY, useValue: loadProfile(config.POLICY_PROFILE) },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: INBOUND_SETTINGS, useValue: { concurrency: config.INBOUND_CONCURRENCY, ackWaitMs: config.INBOUND_ACK_WAIT_MS } },
        InboundMessageProcessor,
        // Scheduler chat commands, forwarded over NATS (see schedule-chat/).
        {
          provide: SCHEDULER_CLIENT,
          useFactory: async () => {
            const client = ClientProxyFactory.create({
              transport: Transport.NATS,
              options: { servers: config.NATS_URL.split(','), name: `${config.NAMESPACE}-lead-intake-scheduler-client`, maxReconnectAttempts: -1 },
            }) as ClientProxy;
            await client.connect();
            return client;
          },
        },
        { provide: SCHEDULER_TIMEOUT_MS, useValue: config.NATS_REQUEST_TIMEOUT_MS },
        ScheduleChatForwarder,
        InboundConsumer,
        DeadLetterAlert,
        postgresHealthProvider(),
      ],
    };
  }
}
