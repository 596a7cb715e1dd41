import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff';

/**
 * The WeCom AI bot long connection (the protocol of the official `@wecom/aibot-node-sdk`):
 *
 *   → {cmd: "aibot_subscribe", headers: {req_id}, body: {bot_id, secret}}
 *   ← {headers: {req_id}, errcode: 0, errmsg: "ok"}                 (auth answer)
 *   → {cmd: "ping", headers: {req_id}}  every heartbeat interval    ← {headers: {req_id}, errcode: 0}
 *   ← {cmd: "aibot_msg_callback" | "aibot_event_callback", headers: {req_id}, body: {...}}
 *   → {cmd: "aibot_respond_msg", headers: {req_id: <the callback's>}, body: {msgtype: "stream", stream: {id, finish, content}}}
 *   → {cmd: "aibot_send_msg", headers: {req_id: <new>}, body: {chatid, msgtype: "markdown", markdown: {content}}}
 *   ← {headers: {req_id}, errcode, errmsg}                           (answer to each frame)
 *
 * Frames for one req_id are sent one at a time, each after the previous one was answered.
 * Two unanswered heartbeats mean a dead connection. Every loss is followed by a reconnect
 * after an exponential delay with jitter; a new connection for the same bot elsewhere makes
 * WeCom send `disconnected_event` and close this one, after which we wait the longest delay.
 */

export interface AibotWsFrame {
  cmd?: string;
  headers?: { req_id?: string; [k: string]: unknown };
  body?: unknown;
  errcode?: number;
  errmsg?: string;
}

export interface AibotCallbackFrame {
  cmd: 'aibot_msg_callback' | 'aibot_event_callback';
  reqId: string;
  body: unknown;
}

export type AibotWsState = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'waiting' | 'stopped';

export interface AibotWsClientOptions {
  url: string;
  botId: string;
  secret: string;
  heartbeatMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  logger: Logger;
  onCallback: (frame: AibotCallbackFrame) => void;
  /** Waiting for an answer to a frame. Default 5000. */
  ackTimeoutMs?: number;
  /** Waiting for the connection and the auth answer. Default 10000. */
  connectTimeoutMs?: number;
  /** Heartbeats in a row without answer before the connection counts as dead. Default 2. */
  maxMissedHeartbeats?: number;
  random?: () => number;
  /**
   * Schedules the next connection attempt after a loss. Default setTimeout; tests inject one
   * that records the delays, so the backoff is checked by its values, not by a stopwatch.
   */
  scheduleReconnect?: (connect: () => void, delayMs: number) => NodeJS.Timeout;
}

export class AibotNotConnectedError extends Error {}
export class AibotAckTimeoutError extends Error {}

export const AIBOT_CMD = {
  subscribe: 'aibot_subscribe',
  ping: 'ping',
  respond: 'aibot_respond_msg',
  send: 'aibot_send_msg',
  callback: 'aibot_msg_callback',
  event: 'aibot_event_callback',
} as const;

const newReqId = (prefix: string) => `${prefix}_${Date.now()}_${randomBytes(6).toString('hex')}`;

interface Pending {
  resolve: (f: AibotWsFrame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class AibotWsClient {
  private ws?: WebSocket;
  private state: AibotWsState = 'idle';
  private attempt = 0;
  private readyAt = 0;
  private kicked = false;
  private subscribeReqId = '';
  private readonly pingIds = new Set<string>();
  private missed = 0;
  private heartbeatTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private readonly pending = new Map<string, Pending>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readyWaiters: Array<() => void> = [];
  /** Connections that completed authentication since start (for tests and logs). */
  authentications = 0;

  constructor(private readonly o: AibotWsClientOptions) {}

  get status(): AibotWsState {
    return this.state;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    this.state = 'idle';
    this.connect();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.connectTimer);
    this.stopHeartbeat();
    this.failPending(new AibotNotConnectedError('long connection stopped'));
    const ws = this.ws;
    this.ws = undefined;
    if (!ws) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2000);
      ws.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000, 'shutdown');
    });
  }

  /** Resolves once authenticated (or after timeoutMs, with false). */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve(true);
      };
      this.readyWaiters.push(done);
    });
  }

  /**
   * Sends a frame and resolves with WeCom's answer to it (whatever its errcode). Frames with the
   * same req_id go one at a time. Rejects with AibotNotConnectedError / AibotAckTimeoutError.
   */
  request(cmd: string, body: unknown, reqId: string = newReqId(cmd)): Promise<AibotWsFrame> {
    const prev = this.chains.get(reqId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.sendAndWait(cmd, body, reqId));
    this.chains.set(reqId, next);
    const cleanup = () => {
      if (this.chains.get(reqId) === next) this.chains.delete(reqId);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  // ───────────────────────────── internals ─────────────────────────────

  private sendAndWait(cmd: string, body: unknown, reqId: string): Promise<AibotWsFrame> {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!this.isReady || !ws || ws.readyState !== WebSocket.OPEN) {
        reject(new AibotNotConnectedError('the long connection is not ready'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        reject(new AibotAckTimeoutError(`no answer to ${cmd} within ${this.o.ackTimeoutMs ?? 5000} ms`));
      }, this.o.ackTimeoutMs ?? 5000);
      this.pending.set(reqId, { resolve, reject, timer });
      ws.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(reqId);
        reject(new AibotNotConnectedError(`send failed: ${err.message}`));
      });
    });
  }

  private connect(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    this.kicked = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.o.url, { handshakeTimeout: this.o.connectTimeoutMs ?? 10_000, maxPayload: 8 * 1024 * 1024 });
    } catch (e) {
      this.o.logger.error({ botId: this.o.botId, err: { message: (e as Error).message } }, 'AI bot long connection: cannot open the socket');
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    // The whole handshake (TCP, TLS, upgrade and the auth answer) must finish in time.
    this.connectTimer = setTimeout(() => {
      this.o.logger.warn({ botId: this.o.botId }, 'AI bot long connection: no authentication answer in time; reconnecting');
      ws.terminate();
    }, this.o.connectTimeoutMs ?? 10_000);

    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.state = 'authenticating';
      this.subscribeReqId = newReqId(AIBOT_CMD.subscribe);
      ws.send(JSON.stringify({ cmd: AIBOT_CMD.subscribe, headers: { req_id: this.subscribeReqId }, body: { bot_id: this.o.botId, secret: this.o.secret } }));
    });
    ws.on('message', (data) => {
      if (this.ws !== ws) return;
      let frame: AibotWsFrame;
      try {
        frame = JSON.parse(data.toString()) as AibotWsFrame;
      } catch {
        this.o.logger.warn({ botId: this.o.botId }, 'AI bot long connection: a frame that is not JSON was ignored');
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      this.onFrame(ws, frame);
    });
    ws.on('error', (err) => {
      // Followed by 'close'; the URL carries no secret.
      this.o.logger.warn({ botId: this.o.botId, err: { message: err.message } }, 'AI bot long connection error');
    });
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.onClosed(code);
    });
  }

  private onFrame(ws: WebSocket, frame: AibotWsFrame): void {
    const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
    if (frame.cmd === AIBOT_CMD.callback || frame.cmd === AIBOT_CMD.event) {
      if (!reqId) return;
      const body = frame.body as { event?: { eventtype?: unknown } } | undefined;
      if (frame.cmd === AIBOT_CMD.event && body?.event?.eventtype === 'disconnected_event') {
        // Another connection for this bot took over (WeCom keeps one per bot).
        this.kicked = true;
        this.o.logger.warn({ botId: this.o.botId }, 'AI bot long connection: WeCom says another connection for this bot took over');
      }
      try {
        this.o.onCallback({ cmd: frame.cmd, reqId, body: frame.body });
      } catch (e) {
        this.o.logger.error({ botId: this.o.botId, err: e }, 'AI bot long connection: callback handler failed');
      }
      return;
    }
    if (reqId && reqId === this.subscribeReqId && this.state === 'authenticating') {
      clearTimeout(this.connectTimer);
      if (frame.errcode !== 0) {
        this.o.logger.error(
          { botId: this.o.botId, errcode: frame.errcode, errmsg: frame.errmsg },
          'AI bot long connection: WeCom refused the bot id or secret; check WECOM_AIBOT_*_BOT_ID and _SECRET',
        );
        ws.close(1000, 'auth failed');
        return;
      }
      this.state = 'ready';
      this.readyAt = Date.now();
      this.authentications++;
      this.missed = 0;
      this.startHeartbeat(ws);
      this.o.logger.info({ botId: this.o.botId, attempt: this.attempt }, 'AI bot long connection ready');
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w();
      return;
    }
    if (reqId && this.pingIds.delete(reqId)) {
      this.missed = 0;
      return;
    }
    const pending = reqId ? this.pending.get(reqId) : undefined;
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(reqId);
      pending.resolve(frame);
      return;
    }
    this.o.logger.debug({ botId: this.o.botId, cmd: frame.cmd }, 'AI bot long connection: unexpected frame ignored');
  }

  private startHeartbeat(ws: WebSocket): void {
    this.stopHeartbeat();
    const limit = this.o.maxMissedHeartbeats ?? 2;
    this.heartbeatTimer = setInterval(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      if (this.missed >= limit) {
        this.o.logger.warn({ botId: this.o.botId, missed: this.missed }, 'AI bot long connection: heartbeats unanswered; reconnecting');
        ws.terminate();
        return;
      }
      this.missed++;
      const id = newReqId(AIBOT_CMD.ping);
      this.pingIds.add(id);
      if (this.pingIds.size > 16) this.pingIds.delete(this.pingIds.values().next().value as string);
      ws.send(JSON.stringify({ cmd: AIBOT_CMD.ping, headers: { req_id: id } }));
    }, this.o.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.pingIds.clear();
  }

  private onClosed(code: number): void {
    clearTimeout(this.connectTimer);
    this.stopHeartbeat();
    this.ws = undefined;
    this.failPending(new AibotNotConnectedError(`long connection closed (${code})`));
    if (this.state === 'stopped') return;
    // A connection that was up for a while starts the backoff afresh.
    const stableMs = Math.max(10_000, 2 * this.o.heartbeatMs);
    if (this.state === 'ready' && Date.now() - this.readyAt >= stableMs) this.attempt = 0;
    this.o.logger.warn({ botId: this.o.botId, code }, 'AI bot long connection lost');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === 'stopped') return;
    this.state = 'waiting';
    this.attempt++;
    const delay = this.kicked
      ? this.o.reconnectMaxMs
      : backoffDelay(this.attempt, this.o.reconnectBaseMs, this.o.reconnectMaxMs, this.o.random);
    this.o.logger.info({ botId: this.o.botId, attempt: this.attempt, delayMs: delay }, 'AI bot long connection: reconnecting');
    this.reconnectTimer = (this.o.scheduleReconnect ?? setTimeout)(() => this.connect(), delay);
  }

  private failPending(err: Error): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
