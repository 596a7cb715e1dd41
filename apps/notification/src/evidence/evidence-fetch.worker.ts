import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { EvidenceFileStore, PgEvidenceFileStore } from '@zs/persistence';
import { HealthRegistry, LOGGER } from '@zs/platform';
import { BullQueueName } from '@zs/contracts';
import { watchQueueDepth } from '../outbound/queue-metrics';
import { REDIS } from '../tokens';
import { EvidenceMediaSource, MediaPermanentError, MediaTooLargeError } from './media-sources';

export const EVIDENCE_SETTINGS = Symbol('EVIDENCE_SETTINGS');
export const EVIDENCE_SOURCES = Symbol('EVIDENCE_SOURCES');

export interface EvidenceFetchSettings {
  prefix: string;
  /** Largest file kept, bytes. */
  maxBytes: number;
  attempts: number;
  /** First retry delay; doubles each attempt. */
  backoffMs: number;
  /** How often pending evidence rows are looked for and queued. */
  sweepMs: number;
  concurrency: number;
}

/**
 * Fetches the bytes of evidence (an image or file attached to a stage change) through the
 * platform's media API and keeps them in the EvidenceFileStore.
 *
 * lead-intake records the reference in its `lead_evidence` in the same transaction as its answer.
 * This service owns the fetch (ADR 0026): each sweep enlists the references it has not seen, read
 * through lead-intake's view `evidence_refs_v`, as 'pending' rows of its own `evidence_fetches`,
 * and queues one BullMQ job per pending row (job id `evidence-<id>`, so a row is queued once
 * however often it is swept); the job retries with exponential backoff (WeCom -1 system busy,
 * timeouts, 5xx), stops at once on a permanent answer (unknown/expired media id) or a file over
 * the limit, and marks the row 'failed' after its last attempt. A crash loses nothing: the row
 * stays 'pending' (or not yet enlisted) and the job stays in Redis.
 */
@Injectable()
export class EvidenceFetchWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private queue?: Queue;
  private worker?: Worker;
  private timer?: NodeJS.Timeout;
  private unwatchDepth?: () => void;
  private sweeping = false;
  private readonly store: EvidenceFileStore;
  private readonly sources = new Map<string, EvidenceMediaSource>();

  constructor(
    ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVIDENCE_SETTINGS) private readonly settings: EvidenceFetchSettings,
    @Inject(EVIDENCE_SOURCES) sources: EvidenceMediaSource[],
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {
    this.store = new PgEvidenceFileStore(ds);
    for (const s of sources) this.sources.set(s.platform, s);
  }

  onApplicationBootstrap() {
    const name: BullQueueName = 'evidence-fetch';
    this.queue = new Queue(name, { connection: this.redis, prefix: this.settings.prefix });
    // Its depth at /metrics and in Bull Board, like the outbound queue's.
    this.unwatchDepth = watchQueueDepth(this.queue);
    this.worker = new Worker(name, (job) => this.process(job), {
      connection: this.redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: this.settings.prefix,
      concurrency: this.settings.concurrency,
    });
    this.worker.on('failed', (job, err) => void this.onFailed(job, err));
    this.worker.on('error', (err) => this.logger.error({ err }, 'evidence fetch worker error'));
    this.health.register('evidence-fetch-worker', async () => {
      if (!this.worker?.isRunning()) throw new Error('worker not running');
    });
    this.timer = setInterval(() => void this.sweep(), this.settings.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    this.unwatchDepth?.();
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Enlists new references and queues every pending row not queued yet (the job id makes a second add a no-op). */
  async sweep(): Promise<number> {
    if (this.sweeping || !this.queue) return 0;
    this.sweeping = true;
    try {
      await this.store.enlist(500);
      await this.store.failExhausted(this.settings.attempts);
      const ids = await this.store.pendingIds(200);
      for (const id of ids) {
        await this.queue.add(
          'fetch',
          { id },
          {
            jobId: `evidence-${id}`,
            attempts: this.settings.attempts,
            backoff: { type: 'exponential', delay: this.settings.backoffMs },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        );
      }
      return ids.length;
    } catch (err) {
      this.logger.warn({ err }, 'evidence sweep failed; next sweep retries');
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  async process(job: Job<{ id: string }>): Promise<string> {
    const task = await this.store.startAttempt(job.data.id);
    if (!task || task.status !== 'pending') return 'nothing-to-do';
    const source = this.sources.get(task.platform);
    if (!source) {
      await this.store.giveUp(task.id, 'unsupported', `no media API configured for ${task.platform}`);
      return 'unsupported';
    }
    try {
      const media = await source.fetch({ mediaId: task.mediaId, botId: task.botId }, this.settings.maxBytes);
      if (media.bytes.length === 0) throw new Error('the platform answered an empty file');
      await this.store.store(task.id, { bytes: media.bytes, contentType: media.contentType, fileName: media.fileName ?? null });
      this.logger.info({ evidenceId: task.id, platform: task.platform, bytes: media.bytes.length }, 'evidence stored');
      return 'stored';
    } catch (e) {
      if (e instanceof MediaTooLargeError) {
        await this.store.giveUp(task.id, 'too-large', e.message);
        throw new UnrecoverableError(e.message);
      }
      if (e instanceof MediaPermanentError) {
        await this.store.giveUp(task.id, 'failed', e.message);
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
  }

  private async onFailed(job: Job<{ id: string }> | undefined, err: Error): Promise<void> {
    if (!job) return;
    const last = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError || err.name === 'UnrecoverableError';
    this.logger.warn({ evidenceId: job.data.id, attempt: job.attemptsMade, err: err.message }, last ? 'evidence fetch gave up' : 'evidence fetch failed; retrying');
    if (last) await this.store.giveUp(job.data.id, 'failed', err.message).catch((e) => this.logger.error({ err: e }, 'could not mark evidence failed'));
  }
}
