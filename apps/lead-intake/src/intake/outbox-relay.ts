import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Names } from '@zs/contracts';
import { OutboxRepository, OutboxRow } from '@zs/persistence';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES, OUTBOX_SETTINGS } from '../tokens';
import { OutboxSubject } from './intake-context';

/**
 * Publishes what a committed decision wrote to the outbox (ledger events, office and unit
 * notices), right after the commit; a sweep picks up whatever a crash left unpublished. Message
 * ids are deterministic, so publishing twice is harmless (JetStream's duplicate window).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(OUTBOX_SETTINGS) private readonly settings: { sweepMs: number },
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.sweep(), this.settings.sweepMs);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  async publishIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await new OutboxRepository(this.ds.manager).byIds(ids);
    await this.publish(rows);
  }

  private async publish(rows: OutboxRow[]) {
    const done: string[] = [];
    for (const row of rows) {
      const subject = this.names.subjects[row.subjectKey as OutboxSubject];
      if (!subject) {
        this.logger.error({ subjectKey: row.subjectKey }, 'outbox entry with an unknown subject; left unpublished');
        continue;
      }
      await this.bus.publish(subject, row.payload, row.msgId);
      done.push(row.id);
    }
    await new OutboxRepository(this.ds.manager).markPublished(done);
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const rows = await new OutboxRepository(this.ds.manager).unpublished(this.settings.sweepMs, 200);
      if (rows.length) this.logger.info({ count: rows.length }, 'publishing outbox entries left by an earlier run');
      await this.publish(rows);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'outbox sweep failed; will retry');
    } finally {
      this.sweeping = false;
    }
  }
}
