import WebSocket from 'ws';
import type { Logger } from 'pino';
import { Backoff } from './backoff';
import { interpretFrame, TOPIC_ROBOT, UpFrame } from './stream-frames';

/**
 * A DingTalk Stream mode client (the protocol of the official `dingtalk-stream` SDK),
 * written on `ws` because the SDK reconnects every second without backoff.
 *
 * - `POST {apiBase}/v1.0/gateway/connections/open` → `{endpoint, ticket}` (ticket single-use),
 *   then a WebSocket to `endpoint?ticket=`; every (re)connect asks for a fresh ticket.
 * - SYSTEM `ping` is echoed; SYSTEM `disconnect` closes this connection (after the messages
 *   in hand are acknowledged) and opens a new one at once.
 * - CALLBACK robot messages go to `onRobotMessage`; the frame is ACKed as soon as that
 *   resolves true (the message is stored durably). If it rejects or resolves false, no ACK
 *   is sent and DingTalk pushes the message again about a minute later.
 * - Any failure (open API error, refused socket, missing pong, abnormal close) reconnects
 *   after an exponential delay with jitter; a connection that stayed up resets the delay.
 */
export interface DingtalkStreamClientOptions {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  /** Which robot this client serves, for logs. */
  robotCode: string;
  /** True once the message is stored (ACK it); false or a rejection leaves it un-ACKed. */
  onRobotMessage: (payload: unknown, meta: { messageId: string }) => Promise<boolean>;
  logger: Logger;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A connection up this long counts as healthy: the next failure starts the backoff over. */
  stableAfterMs?: number;
  /** Client-side WebSocket ping interval; a ping unanswered by the next one ends the connection. */
  keepaliveMs?: number;
  /** Timeout of the open-connection call and of the WebSocket handshake. */
  connectTimeoutMs?: number;
  /** How long a draining connection waits for in-flight messages before it closes. */
  drainTimeoutMs?: number;
  ua?: string;
  random?: () => number;
}

export type StreamState = 'idle' | 'connecting' | 'open' | 'waiting' | 'stopped';

export interface StreamStatus {
  state: StreamState;
  /** Successful WebSocket opens since start. */
  connections: number;
  /** Consecutive failures (the current backoff step). */
  failures: number;
  lastError?: string;
  connectedAt?: number;
}

class OpenConnectionError extends Error {}

export class DingtalkStreamClient {
  private readonly opts: Required<Omit<DingtalkStreamClientOptions, 'random'>> & { random?: () => number };
  private readonly backoff: Backoff;
  private state: StreamState = 'idle';
  private socket?: WebSocket;
  private timer?: NodeJS.Timeout;
  private keepalive?: NodeJS.Timeout;
  private openAbort?: AbortController;
  private connections = 0;
  private lastError?: string;
  private connectedAt?: number;
  private stopped = true;
  /** Resolves when the current socket has closed (used by stop()). */
  private closed?: Promise<void>;

  constructor(options: DingtalkStreamClientOptions) {
    this.opts = {
      backoffBaseMs: 1000,
      backoffMaxMs: 60_000,
      stableAfterMs: 30_000,
      keepaliveMs: 20_000,
      connectTimeoutMs: 10_000,
      drainTimeoutMs: 5_000,
      ua: 'zhaoshang-bot/0.1 (ws)',
      ...options,
    };
    this.backoff = new Backoff({ baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs, random: options.random });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.openAbort?.abort();
    this.stopKeepalive();
    const s = this.socket;
    if (s && (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING)) {
      s.close(1000, 'client shutting down');
      const done = this.closed ?? Promise.resolve();
      await Promise.race([done, new Promise<void>((r) => setTimeout(r, 2000).unref())]);
      if ((s.readyState as number) !== WebSocket.CLOSED) s.terminate();
    }
  }

  status(): StreamStatus {
    return {
      state: this.state,
      connections: this.connections,
      failures: this.backoff.attempts,
      lastError: this.lastError,
      connectedAt: this.connectedAt,
    };
  }

  // ───────────────────────────── connecting ─────────────────────────────

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.state = 'connecting';
    let url: string;
    try {
      url = await this.openConnection();
    } catch (e) {
      return this.failed(e instanceof Error ? e.message : String(e), undefined);
    }
    if (this.stopped) return;
    this.openSocket(url);
  }

  /** Asks DingTalk for an endpoint and a single-use ticket. */
  private async openConnection(): Promise<string> {
    this.openAbort = new AbortController();
    const timeout = setTimeout(() => this.openAbort?.abort(), this.opts.connectTimeoutMs);
    try {
      const res = await fetch(`${this.opts.apiBase.replace(/\/+$/, '')}/v1.0/gateway/connections/open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          clientId: this.opts.clientId,
          clientSecret: this.opts.clientSecret,
          subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }],
          ua: this.opts.ua,
        }),
        signal: this.openAbort.signal,
      });
      const text = await res.text();
      let body: { endpoint?: unknown; ticket?: unknown; code?: unknown } = {};
      try {
        body = JSON.parse(text);
      } catch {
        /* handled below */
      }
      if (!res.ok) {
        // Only DingTalk's error code, never the body (it may echo the request).
        throw new OpenConnectionError(`connections/open answered HTTP ${res.status}${typeof body.code === 'string' ? ` (${body.code.slice(0, 80)})` : ''}`);
      }
      if (typeof body.endpoint !== 'string' || typeof body.ticket !== 'string' || !body.endpoint || !body.ticket) {
        throw new OpenConnectionError('connections/open answered without endpoint and ticket');
      }
      const u = new URL(body.endpoint);
      if (u.protocol !== 'wss:' && u.protocol !== 'ws:') throw new OpenConnectionError('connections/open gave a non-WebSocket endpoint');
      u.searchParams.set('ticket', body.ticket);
      return u.toString();
    } catch (e) {
      if (e instanceof OpenConnectionError) throw e;
      const name = (e as Error)?.name;
      throw new OpenConnectionError(name === 'AbortError' ? 'connections/open timed out' : `connections/open failed: ${(e as Error)?.message ?? e}`);
    } finally {
      clearTimeout(timeout);
      this.openAbort = undefined;
    }
  }

  private openSocket(url: string): void {
    const ws = new WebSocket(url, { handshakeTimeout: this.opts.connectTimeoutMs, perMessageDeflate: false });
    this.socket = ws;
    let opened = 0;
    let draining = false;
    let inFlight = 0;
    let pongPending = false;
    let closeReason = '';
    let graceful = false;
    let resolveClosed!: () => void;
    this.closed = new Promise<void>((r) => (resolveClosed = r));
    const host = safeHost(url);

    ws.on('open', () => {
      opened = Date.now();
      this.connections++;
      this.connectedAt = opened;
      this.state = 'open';
      this.lastError = undefined;
      this.opts.logger.info({ robotCode: this.opts.robotCode, host, connections: this.connections }, 'DingTalk Stream connected');
      this.stopKeepalive();
      this.keepalive = setInterval(() => {
        if (pongPending) {
          closeReason = 'no pong from the server';
          ws.terminate();
          return;
        }
        pongPending = true;
        try {
          ws.ping();
        } catch {
          /* the close handler reconnects */
        }
      }, this.opts.keepaliveMs);
      this.keepalive.unref();
    });
    ws.on('pong', () => {
      pongPending = false;
    });

    const send = (frame: UpFrame): boolean => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    };

    const finishDrain = () => {
      if (draining && inFlight === 0 && ws.readyState === WebSocket.OPEN) ws.close(1000, 'reconnecting');
    };

    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const action = interpretFrame(data.toString());
      switch (action.kind) {
        case 'pong':
          send(action.reply);
          return;
        case 'disconnect':
          // Acknowledge what we hold on this connection, then reconnect with a fresh ticket.
          this.opts.logger.info({ robotCode: this.opts.robotCode, reason: action.reason }, 'DingTalk Stream asked to reconnect');
          graceful = true;
          draining = true;
          closeReason = `server disconnect: ${action.reason}`;
          finishDrain();
          setTimeout(() => {
            if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'reconnecting');
          }, this.opts.drainTimeoutMs).unref();
          return;
        case 'robot-message':
          inFlight++;
          this.opts
            .onRobotMessage(action.payload, { messageId: action.messageId })
            .then(
              (stored) => {
                if (!stored) return;
                if (!send(action.ack)) {
                  this.opts.logger.warn({ robotCode: this.opts.robotCode, messageId: action.messageId }, 'connection closed before the ACK; DingTalk will push the message again');
                }
              },
              (err: unknown) => {
                this.opts.logger.warn(
                  { robotCode: this.opts.robotCode, messageId: action.messageId, err: { message: (err as Error)?.message ?? String(err) } },
                  'robot message not stored; left un-ACKed for DingTalk to push again',
                );
              },
            )
            .finally(() => {
              inFlight--;
              finishDrain();
            });
          return;
        case 'ack-only':
          send(action.ack);
          return;
        case 'notice':
          this.opts.logger.debug({ robotCode: this.opts.robotCode, topic: action.topic }, 'DingTalk Stream system notice');
          return;
        case 'invalid':
          this.opts.logger.warn({ robotCode: this.opts.robotCode, reason: action.reason }, 'unreadable DingTalk Stream frame ignored');
          return;
      }
    });

    ws.on('unexpected-response', (_req, res) => {
      closeReason = `WebSocket upgrade refused: HTTP ${res.statusCode}`;
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => {
      if (!closeReason) closeReason = `socket error: ${err.message}`;
    });
    ws.on('close', (code) => {
      this.stopKeepalive();
      resolveClosed();
      if (this.socket === ws) this.socket = undefined;
      if (this.stopped) return;
      const uptime = opened ? Date.now() - opened : 0;
      const reason = closeReason || (opened ? `connection closed (${code})` : 'connection failed');
      if (uptime >= this.opts.stableAfterMs) this.backoff.reset();
      if (graceful) {
        // The server rotated the connection: come back with a fresh ticket, at once (a little
        // jitter) if it had been healthy, after the backoff if it keeps rotating right away.
        const delay = uptime >= this.opts.stableAfterMs ? Math.round((this.opts.random ?? Math.random)() * 250) : this.backoff.next();
        this.opts.logger.info({ robotCode: this.opts.robotCode, delayMs: delay, uptimeMs: uptime }, 'DingTalk Stream reconnecting with a fresh ticket');
        this.schedule(delay, reason);
        return;
      }
      this.failed(reason, opened ? uptime : undefined);
    });
  }

  private failed(reason: string, uptime: number | undefined): void {
    if (this.stopped) return;
    this.lastError = reason;
    const delay = this.backoff.next();
    this.opts.logger.warn(
      { robotCode: this.opts.robotCode, failures: this.backoff.attempts, delayMs: delay, uptimeMs: uptime },
      `DingTalk Stream unavailable (${reason}); reconnecting`,
    );
    this.schedule(delay, reason);
  }

  private schedule(delayMs: number, reason: string): void {
    if (this.stopped) return;
    this.state = 'waiting';
    this.lastError = reason;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delayMs);
  }

  private stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
