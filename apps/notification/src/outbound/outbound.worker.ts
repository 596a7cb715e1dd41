import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NotifyRequest } from '@zs/contracts';
import { DeliveryLogRepository } from '@zs/persistence';
import { HealthRegistry, LOGGER } from '@zs/platform';
import { PermanentSendError, WecomAppSender } from '../wecom/wecom-app.sender';
import { WecomApiError } from '../wecom/wecom-api';
import { OUTBOUND_QUEUE, OUTBOUND_SETTINGS, REDIS, WECOM_APP_SENDER } from '../tokens';

export interface OutboundSettings {
  concurrency: number;
  prefix: string;
  lockMs: number;
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

  constructor(
    ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OUTBOUND_QUEUE) private readonly queue: Queue,
    @Inject(OUTBOUND_SETTINGS) private readonly settings: OutboundSettings,
    @Inject(WECOM_APP_SENDER) private readonly wecomApp: WecomAppSender | null,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {
    this.log = new DeliveryLogRepository(ds);
  }

  onApplicationBootstrap() {
    this.worker = new Worker(this.queue.name, (job) => this.process(job), {
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

  async process(job: Job<NotifyRequest>): Promise<string> {
    const req = job.data;
    const logged = await this.log.find(req.dedupKey);
    if (logged?.status === 'sent') return 'already-sent';
    const target = req.target;
    if (target.channel !== 'wecom-app') throw new UnrecoverableError(`channel ${target.channel} is not configured`);
    if (!this.wecomApp) throw new UnrecoverableError('WeCom app messages are not configured');
    const alreadySent = typeof job.progress === 'object' && job.progress ? Number((job.progress as { parts?: number }).parts ?? 0) : 0;
    try {
      const r = await this.wecomApp.send(target.userIds, req.format, req.content, {
        alreadySent,
        onPartSent: (parts) => job.updateProgress({ parts }),
      });
      await this.log.record({
        dedupKey: req.dedupKey,
        channel: target.channel,
        target: target.userIds.join('|'),
        format: req.format,
        parts: r.parts,
        status: r.invalidUsers.length ? 'partial' : 'sent',
        errcode: 0,
        errmsg: r.invalidUsers.length ? `invalid users: ${r.invalidUsers.join('|')}` : null,
        attempts: job.attemptsMade + 1,
      });
      return 'sent';
    } catch (e) {
      if (e instanceof PermanentSendError) throw new UnrecoverableError(`WeCom errcode ${e.errcode}: ${e.message}`);
      throw e;
    }
  }

  private async onFailed(job: Job<NotifyRequest> | undefined, err: Error) {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const errcode = err instanceof WecomApiError ? err.errcode : null;
    this.logger[final ? 'error' : 'warn'](
      { dedupKey: job.data.dedupKey, attempt: job.attemptsMade, errcode, err: { message: err.message } },
      final ? 'message could not be delivered' : 'send failed; will retry',
    );
    if (!final) return;
    const t = job.data.target;
    await this.log
      .record({
        dedupKey: job.data.dedupKey,
        channel: t.channel,
        target: t.channel === 'wecom-app' ? t.userIds.join('|') : t.robotKey,
        format: job.data.format,
        parts: 0,
        status: 'failed',
        errcode,
        errmsg: err.message.slice(0, 500),
        attempts: job.attemptsMade,
      })
      .catch((e) => this.logger.error({ err: e }, 'could not record a failed delivery'));
  }
}
