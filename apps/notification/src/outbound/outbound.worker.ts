import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NotifyChannel, NotifyRequest, NotifyTarget } from '@zs/contracts';
import { DeliveryLogRepository } from '@zs/persistence';
import { HealthRegistry, LOGGER } from '@zs/platform';
import { ChannelSender, describeTarget, PermanentSendError, RetryLaterError, TargetExpiredError } from '../channels/channel-sender';
import { WecomApiError } from '../wecom/wecom-api';
import { CHANNEL_SENDERS, OUTBOUND_QUEUE, OUTBOUND_SETTINGS, REDIS } from '../tokens';
import { BrokenChannels } from '../robots/broken-channels';
import { sendFailureResult, sendsTotal, throttleWaitSeconds } from './send-metrics';

export interface OutboundSettings {
  concurrency: number;
  prefix: string;
  lockMs: number;
}

interface JobProgress {
  parts?: number;
  /** Set once the primary target expired and the fallback is in use. */
  useFallback?: boolean;
  /** Times the job waited for a rate limit (ours or the platform's); recorded in the delivery log. */
  waits?: number;
}

/** A permanent failure that keeps its platform errcode for the delivery log. */
class PermanentFailure extends UnrecoverableError {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends queued messages. Each job is one logical message (deterministic job id from its
 * dedupKey); the delivery log is checked first, so a job that already went out is never
 * sent again, and multi-part progress is kept on the job so a retry resumes, not repeats.
 */
@Injectable()
export class OutboundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker?: Worker;
  private readonly log: DeliveryLogRepository;
  private readonly senders = new Map<NotifyChannel, ChannelSender>();

  constructor(
    ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OUTBOUND_QUEUE) private readonly queue: Queue,
    @Inject(OUTBOUND_SETTINGS) private readonly settings: OutboundSettings,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
    private readonly broken: BrokenChannels,
  ) {
    this.log = new DeliveryLogRepository(ds);
    for (const s of senders) this.senders.set(s.channel, s);
  }

  onApplicationBootstrap() {
    this.worker = new Worker(this.queue.name, (job, token) => this.process(job, token), {
      connection: this.redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: this.settings.prefix,
      concurrency: this.settings.concurrency,
      lockDuration: this.settings.lockMs,
      stalledInterval: this.settings.lockMs,
    });
    this.worker.on('failed', (job, err) => void this.onFailed(job, err));
    this.worker.on('error', (err) => this.logger.error({ err }, 'outbound worker error'));
    this.health.register('outbound-worker', async () => {
      if (!this.worker?.isRunning()) throw new Error('worker not running');
    });
  }

  async beforeApplicationShutdown() {
    // Finishes the jobs in progress, takes no new ones.
    await this.worker?.close();
  }

  async process(job: Job<NotifyRequest>, token?: string): Promise<string> {
    const req = job.data;
    const logged = await this.log.find(req.dedupKey);
    if (logged?.status === 'sent' || logged?.status === 'partial') return 'already-sent';
    const progress = (typeof job.progress === 'object' && job.progress ? job.progress : {}) as JobProgress;
    // Kept current as parts go out, so every later progress update carries the true count.
    let parts = progress.parts ?? 0;
    const target = progress.useFallback && req.fallback ? req.fallback : req.target;
    const sender = this.senders.get(target.channel);
    if (!sender) throw new UnrecoverableError(`channel ${target.channel} is not configured`);
    try {
      const r = await sender.send(target as never, { format: req.format, title: req.title, content: req.content, rich: req.rich, attachment: req.attachment }, {
        alreadySentParts: parts,
        attempt: job.attemptsMade + 1,
        dedupKey: req.dedupKey,
        onPartSent: async (sent) => {
          parts = sent;
          await job.updateProgress({ ...progress, parts });
        },
      });
      sendsTotal.inc({ channel: target.channel, result: r.partial ? 'partial' : 'sent' });
      await this.log.record({
        dedupKey: req.dedupKey,
        channel: target.channel,
        target: describeTarget(target),
        format: req.format,
        parts: r.parts,
        status: r.partial ? 'partial' : 'sent',
        errcode: 0,
        errmsg: r.note ?? null,
        attempts: job.attemptsMade + 1,
        rateLimitedWaits: progress.waits ?? 0,
        requestedAt: req.requestedAt,
      });
      await this.broken.onDelivered(target).catch((e) => this.logger.warn({ err: e }, 'could not clear a channel flag'));
      return 'sent';
    } catch (e) {
      sendsTotal.inc({ channel: target.channel, result: sendFailureResult(e) });
      if (e instanceof TargetExpiredError && req.fallback && !progress.useFallback) {
        // Same job, next attempt goes to the fallback from the first part.
        await job.updateProgress({ ...progress, useFallback: true, parts: 0 });
        throw e;
      }
      if (e instanceof TargetExpiredError) {
        // Expired and nothing (left) to fall back to: retrying the same target cannot succeed.
        throw new UnrecoverableError(`target expired and no fallback: ${e.message}`);
      }
      if (e instanceof RetryLaterError && token) {
        // Rate limited: wait without spending one of the job's attempts.
        throttleWaitSeconds.observe({ channel: target.channel, by: e.by }, e.delayMs / 1000);
        await job.updateProgress({ ...progress, parts, waits: (progress.waits ?? 0) + 1 });
        await job.moveToDelayed(Date.now() + e.delayMs, token);
        throw new DelayedError();
      }
      if (e instanceof PermanentSendError) {
        await this.broken
          .onPermanentError(req, target, e)
          .catch((err) => this.logger.error({ err, dedupKey: req.dedupKey }, 'could not mark a broken channel or alert administrators'));
        throw new PermanentFailure(e.errcode, `errcode ${e.errcode}: ${e.message}`);
      }
      throw e;
    }
  }

  private async onFailed(job: Job<NotifyRequest> | undefined, err: Error) {
    if (!job || err instanceof DelayedError) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const errcode = err instanceof WecomApiError || err instanceof PermanentFailure ? err.errcode : null;
    this.logger[final ? 'error' : 'warn'](
      { dedupKey: job.data.dedupKey, attempt: job.attemptsMade, errcode, err: { message: err.message } },
      final ? 'message could not be delivered' : 'send failed; will retry',
    );
    if (!final) return;
    const progress = (typeof job.progress === 'object' && job.progress ? job.progress : {}) as JobProgress;
    const t: NotifyTarget = progress.useFallback && job.data.fallback ? job.data.fallback : job.data.target;
    await this.log
      .record({
        dedupKey: job.data.dedupKey,
        channel: t.channel,
        target: describeTarget(t),
        format: job.data.format,
        parts: progress.parts ?? 0,
        status: 'failed',
        errcode,
        errmsg: err.message.slice(0, 500),
        attempts: job.attemptsMade,
        rateLimitedWaits: progress.waits ?? 0,
        requestedAt: job.data.requestedAt,
      })
      .catch((e) => this.logger.error({ err: e }, 'could not record a failed delivery'));
  }
}
