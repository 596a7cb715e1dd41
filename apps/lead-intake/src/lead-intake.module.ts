import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Names, namesFor } from '@zs/contracts';
import { dataSourceOptions, OutboxRepository } from '@zs/persistence';
import { JetStreamBus, loadConfiguredProfile, LOGGER, meshClientProviders, OutboxRelay, outboxRelaySubjects, PlatformModule, postgresHealthProvider } from '@zs/platform';
import { LeadIntakeConfig } from './config';
import { INBOUND_SETTINGS, INTAKE_SETTINGS, NAMES, OUTBOX_SETTINGS, POLICY } from './tokens';
import { CommandRouter } from './intake/command-router';
import { EvidenceAttacher } from './intake/evidence-attacher';
import { LedgerService } from './intake/ledger.service';
import { LEDGER_OUTBOX_SUBJECTS } from './intake/intake-context';
import { LedgerRpcController } from './rpc/ledger.rpc';
import { MemberAdminRpcController } from './rpc/member-admin.rpc';
import { InboundMessageProcessor } from './inbound/inbound-message.processor';
import { InboundConsumer } from './inbound/inbound.consumer';
import { DeadLetterAlert } from './inbound/dead-letter-alert';
import { DirectoryRpcController } from './rpc/directory.rpc';
import { LeadsRpcController } from './rpc/leads.rpc';
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
      controllers: [DirectoryRpcController, LeadsRpcController, LedgerRpcController, MemberAdminRpcController],
      providers: [
        { provide: POLICY, useValue: loadConfiguredProfile(config) },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        { provide: INBOUND_SETTINGS, useValue: { concurrency: config.INBOUND_CONCURRENCY, ackWaitMs: config.INBOUND_ACK_WAIT_MS } },
        {
          provide: INTAKE_SETTINGS,
          useValue: {
            conversationTtlSeconds: config.INTAKE_CONVERSATION_TTL_S,
            similarityThreshold: config.FIRST_CONTACT_SIMILARITY,
            evidenceWindowMinutes: config.EVIDENCE_WINDOW_MIN,
          },
        },
        { provide: OUTBOX_SETTINGS, useValue: { sweepMs: config.OUTBOX_SWEEP_MS } },
        CommandRouter,
        {
          // The ledger outbox (`ledger_outbox`): published after each commit, swept for what a crash left.
          provide: OutboxRelay,
          inject: [DataSource, JetStreamBus, NAMES, OUTBOX_SETTINGS, LOGGER],
          useFactory: (ds: DataSource, bus: JetStreamBus, names: Names, settings: { sweepMs: number }, logger: Logger) =>
            new OutboxRelay(bus, logger, {
              store: () => new OutboxRepository(ds.manager),
              subjects: outboxRelaySubjects(names.subjects, LEDGER_OUTBOX_SUBJECTS),
              sweepMs: settings.sweepMs,
              onPublishFailure: 'throw',
            }),
        },
        EvidenceAttacher,
        LedgerService,
        InboundMessageProcessor,
        // Scheduler chat commands, forwarded over NATS (see schedule-chat/).
        ...meshClientProviders(SCHEDULER_CLIENT, { natsUrl: config.NATS_URL, namespace: config.NAMESPACE, service: 'lead-intake', purpose: 'scheduler-client' }),
        { provide: SCHEDULER_TIMEOUT_MS, useValue: config.NATS_REQUEST_TIMEOUT_MS },
        ScheduleChatForwarder,
        InboundConsumer,
        DeadLetterAlert,
        postgresHealthProvider(),
      ],
    };
  }
}
