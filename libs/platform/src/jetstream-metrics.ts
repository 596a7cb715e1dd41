import { counter, gauge } from './metrics';

/** What the JetStream consume loops count (libs/platform/src/jetstream.ts). Labels: the durable consumer. */
export const jetstreamMetrics = {
  handled: counter({
    name: 'zs_jetstream_messages_handled_total',
    help: 'Messages a handler processed and acknowledged, by durable consumer',
    labelNames: ['durable'] as const,
  }),
  handlerFailures: counter({
    name: 'zs_jetstream_handler_failures_total',
    help: 'Handler failures (each attempt), by durable consumer and kind (transient: retried with backoff; deterministic: bad data)',
    labelNames: ['durable', 'kind'] as const,
  }),
  deadLetters: counter({
    name: 'zs_jetstream_dead_letters_total',
    help: 'Messages given up: stored in the dead-letter stream (or dropped where a consumer has none), by durable consumer and kind',
    labelNames: ['durable', 'kind', 'stored'] as const,
  }),
  publishRetries: counter({
    name: 'zs_jetstream_publish_retried_total',
    help: 'Publishes stored only after a retry (a NATS server lost, a stream leader elected, a reconnect)',
  }),
  loopUp: gauge({
    name: 'zs_jetstream_consume_loop_up',
    help: '1 while the consume loop of a durable consumer runs, 0 once it has died (the service is then not ready)',
    labelNames: ['durable'] as const,
  }),
};

/** Consumer lag, read from the server when Prometheus scrapes (not on every message). */
export type ConsumerLagSource = () => Promise<{ durable: string; pending: number; ackPending: number }[]>;

const lagSources = new Set<ConsumerLagSource>();

export function addConsumerLagSource(source: ConsumerLagSource): () => void {
  lagSources.add(source);
  return () => lagSources.delete(source);
}

async function collectLag(): Promise<{ durable: string; pending: number; ackPending: number }[]> {
  const all = await Promise.all([...lagSources].map((s) => s().catch(() => [])));
  return all.flat();
}

// Each gauge reads the server itself: prom-client collects gauges concurrently, so they cannot share one read.
gauge({
  name: 'zs_jetstream_consumer_pending',
  help: 'Messages in the stream not yet delivered to the durable consumer (lag)',
  labelNames: ['durable'] as const,
  async collect() {
    this.reset();
    for (const c of await collectLag()) this.set({ durable: c.durable }, c.pending);
  },
});

gauge({
  name: 'zs_jetstream_consumer_ack_pending',
  help: 'Messages delivered to the durable consumer and not yet acknowledged (being handled or waiting for redelivery)',
  labelNames: ['durable'] as const,
  async collect() {
    this.reset();
    for (const c of await collectLag()) this.set({ durable: c.durable }, c.ackPending);
  },
});
