import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Names, NotifyRequest } from '@zs/contracts';
import { CONSUMER_MAX_DELIVER, DETERMINISTIC_FAILURE_ATTEMPTS, DeterministicFailure, ensureMeshStreams, JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES, OUTBOUND_ATTEMPTS, OUTBOUND_QUEUE, OUTBOUND_SETTINGS } from '../tokens';
import type { OutboundSettings } from './outbound.worker';

/** BullMQ forbids ':' in custom job ids; dedup keys use it as a separator. */
export const jobIdFor = (dedupKey: string) => dedupKey.replace(/:/g, '|');

/**
 * Moves send requests from JetStream into the outbound queue. The JetStream message is
 * acked only once the job is stored; the job id derived from dedupKey makes a
 * redelivered request a no-op.
 */
@Injectable()
export class NotifyConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: JetStreamBus,
    @Inject(OUTBOUND_QUEUE) private readonly queue: Queue,
    @Inject(OUTBOUND_ATTEMPTS) private readonly attempts: number,
    @Inject(OUTBOUND_SETTINGS) private readonly settings: OutboundSettings,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    await ensureMeshStreams(this.bus, this.names);
    await this.bus.consume<unknown>({
      stream: this.names.streams.notify.name,
      durable: this.names.durables.notificationSend,
      filterSubject: this.names.subjects.notifySend,
      maxDeliver: CONSUMER_MAX_DELIVER, // with the capped backoff: about 16 hours of outage (retry-policy.ts)
      ackWaitMs: this.settings.lockMs,
      concurrency: 32,
      // A request that can never be sent (it fails the contract, e.g. `@all` as a recipient) is kept
      // in the dead-letter stream with its reason, for GET /api/dead-letters, instead of vanishing.
      deadLetter: { subject: this.names.subjects.deadLetter(this.names.durables.notificationSend), afterDeterministicFailures: DETERMINISTIC_FAILURE_ATTEMPTS },
      handler: async (raw) => {
        const parsed = NotifyRequest.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new DeterministicFailure(`send request failed validation: ${issue?.path.join('.')} ${issue?.message}`);
        }
        await this.queue.add('send', parsed.data, {
          jobId: jobIdFor(parsed.data.dedupKey),
          attempts: this.attempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: { age: 24 * 3600, count: 50_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
      },
    });
  }
}
