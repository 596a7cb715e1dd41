import type { Queue } from 'bullmq';
import { metricsRegistry } from '@zs/platform';
import { watchQueueDepth } from './queue-metrics';

/** A queue as far as the gauge sees it: a name and job counts (the real queue is exercised in test/e2e/metrics.test.ts). */
function fakeQueue(name: string, counts: Record<string, number> | Error): Queue {
  return { name, getJobCounts: async () => (counts instanceof Error ? Promise.reject(counts) : counts) } as unknown as Queue;
}

async function series() {
  const m = await metricsRegistry.getSingleMetric('zs_bullmq_queue_jobs')!.get();
  return m.values.map((v) => `${v.labels.queue}/${v.labels.state}=${v.value}`);
}

describe('BullMQ queue depth gauge', () => {
  it('reads every watched queue at scrape time, one series per state, and forgets an unwatched one', async () => {
    const unwatch = watchQueueDepth(fakeQueue('outbound', { waiting: 3, delayed: 2, failed: 1 }));
    const values = await series();
    expect(values).toEqual(expect.arrayContaining(['outbound/waiting=3', 'outbound/delayed=2', 'outbound/failed=1', 'outbound/active=0']));
    unwatch();
    expect(await series()).toEqual([]);
  });

  it('leaves a queue out of the scrape while Redis cannot answer, rather than reporting it empty', async () => {
    const a = watchQueueDepth(fakeQueue('outbound', new Error('connect ECONNREFUSED')));
    const b = watchQueueDepth(fakeQueue('other', { waiting: 5 }));
    const values = await series();
    expect(values.some((v) => v.startsWith('outbound/'))).toBe(false);
    expect(values).toContain('other/waiting=5');
    a();
    b();
  });
});
