import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';

/** One outbox entry as the relay reads it (libs/persistence `OutboxRow` has this shape). */
export interface OutboxRelayEntry {
  id: string;
  subjectKey: string;
  msgId: string;
  payload: unknown;
}

/** What the relay needs of an outbox table (libs/persistence `TableOutbox` provides it). */
export interface OutboxRelayStore {
  byIds(ids: string[]): Promise<OutboxRelayEntry[]>;
  unpublished(olderThanMs: number, limit: number): Promise<OutboxRelayEntry[]>;
  markPublished(ids: string[]): Promise<void>;
}

/** What the relay needs of the bus (`JetStreamBus` provides it). */
export interface OutboxRelayBus {
  publish(subject: string, payload: unknown, msgId: string): Promise<unknown>;
}

export interface OutboxRelayOptions {
  /** A store on the service's own outbox table, outside any transaction (e.g. `() => new OutboxRepository(ds.manager)`). */
  store: () => OutboxRelayStore;
  /** Subject key written in the outbox -> NATS subject: the keys the service writes (see `outboxRelaySubjects`). */
  subjects: Readonly<Record<string, string>>;
  /** How often the sweep runs; also the age an entry must reach before the sweep takes it. */
  sweepMs: number;
  /**
   * What `publishIds` does when publishing right after the commit fails: `throw` hands the error
   * to the caller (lead-intake: the inbound message is redelivered); `leave-to-sweep` logs a
   * warning and leaves the entries to the sweep (scoring).
   */
  onPublishFailure: 'throw' | 'leave-to-sweep';
}

/**
 * The subject map of a relay: the given keys of `namesFor(ns).subjects` (type-checked: every key
 * the service writes to its outbox must name a plain subject there).
 */
export function outboxRelaySubjects<K extends string>(subjects: { readonly [P in K]: string }, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, subjects[k]])) as Record<K, string>;
}

/** Entries the sweep takes per run. */
const OUTBOX_RELAY_SWEEP_BATCH = 200;

/**
 * Publishes what a committed transaction wrote to a service's outbox, right after the commit; a
 * sweep publishes whatever a crash left unpublished. Message ids are deterministic, so publishing
 * twice is harmless (JetStream's duplicate window and the consumers' own keys). One relay for
 * every outbox table: lead-intake (`ledger_outbox`) and scoring (`scoring_outbox`) construct it
 * with their own store, subjects and sweep interval.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly bus: OutboxRelayBus,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.sweep(), this.options.sweepMs);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  /** After the commit: publish these entries now (the sweep retries any left unpublished). */
  async publishIds(ids: (string | null)[]): Promise<void> {
    const wanted = ids.filter((x): x is string => !!x);
    if (wanted.length === 0) return;
    try {
      await this.publish(await this.options.store().byIds(wanted));
    } catch (e) {
      if (this.options.onPublishFailure === 'throw') throw e;
      this.logger.warn({ err: (e as Error).message }, 'outbox publish failed; the sweep will retry');
    }
  }

  private async publish(rows: OutboxRelayEntry[]) {
    const done: string[] = [];
    for (const row of rows) {
      const subject = this.options.subjects[row.subjectKey];
      if (!subject) {
        this.logger.error({ subjectKey: row.subjectKey }, 'outbox entry with an unknown subject; left unpublished');
        continue;
      }
      await this.bus.publish(subject, row.payload, row.msgId);
      done.push(row.id);
    }
    await this.options.store().markPublished(done);
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const rows = await this.options.store().unpublished(this.options.sweepMs, OUTBOX_RELAY_SWEEP_BATCH);
      if (rows.length) this.logger.info({ count: rows.length }, 'publishing outbox entries left by an earlier run');
      await this.publish(rows);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'outbox sweep failed; will retry');
    } finally {
      this.sweeping = false;
    }
  }
}
