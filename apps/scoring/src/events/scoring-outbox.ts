import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Names } from '@zs/contracts';
import { OutboxRow, ScoringOutboxRepository } from '@zs/persistence';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES } from '../tokens';

/** The subjects scoring writes to its outbox (keys of namesFor().subjects). */
export type ScoringOutboxSubject = 'accountabilityRaised' | 'accountabilityHeld';

const SWEEP_MS = 5000;

/**
 * Scoring's events written in the transaction of the change that caused them (`scoring_outbox`),
 * published right after the commit; a sweep publishes whatever a crash left behind. Message ids
 * are deterministic, so a second publish is dropped by JetStream's duplicate window and by the
 * consumer's own keys.
 */
@Injectable()
export class ScoringOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  /** Inside the caller's transaction: the event is committed with the change or not at all. */
  add(em: EntityManager, subject: ScoringOutboxSubject, msgId: string, payload: unknown): Promise<string | null> {
    return new ScoringOutboxRepository(em).add(subject, msgId, payload);
  }

  /** After the commit: publish these entries now (the sweep retries any that fail). */
  async publishIds(ids: (string | null)[]): Promise<void> {
    const wanted = ids.filter((x): x is string => !!x);
    if (!wanted.length) return;
    try {
      await this.publish(await new ScoringOutboxRepository(this.ds.manager).byIds(wanted));
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'outbox publish failed; the sweep will retry');
    }
  }

  private async publish(rows: OutboxRow[]) {
    const done: string[] = [];
    for (const row of rows) {
      const subject = this.names.subjects[row.subjectKey as ScoringOutboxSubject];
      if (!subject) {
        this.logger.error({ subjectKey: row.subjectKey }, 'outbox entry with an unknown subject; left unpublished');
        continue;
      }
      await this.bus.publish(subject, row.payload, row.msgId);
      done.push(row.id);
    }
    await new ScoringOutboxRepository(this.ds.manager).markPublished(done);
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const rows = await new ScoringOutboxRepository(this.ds.manager).unpublished(SWEEP_MS, 200);
      if (rows.length) this.logger.info({ count: rows.length }, 'publishing outbox entries left by an earlier run');
      await this.publish(rows);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'outbox sweep failed; will retry');
    } finally {
      this.sweeping = false;
    }
  }
}
