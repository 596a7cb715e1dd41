import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LeadRegisteredEvent, LeadSnapshot, Names } from '@zs/contracts';
import { ensureMeshStreams, HealthRegistry, JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES } from '../tokens';
import { LeadReadModel } from './lead-read-model';

/**
 * Feeds the read model from the lead events on the EVENTS stream (registered, stage changed,
 * transferred, updated). Acks after the upsert; a redelivery or a duplicate is a no-op.
 */
@Injectable()
export class LeadEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: JetStreamBus,
    private readonly model: LeadReadModel,
    private readonly health: HealthRegistry,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    await ensureMeshStreams(this.bus, this.names);
    const ns = this.names.subjects.leadRegistered.split('.events.')[0];
    let running = false;
    await this.bus.consume<Record<string, unknown>>({
      stream: this.names.streams.events.name,
      durable: this.names.durables.scoringEvents,
      filterSubject: `${ns}.events.lead.>`,
      maxDeliver: 200,
      ackWaitMs: 30000,
      concurrency: 8,
      handler: async (raw, meta) => {
        if (raw && typeof raw === 'object' && 'lead' in raw) {
          const lead = LeadSnapshot.safeParse(raw.lead);
          if (!lead.success) {
            this.logger.error({ subject: meta.subject, issues: lead.error.issues }, 'lead event failed validation; dropped');
            return;
          }
          await this.model.upsertSnapshot(lead.data);
          return;
        }
        const registered = LeadRegisteredEvent.safeParse(raw);
        if (!registered.success) {
          this.logger.error({ subject: meta.subject, issues: registered.error.issues }, 'lead event failed validation; dropped');
          return;
        }
        await this.model.upsertRegistered(registered.data);
      },
    });
    running = true;
    this.health.register('lead-events-consumer', async () => {
      if (!running) throw new Error('not consuming');
    });
  }
}
