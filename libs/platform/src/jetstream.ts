import {
  AckPolicy,
  connect,
  ConnectionOptions,
  ConsumerEvents,
  ConsumerMessages,
  DeliverPolicy,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
  StreamInfo,
} from 'nats';
import type { Logger } from 'pino';
import { redeliveryDelayMs } from './retry-policy';
import { isSafeHeaderValue } from '@zs/contracts';
import { DeadLetter, deadLetterReason, isDeterministicFailure } from './dead-letter';
import { addConsumerLagSource, jetstreamMetrics } from './jetstream-metrics';

export interface StreamSpec {
  name: string;
  subjects: string[];
  /** JetStream drops a second publish with the same msgID inside this window. */
  duplicateWindowMs: number;
  maxAgeMs: number;
}

/** Stream durability the deployment asks for (JETSTREAM_REPLICAS, NATS_REQUIRE_STREAM_REPLICAS). */
export interface StreamDurability {
  replicas: number;
  /** A stream with fewer replicas makes readiness fail, not only the log. */
  required: boolean;
  /** The count was configured (not the default): existing streams with more replicas are scaled down to it. */
  explicit?: boolean;
}

/** A msgID (or other header value) NATS cannot carry: the request was wrong, not the server. */
export class InvalidMessageHeader extends Error {}

export interface DeadLetterSpec {
  /** Subject in the dead-letter stream (namesFor().subjects.deadLetter(durable)). */
  subject: string;
  /**
   * Attempts after which a failure that retrying cannot fix (bad data, a constraint, a
   * validation error) is dead-lettered. Transient failures (a database or NATS outage) still
   * get the consumer's full maxDeliver with backoff, and are dead-lettered after the last one.
   */
  afterDeterministicFailures: number;
  /** Told once the dead letter is stored (an alert, an apology to the sender); its failure is only logged. */
  onDeadLettered?: (letter: DeadLetter, payload: unknown) => Promise<void>;
}

export interface DurableConsumerSpec<T> {
  stream: string;
  durable: string;
  filterSubject: string;
  /** Redeliveries before the message is given up (and logged as dead). */
  maxDeliver: number;
  ackWaitMs: number;
  /** Messages handled at once by this process. */
  concurrency: number;
  /** Where a message that cannot be processed goes, with its reason; without it, it is only logged. */
  deadLetter?: DeadLetterSpec;
  handler: (payload: T, meta: { subject: string; redeliveryCount: number; seq: number }) => Promise<void>;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  /** Messages currently in a handler. */
  inFlight(): number;
  /** False once the consume loop has ended without stop() being called: no message is taken any more. */
  alive(): boolean;
}

/** Lifetime of one pull request of a consume loop. */
export const PULL_EXPIRES_MS = 5000;
/**
 * Idle heartbeat of a pull request (nats.js's default is half of `expires`). Two missed ones and the
 * pull is renewed: when the NATS node holding the consumer's leader dies, the pull parked there is
 * renewed 1-1.5 s later, and again every 1-1.5 s until a new leader takes it (the server's "no
 * responders" answer to a pull sent meanwhile counts as activity, so two more beats must be missed).
 * With 1 s beats consumption resumed 2-2.5 s after the new leader was seen, with 0.5 s beats 0.8-1.3 s.
 */
export const PULL_IDLE_HEARTBEAT_MS = 500;

/**
 * Retry window for a publish made by a message handler (an answer after the message was processed):
 * while a stream's leader is being elected after a NATS node is lost (4-9 s on nats-server 2.9), the
 * publish is retried every ≤ 0.5 s instead of failing the handler into the redelivery backoff
 * (0.5, 1, 2, 4 s... between attempts), which would add seconds after the leader is back. Well under
 * the consumers' 30 s ack wait; the msgID makes every retry safe.
 */
export const HANDLER_PUBLISH_WITHIN_MS = 10000;

// Capped (retry-policy.ts), so a long database or Redis outage is ridden out rather than dead-lettered.
const backoffMs = redeliveryDelayMs;

/**
 * The durable half of the mesh: JetStream streams, idempotent publishes (msgID) and
 * explicit-ack consumers. Core NATS request/reply goes through @nestjs/microservices;
 * anything that must not be lost goes through here.
 */
export class JetStreamBus {
  private consumers: RunningConsumer[] = [];
  /** Durable name of each entry of `consumers`, same order. */
  private consumerNames: string[] = [];
  /** Streams this process ensured, checked for their replica count by readiness. */
  private readonly ensured = new Set<string>();
  private replicaWarnings = new Map<string, number>();

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    private readonly logger: Logger,
    readonly durability: StreamDurability,
  ) {}

  /**
   * `servers` is NATS_URL or full connection options (credentials, TLS, inbox prefix:
   * natsConnectionOptions()). Credentials are never logged: only `name` and the status.
   */
  static async connect(
    servers: string | ConnectionOptions,
    name: string,
    logger: Logger,
    durability: StreamDurability = { replicas: 1, required: false },
  ): Promise<JetStreamBus> {
    const base: ConnectionOptions = typeof servers === 'string' ? { servers: servers.split(',') } : servers;
    const nc = await connect({
      ...base,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
    (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
          logger.warn({ nats: s.type }, `NATS ${s.type}`);
        }
      }
    })().catch(() => undefined);
    const jsm = await nc.jetstreamManager();
    return new JetStreamBus(nc, nc.jetstream(), jsm, logger, durability);
  }

  /**
   * Creates the stream, or updates it to the spec; safe to call from every replica at boot.
   * On a NATS cluster the JetStream API may not answer for a while (a meta leader being elected,
   * a node just lost, a replicated stream being placed): such failures are retried for up to
   * `withinMs` instead of failing the boot.
   */
  async ensureStream(spec: StreamSpec, withinMs = 60000): Promise<void> {
    await this.retryTransient(`stream ${spec.name}`, () => this.ensureStreamOnce(spec), withinMs);
  }

  /** Runs a JetStream API call again while it fails transiently (isTransientJetStreamError), up to `withinMs`. */
  private async retryTransient<T>(what: string, fn: () => Promise<T>, withinMs: number): Promise<T> {
    const end = Date.now() + withinMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!isTransientJetStreamError(e) || Date.now() >= end || this.nc.isClosed()) throw e;
        this.logger.warn({ err: e, attempt }, `JetStream ${what}: not available yet, retrying`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 200 * attempt)));
      }
    }
  }

  private async ensureStreamOnce(spec: StreamSpec): Promise<void> {
    const config = {
      name: spec.name,
      subjects: spec.subjects,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      duplicate_window: nanos(spec.duplicateWindowMs),
      max_age: nanos(spec.maxAgeMs),
    };
    try {
      const info = await this.jsm.streams.info(spec.name);
      const current = effectiveStreamReplicas(info);
      // A single server stores any replica count in the config but keeps one copy: only a cluster can scale.
      const wanted = info.cluster?.name ? this.replicasFor(current) : current;
      if (wanted === current) {
        await this.jsm.streams.update(spec.name, config);
      } else {
        try {
          // JETSTREAM_REPLICAS changed: the stream follows (NATS moves the data to the new peers).
          await this.jsm.streams.update(spec.name, { ...config, num_replicas: wanted });
          this.logger.warn({ stream: spec.name, from: current, to: wanted }, `JetStream stream ${spec.name} now has ${wanted} replica(s)`);
        } catch (e) {
          if (isNotFound(e)) throw e;
          // A single server, or too few servers up: keep the count; checkReplicas() reports it.
          this.logger.error({ err: e, stream: spec.name, from: current, to: wanted }, `JetStream stream ${spec.name}: cannot change replicas to ${wanted}`);
          await this.jsm.streams.update(spec.name, config);
        }
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await this.jsm.streams.add({ ...config, num_replicas: this.durability.replicas });
      } catch (e2) {
        // Another replica created it between our info() and add().
        if (!String(e2).includes('already in use')) throw e2;
      }
    }
    this.ensured.add(spec.name);
    await this.checkReplicas([spec.name]).catch(() => undefined);
  }

  /**
   * Replica count an existing stream with `current` replicas should have: raised to
   * JETSTREAM_REPLICAS always; lowered only when the count was configured explicitly (a stream an
   * operator scaled up is not scaled down by a service started with the default of one).
   */
  private replicasFor(current: number): number {
    if (current < this.durability.replicas) return this.durability.replicas;
    if (current > this.durability.replicas && this.durability.explicit) return this.durability.replicas;
    return current;
  }

  /**
   * Streams among `names` (default: those this process ensured) with fewer replicas than
   * JETSTREAM_REPLICAS. Each such stream is logged as an error, once per change of its count,
   * because a one-replica stream lives on one server's disk: losing it loses accepted messages.
   */
  async checkReplicas(names: Iterable<string> = this.ensured): Promise<{ stream: string; replicas: number }[]> {
    const short: { stream: string; replicas: number }[] = [];
    for (const name of names) {
      let replicas: number;
      try {
        replicas = effectiveStreamReplicas(await this.jsm.streams.info(name));
      } catch (e) {
        if (isNotFound(e)) continue; // not created yet: its creator uses the configured count
        throw e;
      }
      if (replicas < this.durability.replicas) {
        short.push({ stream: name, replicas });
        if (this.replicaWarnings.get(name) !== replicas) {
          this.logger.error(
            { stream: name, replicas, required: this.durability.replicas },
            `JetStream stream ${name} has ${replicas} replica(s), fewer than JETSTREAM_REPLICAS=${this.durability.replicas}: ` +
              'accepted messages are not safe against the loss of one NATS server. Scale it: deploy/nats/streams.sh',
          );
        }
      }
      this.replicaWarnings.set(name, replicas);
    }
    return short;
  }

  /**
   * Publishes with a deduplication id; resolves only once JetStream has stored the message.
   * `withinMs`: keep trying for that long (a NATS node lost, a stream leader being elected, a
   * reconnect to another server) before giving up; the msgID makes every retry safe. The gateway
   * passes what is left of the platform's answer window, so a node's loss costs time, not a refusal.
   */
  async publish(subject: string, payload: unknown, msgId: string, opts: { withinMs?: number } = {}): Promise<{ duplicate: boolean; seq: number }> {
    if (!isSafeHeaderValue(msgId)) throw new InvalidMessageHeader('msgID must be 1-256 visible ASCII characters');
    const data = Buffer.from(JSON.stringify(payload));
    const end = Date.now() + (opts.withinMs ?? 0);
    for (let attempt = 1; ; attempt++) {
      const left = end - Date.now();
      // One attempt waits at most 2 s when retries are allowed: a request to a server that just died
      // would otherwise use the whole window; a new attempt goes to the server the client reconnected to.
      const timeout = opts.withinMs ? Math.max(250, Math.min(2000, left)) : 5000;
      try {
        const ack = await this.js.publish(subject, data, { msgID: msgId, timeout });
        if (attempt > 1) jetstreamMetrics.publishRetries.inc();
        return { duplicate: ack.duplicate, seq: ack.seq };
      } catch (e) {
        const wait = Math.min(500, 50 * 2 ** (attempt - 1));
        if (Date.now() + wait >= end || this.nc.isClosed()) throw e;
        this.logger.warn({ err: e, subject, attempt }, 'JetStream publish failed; retrying within the answer window');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async consume<T>(spec: DurableConsumerSpec<T>): Promise<RunningConsumer> {
    const consumerConfig = {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: spec.filterSubject,
      max_deliver: spec.maxDeliver,
      ack_wait: nanos(spec.ackWaitMs),
      max_ack_pending: Math.max(spec.concurrency * 4, 64),
    };
    await this.retryTransient(`consumer ${spec.durable}`, async () => {
      try {
        await this.jsm.consumers.info(spec.stream, spec.durable);
        await this.jsm.consumers.update(spec.stream, spec.durable, consumerConfig);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        await this.jsm.consumers.add(spec.stream, consumerConfig);
      }
    }, 60000);
    const consumer = await this.retryTransient(`consumer ${spec.durable}`, () => this.js.consumers.get(spec.stream, spec.durable), 60000);
    // Pull requests that expire after 5 s rather than nats.js's 30 s: after NATS restarts or a stream
    // leader moves, a pull the server forgot is noticed and renewed within seconds, not half a minute
    // (found by the chaos run: 26 s without answers after a NATS restart).
    // Heartbeats every 0.5 s (PULL_IDLE_HEARTBEAT_MS) and `bind`: a pull is renewed at once after a
    // reconnect or two missed heartbeats. Without `bind`, nats.js first asks the consumer's info, and
    // while the consumer's leader is being elected (one NATS node killed) that request times out after
    // 5 s and is retried after 2.5-7.5 s: consumption resumed 7.5 and 14.4 s after killing the consumer
    // leader's node (new leader at 6.6 and 7.9 s), against 0.8-1.3 s after the new leader with this
    // (scripts/chaos-nats-leader.js; the election itself takes 4-8 s on nats-server 2.9).
    // A deleted consumer is still reported: the server answers the pending pull with 409 (the
    // ConsumerDeleted status watched below).
    const messages: ConsumerMessages = await consumer.consume({
      max_messages: spec.concurrency * 2,
      expires: PULL_EXPIRES_MS,
      idle_heartbeat: PULL_IDLE_HEARTBEAT_MS,
      bind: true,
    });
    const inFlight = new Set<Promise<void>>();
    let stopped = false;

    const handle = async (m: JsMsg) => {
      const redeliveryCount = m.info.redeliveryCount - 1;
      const attempt = m.info.redeliveryCount;
      let payload: T;
      try {
        payload = JSON.parse(Buffer.from(m.data).toString('utf8')) as T;
      } catch (err) {
        await this.giveUp(spec, m, err, 'deterministic', attempt, undefined);
        return;
      }
      // In-progress acks while the handler runs: the ack wait can then be short (a crashed replica's
      // messages come back within seconds, issue 10's chaos run) without redelivering a message that a
      // live replica is still working on (a database outage ridden out by retries, a long fan-out).
      const working = setInterval(() => m.working(), Math.max(500, Math.floor(spec.ackWaitMs / 3)));
      try {
        await spec.handler(payload, { subject: m.subject, redeliveryCount, seq: m.seq });
        clearInterval(working);
        m.ack();
        jetstreamMetrics.handled.inc({ durable: spec.durable });
      } catch (err) {
        clearInterval(working);
        const deterministic = isDeterministicFailure(err);
        jetstreamMetrics.handlerFailures.inc({ durable: spec.durable, kind: deterministic ? 'deterministic' : 'transient' });
        const last = attempt >= spec.maxDeliver || (deterministic && !!spec.deadLetter && attempt >= spec.deadLetter.afterDeterministicFailures);
        if (!last) {
          this.logger.warn(
            { err, subject: m.subject, seq: m.seq, attempt, durable: spec.durable, deterministic },
            'message handler failed; will redeliver',
          );
          m.nak(backoffMs(attempt));
          return;
        }
        await this.giveUp(spec, m, err, deterministic ? 'deterministic' : 'exhausted', attempt, payload);
      }
    };

    let alive = true;
    jetstreamMetrics.loopUp.set({ durable: spec.durable }, 1);
    const loop = (async () => {
      for await (const m of messages) {
        if (stopped) {
          m.nak();
          continue;
        }
        const p = handle(m).finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= spec.concurrency) await Promise.race(inFlight);
      }
    })()
      .catch((e) => this.logger.error({ err: e, durable: spec.durable }, 'consumer loop ended'))
      .finally(() => {
        // Ended without stop(): nothing takes this consumer's messages any more. Readiness reports it
        // (the platform's `consumers` check), so an orchestrator takes the replica out and an operator is alerted.
        if (!stopped) {
          alive = false;
          jetstreamMetrics.loopUp.set({ durable: spec.durable }, 0);
          this.logger.error({ durable: spec.durable, stream: spec.stream }, 'consume loop died: this service no longer takes its messages');
        }
      });
    // A deleted durable (an operator's mistake, a stream recreated after losing its NATS server) leaves the
    // loop waiting forever for messages that can no longer come: nothing here recreates it, a restart does.
    (async () => {
      for await (const st of await messages.status()) {
        if (st.type === ConsumerEvents.ConsumerDeleted && !stopped && alive) {
          alive = false;
          jetstreamMetrics.loopUp.set({ durable: spec.durable }, 0);
          this.logger.error({ durable: spec.durable, stream: spec.stream }, 'durable consumer deleted on the server: this service no longer takes its messages until restarted');
        }
      }
    })().catch(() => undefined);
    const removeLag = addConsumerLagSource(async () => {
      const info = await consumer.info();
      return [{ durable: spec.durable, pending: info.num_pending, ackPending: info.num_ack_pending }];
    });

    const running: RunningConsumer = {
      stop: async () => {
        stopped = true;
        removeLag();
        await messages.close().catch(() => undefined);
        await Promise.allSettled([...inFlight]);
        await loop;
      },
      inFlight: () => inFlight.size,
      alive: () => alive,
    };
    this.consumers.push(running);
    this.consumerNames.push(spec.durable);
    return running;
  }

  /**
   * Stores a message that will never be processed in the dead-letter stream (with its reason)
   * and terminates it. If the dead letter cannot be stored, the message is redelivered later
   * rather than lost.
   */
  private async giveUp<T>(spec: DurableConsumerSpec<T>, m: JsMsg, err: unknown, kind: DeadLetter['kind'], attempt: number, payload: unknown) {
    const reason = deadLetterReason(err);
    if (!spec.deadLetter) {
      jetstreamMetrics.deadLetters.inc({ durable: spec.durable, kind, stored: 'false' });
      this.logger.error({ err, subject: m.subject, seq: m.seq, attempt, durable: spec.durable }, 'message handler failed for the last time; message dropped');
      m.term();
      return;
    }
    const letter: DeadLetter = {
      stream: spec.stream,
      durable: spec.durable,
      subject: m.subject,
      seq: m.seq,
      data: Buffer.from(m.data).toString('utf8'),
      reason,
      kind,
      attempts: attempt,
      deadAt: Date.now(),
    };
    try {
      await this.publish(spec.deadLetter.subject, letter, `dead:${spec.durable}:${m.seq}`);
    } catch (e) {
      this.logger.error({ err: e, subject: m.subject, seq: m.seq }, 'could not store a dead letter; the message will be redelivered');
      m.nak(backoffMs(attempt));
      return;
    }
    jetstreamMetrics.deadLetters.inc({ durable: spec.durable, kind, stored: 'true' });
    this.logger.error({ reason, subject: m.subject, seq: m.seq, attempt, durable: spec.durable, kind }, 'message dead-lettered');
    m.term();
    await spec.deadLetter.onDeadLettered?.(letter, payload).catch((e) => this.logger.error({ err: e, seq: m.seq }, 'dead-letter alert failed'));
  }

  /** Durable names of consume loops that died (ended without being stopped). */
  deadConsumers(): string[] {
    return this.consumerNames.filter((_, i) => !this.consumers[i].alive());
  }

  isConnected(): boolean {
    return !this.nc.isClosed() && !this.nc.isDraining();
  }

  /** Readiness: the server answers a JetStream API call. */
  async ping(): Promise<void> {
    await this.jsm.getAccountInfo();
  }

  /** Stops consumers after their in-flight work, then drains the connection. */
  async close(): Promise<void> {
    await Promise.allSettled(this.consumers.map((c) => c.stop()));
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }
}

/**
 * Copies a stream really has: its configured count, but never more than the servers that hold it
 * (a single server keeps one copy whatever the config says).
 */
export function effectiveStreamReplicas(info: Pick<StreamInfo, 'config' | 'cluster'>): number {
  const configured = info.config.num_replicas || 1;
  const peers = 1 + (info.cluster?.replicas?.length ?? 0);
  return Math.min(configured, peers);
}

/** A JetStream API failure that passes by itself on a cluster (timeout, no leader or responders yet). */
export function isTransientJetStreamError(e: unknown): boolean {
  const s = String((e as Error)?.message ?? e);
  const code = String((e as { code?: string })?.code ?? '');
  return code === 'TIMEOUT' || code === '503' || /TIMEOUT|timeout|no responders|temporarily unavailable|no suitable peers|leader/i.test(s);
}

function isNotFound(e: unknown): boolean {
  const s = String((e as Error)?.message ?? e);
  return s.includes('not found') || (e as { code?: string })?.code === '404';
}
