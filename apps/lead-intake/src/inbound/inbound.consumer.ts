import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { InboundChatMessage, Names } from '@zs/contracts';
import { CONSUMER_MAX_DELIVER, DETERMINISTIC_FAILURE_ATTEMPTS, DeterministicFailure, ensureMeshStreams, HealthRegistry, JetStreamBus, LOGGER } from '@zs/platform';
import { INBOUND_SETTINGS, NAMES } from '../tokens';
import { InboundMessageProcessor } from './inbound-message.processor';
import { DeadLetterAlert } from './dead-letter-alert';

/** Pulls accepted chat messages from JetStream; acks only after the processor committed. */
@Injectable()
export class InboundConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: JetStreamBus,
    private readonly processor: InboundMessageProcessor,
    private readonly deadLetters: DeadLetterAlert,
    private readonly health: HealthRegistry,
    @Inject(NAMES) private readonly names: Names,
    @Inject(INBOUND_SETTINGS) private readonly settings: { concurrency: number; ackWaitMs: number },
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    await ensureMeshStreams(this.bus, this.names);
    let running = false;
    await this.bus.consume<unknown>({
      stream: this.names.streams.chatInbound.name,
      durable: this.names.durables.leadIntakeInbound,
      filterSubject: this.names.subjects.chatInboundAll,
      maxDeliver: CONSUMER_MAX_DELIVER, // with the capped backoff: about 16 hours of outage (retry-policy.ts)
      ackWaitMs: this.settings.ackWaitMs,
      concurrency: this.settings.concurrency,
      // A message that fails for a reason retrying cannot fix (bad data, a CHECK, a schema) is
      // dead-lettered after a few seconds, the sender told and the administrators alerted; an
      // outage still gets the full redelivery budget above.
      deadLetter: {
        subject: this.names.subjects.deadLetter(this.names.durables.leadIntakeInbound),
        afterDeterministicFailures: DETERMINISTIC_FAILURE_ATTEMPTS,
        onDeadLettered: (letter, payload) => this.deadLetters.onInboundDeadLettered(letter, payload),
      },
      handler: async (raw) => {
        const parsed = InboundChatMessage.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new DeterministicFailure(`inbound message failed validation: ${issue?.path.join('.')} ${issue?.message}`);
        }
        await this.processor.process(parsed.data);
      },
    });
    running = true;
    this.health.register('inbound-consumer', async () => {
      if (!running) throw new Error('not consuming');
    });
  }
}
