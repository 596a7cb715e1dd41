import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { BULL_QUEUE_NAMES, bullPrefix, Names } from '@zs/contracts';
import { CONFIG, LOGGER } from '@zs/platform';
import type { GatewayConfig } from '../config';
import { NAMES } from '../tokens';

/** Where Bull Board is served; its pages and API calls are all under this path. */
export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board (the BullMQ dashboard operators expect) over the mesh's queues. The notification
 * service owns the queues; the gateway opens them by name (same Redis, same prefix), so the
 * board sits behind the admin sign-in with the rest of the administrator's pages.
 *
 * Built on the first signed-in request, not at boot: a gateway whose Redis is away starts and
 * answers callbacks as before, and no Redis connection is held for a board nobody opens. Bull
 * Board's modules are loaded then too (about 9 MB resident and 0.1 s of boot otherwise).
 */
@Injectable()
export class QueueBoard implements OnApplicationShutdown {
  private built?: { handler: RequestHandler; redis: Redis; queues: Queue[] };
  private building?: Promise<RequestHandler>;

  constructor(
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Serves a request whose path starts with QUEUE_BOARD_PATH (the caller has checked the sign-in). */
  async handle(req: Request, res: Response, next: NextFunction): Promise<void> {
    const board = this.built?.handler ?? (await (this.building ??= this.build()));
    // The board's express app routes on the path below its mount point.
    req.url = req.originalUrl.slice(QUEUE_BOARD_PATH.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    board(req, res, next);
  }

  private async build(): Promise<RequestHandler> {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    // One try per command: the board answers an error at once when Redis is away, rather than hang.
    const redis = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3000 });
    redis.on('error', (e) => this.logger.debug({ err: { message: e.message } }, 'queue board redis error'));
    const queues = BULL_QUEUE_NAMES.map((name) => {
      const q = new Queue(name, { connection: redis, prefix: bullPrefix(this.names) });
      q.on('error', (e) => this.logger.debug({ err: { message: e.message }, queue: name }, 'queue board queue error'));
      return q;
    });
    const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q)),
      serverAdapter,
      options: { uiConfig: { boardTitle: '招商引资 队列' } },
    });
    const handler = serverAdapter.getRouter() as RequestHandler;
    this.built = { handler, redis, queues };
    return handler;
  }

  async onApplicationShutdown() {
    if (!this.built) return;
    await Promise.all(this.built.queues.map((q) => q.close().catch(() => undefined)));
    await this.built.redis.quit().catch(() => undefined);
  }
}
