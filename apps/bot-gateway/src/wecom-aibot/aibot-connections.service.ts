import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Msg, Subscription } from 'nats';
import type { Logger } from 'pino';
import { InboundChatMessage, WecomAibotGatewayReply, WecomAibotGatewayRequest, wecomAibotGatewaySubject } from '@zs/contracts';
import { JetStreamBus, LOGGER } from '@zs/platform';
import { InboundPublisher, InvalidInboundMessage } from '../inbound/inbound-publisher';
import { countLongConnectionMessage } from '../callback-metrics';
import { WecomAibotBot } from './aibot-config';
import { AibotMessageError, parseAibotMessage, streamIdFor, toInboundMessage } from './aibot-message';
import { RedisLease } from './aibot-lease';
import { AIBOT_CMD, AibotAckTimeoutError, AibotCallbackFrame, AibotNotConnectedError, AibotWsClient } from './aibot-ws-client';
import { AIBOT_REDIS, AIBOT_SETTINGS, AibotSettings } from './aibot-tokens';

/** How long one gateway keeps a bot's socket without renewing its lease. */
export const LEASE_TTL_MS = 15_000;
/** Shown when a message could not be handed to the mesh even after retrying. */
export const BUSY_TEXT = '系统繁忙，这条消息未能受理，请稍后重新发送。';
/** A message the platform sent that can never be processed (malformed ids); the sender still hears back. */
export const INVALID_TEXT = '抱歉，这条消息的格式无法识别，未能受理。请重新输入文字后发送。';
/** Publishing an accepted long-connection message is retried for about a minute (WeCom does not resend it). */
const PUBLISH_RETRY_MS = [500, 1000, 2000, 4000, 8000, 15_000, 30_000];

/**
 * The AI bot long connections of this gateway: for every bot with a secret, a lease decides
 * which replica holds the socket; the holder publishes each message like the HTTP callback
 * does, acknowledges it at once with a stream that the answer later finishes, and serves
 * notification's send requests for the bot over NATS.
 */
@Injectable()
export class WecomAibotConnections implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners: BotRunner[] = [];
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    @Inject(AIBOT_SETTINGS) private readonly settings: AibotSettings,
    @Inject(AIBOT_REDIS) private readonly redis: Redis | null,
    private readonly bus: JetStreamBus,
    private readonly publisher: InboundPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    if (!this.redis) return;
    for (const bot of this.settings.bots) {
      if (!bot.botId || !bot.secret) continue;
      const runner = new BotRunner(bot as Required<Pick<WecomAibotBot, 'botId' | 'secret'>> & WecomAibotBot, this.settings, {
        lease: new RedisLease(this.redis, `${this.settings.namespace}:aibot:ws-lease:${bot.botId}`, this.owner, LEASE_TTL_MS),
        bus: this.bus,
        publisher: this.publisher,
        logger: this.logger,
      });
      this.runners.push(runner);
      runner.start();
    }
  }

  async beforeApplicationShutdown() {
    await Promise.allSettled(this.runners.map((r) => r.stop()));
  }
}

interface RunnerDeps {
  lease: RedisLease;
  bus: JetStreamBus;
  publisher: InboundPublisher;
  logger: Logger;
}

class BotRunner {
  private client?: AibotWsClient;
  private sub?: Subscription;
  private holding = false;
  private lastRenewAt = 0;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopping = false;
  private leaseErrorLogged = false;
  /** Streams this replica finished (req_id → expiry), so a retried respond is not sent twice. */
  private readonly finished = new Map<string, number>();

  constructor(
    readonly bot: WecomAibotBot & { botId: string; secret: string },
    private readonly settings: AibotSettings,
    private readonly deps: RunnerDeps,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), Math.floor(LEASE_TTL_MS / 3));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    if (this.holding) {
      await this.resign('shutdown');
      await this.deps.lease.release().catch(() => undefined);
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      const held = await Promise.race([
        this.deps.lease.acquireOrRenew(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('lease call timed out')), 3000).unref()),
      ]);
      if (this.stopping) return;
      this.leaseErrorLogged = false;
      if (held) {
        this.lastRenewAt = Date.now();
        if (!this.holding) this.takeOver();
      } else if (this.holding) {
        await this.resign('another gateway holds the lease');
      }
    } catch (e) {
      if (!this.holding && !this.leaseErrorLogged) {
        this.leaseErrorLogged = true;
        this.deps.logger.warn(
          { botId: this.bot.botId, err: { message: (e as Error).message } },
          'AI bot long connection waits for Redis (the lease that picks one gateway per bot)',
        );
      }
      // Without Redis we cannot prove we still hold the lease: give the socket up before it lapses.
      if (this.holding && Date.now() - this.lastRenewAt > LEASE_TTL_MS - Math.floor(LEASE_TTL_MS / 3)) {
        this.deps.logger.warn({ botId: this.bot.botId, err: { message: (e as Error).message } }, 'AI bot lease cannot be renewed');
        await this.resign('lease not renewable');
      }
    } finally {
      this.ticking = false;
    }
  }

  private takeOver(): void {
    this.holding = true;
    this.deps.logger.info({ botId: this.bot.botId }, 'this gateway holds the AI bot long connection');
    this.client = new AibotWsClient({
      url: this.settings.wsUrl,
      botId: this.bot.botId,
      secret: this.bot.secret,
      heartbeatMs: this.settings.heartbeatMs,
      reconnectBaseMs: this.settings.reconnectBaseMs,
      reconnectMaxMs: this.settings.reconnectMaxMs,
      logger: this.deps.logger,
      onCallback: (f) => void this.onCallback(f),
    });
    this.client.start();
    this.sub = this.deps.bus.nc.subscribe(wecomAibotGatewaySubject(this.settings.namespace, this.bot.botId), {
      callback: (err, msg) => {
        if (!err) void this.onRequest(msg);
      },
    });
  }

  private async resign(reason: string): Promise<void> {
    this.holding = false;
    this.deps.logger.info({ botId: this.bot.botId, reason }, 'giving up the AI bot long connection');
    try {
      this.sub?.unsubscribe();
    } catch {
      // the NATS connection may already be draining at shutdown
    }
    this.sub = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.stop();
  }

  // ───────────────────────────── inbound ─────────────────────────────

  private async onCallback(frame: AibotCallbackFrame): Promise<void> {
    const receivedAt = Date.now();
    const started = process.hrtime.bigint();
    const client = this.client;
    if (!client) return;
    if (frame.cmd === AIBOT_CMD.event) {
      const eventType = (frame.body as { event?: { eventtype?: unknown } })?.event?.eventtype;
      this.deps.logger.debug({ botId: this.bot.botId, eventType }, 'AI bot event');
      return;
    }
    let m;
    try {
      m = parseAibotMessage(frame.body);
    } catch (e) {
      if (e instanceof AibotMessageError) {
        // A message callback (events came earlier) always has someone waiting for an answer:
        // tell them it could not be read rather than leave them with nothing.
        this.deps.logger.warn({ botId: this.bot.botId, reason: e.message }, 'AI bot long connection: malformed message refused');
        await this.respond(client, frame.reqId, streamIdFor(this.bot.botId, `invalid:${frame.reqId}`), INVALID_TEXT, true);
        countLongConnectionMessage('wecom-aibot-ws', 'invalid_request', started);
        return;
      }
      throw e;
    }
    if (m.eventType || m.streamRefresh) return;
    if (m.aibotId && m.aibotId !== this.bot.botId) {
      this.deps.logger.warn({ botId: this.bot.botId, aibotId: m.aibotId }, 'AI bot message names another aibotid than the connection');
    }
    const inbound = toInboundMessage(m, {
      botId: this.bot.botId,
      receivedAt,
      via: { kind: 'long-connection', reqId: frame.reqId },
      canPush: true,
    });
    const streamId = streamIdFor(this.bot.botId, m.msgId);
    const published = await this.publishWithRetry(inbound);
    if (published === 'invalid') {
      await this.respond(client, frame.reqId, streamId, INVALID_TEXT, true);
      countLongConnectionMessage('wecom-aibot-ws', 'invalid_request', started);
      return;
    }
    if (!published) {
      await this.respond(client, frame.reqId, streamId, BUSY_TEXT, true);
      countLongConnectionMessage('wecom-aibot-ws', 'unavailable', started);
      return;
    }
    if (published.duplicate) {
      countLongConnectionMessage('wecom-aibot-ws', 'ok', started);
      this.deps.logger.info({ botId: this.bot.botId, msgId: m.msgId }, 'AI bot message delivered again; already accepted');
      return;
    }
    if (this.settings.ackText) await this.respond(client, frame.reqId, streamId, this.settings.ackText, false);
    countLongConnectionMessage('wecom-aibot-ws', 'ok', started);
  }

  private async publishWithRetry(msg: InboundChatMessage): Promise<{ duplicate: boolean } | 'invalid' | null> {
    for (let i = 0; ; i++) {
      try {
        return await this.deps.publisher.publish(msg);
      } catch (e) {
        if (e instanceof InvalidInboundMessage) {
          // Retrying cannot make it valid; it is logged, never a false outage.
          this.deps.logger.warn({ botId: this.bot.botId, reason: e.reason }, 'AI bot message refused: invalid');
          return 'invalid';
        }
        if (i >= PUBLISH_RETRY_MS.length || this.stopping) {
          this.deps.logger.error({ err: e, msgId: msg.msgId, botId: this.bot.botId }, 'AI bot message could not be handed to JetStream; the sender is told to resend');
          return null;
        }
        this.deps.logger.warn({ err: { message: (e as Error).message }, msgId: msg.msgId }, 'JetStream publish failed; retrying');
        await new Promise((r) => setTimeout(r, PUBLISH_RETRY_MS[i]));
      }
    }
  }

  private async respond(client: AibotWsClient, reqId: string, streamId: string, content: string, finish: boolean): Promise<void> {
    try {
      const ack = await client.request(AIBOT_CMD.respond, { msgtype: 'stream', stream: { id: streamId, finish, content } }, reqId);
      if (ack.errcode !== 0) this.deps.logger.warn({ botId: this.bot.botId, errcode: ack.errcode, errmsg: ack.errmsg }, 'WeCom refused the acknowledgement stream');
    } catch (e) {
      this.deps.logger.warn({ botId: this.bot.botId, err: { message: (e as Error).message } }, 'acknowledgement stream not sent');
    }
  }

  // ───────────────────────────── requests from notification ─────────────────────────────

  private async onRequest(msg: Msg): Promise<void> {
    const reply = (r: WecomAibotGatewayReply) => {
      try {
        msg.respond(Buffer.from(JSON.stringify(r)));
      } catch {
        // requester gone
      }
    };
    let req: WecomAibotGatewayRequest;
    try {
      req = WecomAibotGatewayRequest.parse(JSON.parse(Buffer.from(msg.data).toString('utf8')));
    } catch {
      return reply({ ok: false, reason: 'bad-request' });
    }
    const client = this.client;
    if (!client || !client.isReady) return reply({ ok: false, reason: 'not-connected' });
    try {
      if (req.op === 'respond') {
        this.pruneFinished();
        if (this.finished.has(req.reqId)) return reply({ ok: true });
        const ack = await client.request(AIBOT_CMD.respond, { msgtype: 'stream', stream: { id: req.streamId, finish: true, content: req.content } }, req.reqId);
        if (ack.errcode !== 0) return reply({ ok: false, reason: 'wecom-error', errcode: ack.errcode, errmsg: ack.errmsg });
        this.finished.set(req.reqId, Date.now() + 15 * 60_000);
        return reply({ ok: true });
      }
      const ack = await client.request(AIBOT_CMD.send, { chatid: req.chatId, msgtype: 'markdown', markdown: { content: req.content } });
      if (ack.errcode !== 0) return reply({ ok: false, reason: 'wecom-error', errcode: ack.errcode, errmsg: ack.errmsg });
      return reply({ ok: true });
    } catch (e) {
      if (e instanceof AibotAckTimeoutError) return reply({ ok: false, reason: 'timeout' });
      if (e instanceof AibotNotConnectedError) return reply({ ok: false, reason: 'not-connected' });
      this.deps.logger.error({ err: e, botId: this.bot.botId }, 'AI bot send request failed');
      return reply({ ok: false, reason: 'not-connected' });
    }
  }

  private pruneFinished(): void {
    if (this.finished.size < 1000) return;
    const now = Date.now();
    for (const [k, exp] of this.finished) if (exp <= now) this.finished.delete(k);
  }
}
