import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Names } from '@zs/contracts';
import { ScoringOutboxRepository } from '@zs/persistence';
import { JetStreamBus, LOGGER, OutboxRelay, outboxRelaySubjects } from '@zs/platform';
import { NAMES } from '../tokens';

/** The subjects scoring writes to its outbox (keys of namesFor().subjects). */
const SCORING_OUTBOX_SUBJECTS = ['accountabilityRaised', 'accountabilityHeld'] as const;
export type ScoringOutboxSubject = (typeof SCORING_OUTBOX_SUBJECTS)[number];

const SWEEP_MS = 5000;

/**
 * Scoring's events written in the transaction of the change that caused them (`scoring_outbox`),
 * published right after the commit by the shared relay (`OutboxRelay`, libs/platform), whose
 * sweep publishes whatever a crash left behind. A failed publish after the commit is logged and
 * left to the sweep. Message ids are deterministic, so a second publish is dropped by JetStream's
 * duplicate window and by the consumer's own keys.
 */
@Injectable()
export class ScoringOutbox extends OutboxRelay {
  constructor(ds: DataSource, bus: JetStreamBus, @Inject(NAMES) names: Names, @Inject(LOGGER) logger: Logger) {
    super(bus, logger, {
      store: () => new ScoringOutboxRepository(ds.manager),
      subjects: outboxRelaySubjects(names.subjects, SCORING_OUTBOX_SUBJECTS),
      sweepMs: SWEEP_MS,
      onPublishFailure: 'leave-to-sweep',
    });
  }

  /** Inside the caller's transaction: the event is committed with the change or not at all. */
  add(em: EntityManager, subject: ScoringOutboxSubject, msgId: string, payload: unknown): Promise<string | null> {
    return new ScoringOutboxRepository(em).add(subject, msgId, payload);
  }
}
