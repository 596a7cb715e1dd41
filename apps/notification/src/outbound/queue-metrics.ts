import type { Queue } from 'bullmq';
import { gauge } from '@zs/platform';

/** The job states an operator watches: a growing `waiting` or `delayed` is a backlog, `failed` are given up. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'paused', 'waiting-children'] as const;

const queues = new Set<Queue>();

/**
 * Jobs per BullMQ queue and state, read from Redis when Prometheus scrapes (one `getJobCounts`
 * per queue: a pipelined round trip), never per job. Registered by the queue's owner.
 */
export function watchQueueDepth(queue: Queue): () => void {
  queues.add(queue);
  return () => queues.delete(queue);
}

gauge({
  name: 'zs_bullmq_queue_jobs',
  help: 'Jobs in each BullMQ queue by state (waiting|active|delayed|failed|prioritized|paused|waiting-children), read at scrape time',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    this.reset();
    await Promise.all(
      [...queues].map(async (q) => {
        // Redis away: the queue's series are left out of this scrape rather than reported as 0.
        const counts = await q.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }),
    );
  },
});
