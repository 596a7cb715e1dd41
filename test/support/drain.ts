import { connect, NatsConnection } from 'nats';
import Redis from 'ioredis';
import { Queue } from 'bullmq';
import { namesFor } from '@zs/contracts';
import { waitFor } from './harness';

/**
 * "Nothing left to do" for one test system: every durable JetStream consumer of its
 * namespace has no pending and no unacknowledged message, and every BullMQ queue under its
 * Redis prefix has no waiting, active, delayed or prioritised job. Once that holds, every
 * answer that will ever go out has gone out, so counting answers (and the absence of
 * duplicates) is meaningful. This replaces "send one more message and wait for its answer",
 * which assumed answers come out in the order the messages went in.
 */

export interface ConsumerBacklog {
  stream: string;
  durable: string;
  /** Messages not yet delivered to the consumer. */
  pending: number;
  /** Delivered and not yet acknowledged (in a handler, or in a crashed process). */
  ackPending: number;
  /** Deliveries so far, redeliveries included. */
  delivered: number;
  /** Distinct messages in the stream that this consumer takes. */
  messages: number;
  /** delivered - messages once drained: how many deliveries were redeliveries. */
  redelivered: number;
}

export interface QueueBacklog {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  failed: number;
  /** Finished jobs that a worker lost (crash, lock expiry) and BullMQ handed out again. */
  stalled: number;
}

export interface Backlog {
  consumers: ConsumerBacklog[];
  queues: QueueBacklog[];
  idle: boolean;
}

/** The test system's environment: NAMESPACE, NATS_URL and REDIS_URL are read. */
type Env = Record<string, string>;

/** The namespace's JetStream consumers and BullMQ queues, as they stand now. */
export async function backlog(env: Env): Promise<Backlog> {
  const nc = await connect({ servers: env.NATS_URL.split(',') });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  try {
    return await readBacklog(env.NAMESPACE, nc, redis);
  } finally {
    await nc.close();
    redis.disconnect();
  }
}

/**
 * Polls until the system is idle on two polls in a row (a message taken from one stream is
 * published to the next before it is acknowledged, so one idle poll could fall between a
 * publish and its delivery only if the producer were outside the mesh; the second poll
 * covers that). Returns the final backlog, with the redelivery and stall figures.
 */
export async function waitForDrained(env: Env, timeoutMs = 90000): Promise<Backlog> {
  const nc = await connect({ servers: env.NATS_URL.split(',') });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  let idlePolls = 0;
  let last: Backlog | undefined;
  try {
    return await waitFor(
      async () => {
        last = await readBacklog(env.NAMESPACE, nc, redis);
        idlePolls = last.idle ? idlePolls + 1 : 0;
        return idlePolls >= 2 ? last : undefined;
      },
      timeoutMs,
      'JetStream pending 0 and BullMQ waiting+active 0',
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast backlog: ${JSON.stringify(last)}`);
  } finally {
    await nc.close();
    redis.disconnect();
  }
}

async function readBacklog(ns: string, nc: NatsConnection, redis: Redis): Promise<Backlog> {
  const names = namesFor(ns);
  const jsm = await nc.jetstreamManager();
  const consumers: ConsumerBacklog[] = [];
  for (const stream of Object.values(names.streams)) {
    let infos;
    try {
      infos = await jsm.consumers.list(stream.name).next();
    } catch {
      continue; // stream not created yet: nothing in it
    }
    for (const c of infos) {
      const filter = c.config.filter_subject ?? '>';
      const s = await jsm.streams.info(stream.name, { subjects_filter: filter });
      const messages = Object.values(s.state.subjects ?? {}).reduce((a, n) => a + n, 0);
      const delivered = c.delivered.consumer_seq;
      consumers.push({
        stream: stream.name,
        durable: c.name,
        pending: c.num_pending,
        ackPending: c.num_ack_pending,
        delivered,
        messages,
        redelivered: delivered - messages,
      });
    }
  }

  const prefix = `${names.redisPrefix}:bull`;
  const queueNames = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:meta`, 'COUNT', 500);
    for (const k of keys) queueNames.add(k.slice(prefix.length + 1, -':meta'.length));
    cursor = next;
  } while (cursor !== '0');
  const queues: QueueBacklog[] = [];
  for (const name of queueNames) {
    const q = new Queue(name, { connection: redis, prefix });
    try {
      const n = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused');
      const finished = await q.getJobs(['completed', 'failed']);
      queues.push({
        queue: name,
        waiting: n.waiting + n.paused,
        active: n.active,
        delayed: n.delayed,
        prioritized: n.prioritized,
        completed: n.completed,
        failed: n.failed,
        stalled: finished.filter((j) => (j.stalledCounter ?? 0) > 0).length,
      });
    } finally {
      await q.close();
    }
  }

  const idle =
    consumers.every((c) => c.pending === 0 && c.ackPending === 0) &&
    queues.every((q) => q.waiting === 0 && q.active === 0 && q.delayed === 0 && q.prioritized === 0);
  return { consumers, queues, idle };
}

/** One consumer's figures, by durable name. */
export function consumerOf(b: Backlog, durable: string): ConsumerBacklog {
  const c = b.consumers.find((x) => x.durable === durable);
  if (!c) throw new Error(`no JetStream consumer ${durable} in ${JSON.stringify(b.consumers.map((x) => x.durable))}`);
  return c;
}
