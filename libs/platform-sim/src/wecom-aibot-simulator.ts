// A WeCom AI bot (企业微信智能机器人) simulator that plays the platform's side:
//  - HTTP callback mode: POSTs signed, AES-encrypted JSON `{"encrypt": ...}` callbacks (receiveid "")
//    to the product, retried with the identical request when no HTTP 200 arrives within 5 s
//    (3 attempts in all), and serves the response_url each message carries (accepted once, valid
//    one hour);
//  - long-connection mode: a WebSocket server speaking the protocol of `@wecom/aibot-node-sdk`
//    (aibot_subscribe with bot id + secret, ping heartbeats, aibot_msg_callback pushes with a
//    req_id, aibot_respond_msg stream replies echoing it, aibot_send_msg active pushes, an answer
//    `{headers: {req_id}, errcode, errmsg}` to every frame, one connection per bot);
//  - it records everything the product sent, and can drop connections, refuse them or stop
//    answering heartbeats to exercise reconnects.
//
// Error codes: 40058 (invalid parameter) is WeCom's general code and 853000 is what WeCom answers
// a wrong bot id or secret with; the other codes in AIBOT_SIM_ERR are the simulator's own, since
// WeCom does not document the long-connection codes.
import * as http from 'node:http';
import { Socket } from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { utf8Bytes, WecomCrypto } from '@zs/channels';
import { callbackUrlWith, deliverWithRetries, httpAttempt, isHttp200, parseJsonObject, readBody, sendJson, sleep } from './sim-http';
import { ActiveRequests, closeServer, createSimServer, listen } from './sim-server';
import { RecordLog, RecordStamps } from './record-log';

export const AIBOT_SIM_ERR = {
  INVALID_PARAMETER: 40058,
  AUTH_FAILED: 853000,
  NOT_AUTHENTICATED: 853001,
  REQ_ID_INVALID: 853002,
  STREAM_FINISHED: 853003,
  RESPONSE_URL_USED: 853004,
  RESPONSE_URL_EXPIRED: 853005,
  UNKNOWN_COMMAND: 853006,
} as const;

export const AIBOT_MAX_CONTENT_BYTES = 20480;

export interface AibotSimBot {
  botId: string;
  /** Long-connection secret; without it the bot cannot subscribe. */
  secret?: string;
  /** Callback token and EncodingAESKey; without them the bot sends no HTTP callbacks. */
  token?: string;
  encodingAesKey?: string;
  /** Shown in group mentions. Default 招商助手. */
  name?: string;
}

export interface WecomAibotSimulatorOptions {
  bots: AibotSimBot[];
  /** The product's POST /wecom/aibot/callback URL; may be set later. */
  callbackUrl?: string;
  port?: number;
  host?: string;
  /** How long WeCom waits for HTTP 200 before retrying. Default 5000. */
  retryTimeoutMs?: number;
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Pause before retrying after an error answer. Default min(1000, retryTimeoutMs). */
  retryDelayMs?: number;
  /** response_url lifetime. Default one hour. */
  responseUrlTtlMs?: number;
  /** How long a long-connection req_id can be answered. Default five minutes. */
  reqIdTtlMs?: number;
  now?: () => number;
}

export interface AibotSimMessage {
  from: string;
  content: string;
  /** Default single; group needs chatId (one is made up when absent). */
  chatType?: 'single' | 'group';
  chatId?: string;
  /** Default a fresh random id; reuse one to play a platform retry. */
  msgId?: string;
  /** Group messages start with `@<bot name> ` unless false. */
  mention?: boolean;
  /** Default text. */
  msgtype?: string;
  /** Whether the message carries a response_url. Default true. */
  responseUrl?: boolean;
  /** The response_url has already expired when the product uses it. */
  responseUrlExpired?: boolean;
}

export interface AibotDeliveryOptions {
  /**
   * The product's first `n` answers are lost on the way back (as on a flaky network): WeCom sees
   * no HTTP 200 and retries with the identical request.
   */
  loseAnswers?: number;
}

export interface AibotCallbackResult {
  msgId: string;
  acked: boolean;
  attempts: number;
  statuses: number[];
  ackMs: number[];
  /** The response_url the message carried. */
  responseUrl?: string;
}

export interface AibotReplyFrame {
  seq: number;
  at: number;
  botId: string;
  reqId: string;
  msgId?: string;
  streamId: string;
  content: string;
  finish: boolean;
  errcode: number;
}

export interface AibotPushRecord {
  seq: number;
  at: number;
  botId: string;
  chatId: string;
  msgtype: string;
  content: string;
  errcode: number;
}

export interface AibotResponseUrlPost {
  seq: number;
  at: number;
  botId: string;
  msgId: string;
  msgtype: string;
  content: string;
  errcode: number;
}

export interface AibotCallbackRecord {
  seq: number;
  at: number;
  botId: string;
  mode: 'http' | 'ws';
  msgId: string;
  reqId?: string;
  from: string;
  chatType: 'single' | 'group';
  chatId?: string;
  content: string;
  attempts?: number;
  acked?: boolean;
}

interface ResponseUrlState {
  botId: string;
  msgId: string;
  expiresAt: number;
  used: boolean;
}

interface ReqIdState {
  botId: string;
  msgId: string;
  issuedAt: number;
  finished: boolean;
}

interface Conn {
  ws: WebSocket;
  botId?: string;
  openedAt: number;
}

export class WecomAibotSimulator {
  private readonly bots = new Map<string, AibotSimBot & { crypto?: WecomCrypto }>();
  private readonly o: Required<Omit<WecomAibotSimulatorOptions, 'bots' | 'callbackUrl'>>;
  private callbackUrl: string;
  private server?: http.Server;
  private wss?: WebSocketServer;
  private base = '';
  private stopped = false;

  private readonly conns = new Set<Conn>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly reqIds = new Map<string, ReqIdState>();
  private readonly requests = new ActiveRequests();
  private refuseUpgrades = 0;
  private readonly cutOnReply = new Set<string>();
  private answerHeartbeats = true;
  private readonly auths = new Map<string, number>();
  private readonly pings = new Map<string, number>();
  private readonly upgrades: number[] = [];

  private readonly stamps: RecordStamps;
  private readonly replyRecords: RecordLog<AibotReplyFrame>;
  private readonly pushRecords: RecordLog<AibotPushRecord>;
  private readonly responseRecords: RecordLog<AibotResponseUrlPost>;
  private readonly callbackRecords: RecordLog<AibotCallbackRecord>;

  constructor(options: WecomAibotSimulatorOptions) {
    if (!options.bots?.length) throw new Error('WecomAibotSimulator: at least one bot is required');
    for (const b of options.bots) {
      if (!b.botId) throw new Error('WecomAibotSimulator: every bot needs a botId');
      this.bots.set(b.botId, { ...b, crypto: b.token && b.encodingAesKey ? new WecomCrypto(b.token, b.encodingAesKey, '') : undefined });
    }
    const retryTimeoutMs = options.retryTimeoutMs ?? 5000;
    this.o = {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      retryTimeoutMs,
      maxAttempts: Math.max(1, options.maxAttempts ?? 3),
      retryDelayMs: options.retryDelayMs ?? Math.min(1000, retryTimeoutMs),
      responseUrlTtlMs: options.responseUrlTtlMs ?? 3600_000,
      reqIdTtlMs: options.reqIdTtlMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    };
    this.callbackUrl = options.callbackUrl ?? '';
    this.stamps = new RecordStamps(this.o.now);
    this.replyRecords = new RecordLog(this.stamps);
    this.pushRecords = new RecordLog(this.stamps);
    this.responseRecords = new RecordLog(this.stamps);
    this.callbackRecords = new RecordLog(this.stamps);
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async start(): Promise<{ baseUrl: string; wsUrl: string }> {
    if (this.server) return { baseUrl: this.base, wsUrl: this.wsUrl };
    this.stopped = false;
    const server = createSimServer((req, res) => this.handle(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
    server.on('upgrade', (req, socket: Socket, head) => {
      this.upgrades.push(Date.now());
      if (this.refuseUpgrades > 0) {
        this.refuseUpgrades--;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
    const port = await listen(server, this.o.port, this.o.host);
    this.server = server;
    this.wss = wss;
    this.base = `http://${this.o.host === '0.0.0.0' ? '127.0.0.1' : this.o.host}:${port}`;
    return { baseUrl: this.base, wsUrl: this.wsUrl };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.requests.abortAll();
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    this.wss?.close();
    const server = this.server;
    this.server = undefined;
    if (server) await closeServer(server);
  }

  get baseUrl(): string {
    return this.base;
  }

  get wsUrl(): string {
    return this.base.replace(/^http/, 'ws');
  }

  setCallbackUrl(url: string): void {
    this.callbackUrl = url;
  }

  // ───────────────────────────── records ─────────────────────────────

  /** aibot_respond_msg frames the product sent (accepted or not), oldest first. */
  replies(botId?: string): AibotReplyFrame[] {
    return this.replyRecords.filter((r) => botId === undefined || r.botId === botId);
  }

  /** aibot_send_msg frames (active pushes). */
  pushes(botId?: string): AibotPushRecord[] {
    return this.pushRecords.filter((r) => botId === undefined || r.botId === botId);
  }

  /** POSTs to response_urls, accepted (errcode 0) or refused. */
  responseUrlPosts(botId?: string): AibotResponseUrlPost[] {
    return this.responseRecords.filter((r) => botId === undefined || r.botId === botId);
  }

  /** Messages the simulator delivered to the product (callbacks and socket pushes). */
  callbacks(): AibotCallbackRecord[] {
    return this.callbackRecords.all();
  }

  /**
   * What reached the chat for one message: finished streams, accepted response_url posts, and
   * pushes to `chatId` (pass it to include pushes, which carry no message id).
   */
  answersFor(msgId: string): string[] {
    const streams = this.replyRecords.filter((r) => r.msgId === msgId && r.finish && r.errcode === 0).map((r) => r.content);
    const posts = this.responseRecords.filter((r) => r.msgId === msgId && r.errcode === 0).map((r) => r.content);
    return [...streams, ...posts];
  }

  /** Successful subscriptions of a bot since start. */
  authCount(botId: string): number {
    return this.auths.get(botId) ?? 0;
  }

  /** Heartbeats received from a bot's connections. */
  heartbeats(botId: string): number {
    return this.pings.get(botId) ?? 0;
  }

  /** Times (ms) of every WebSocket upgrade request, refused ones included. */
  upgradeAttempts(): number[] {
    return this.upgrades.slice();
  }

  isConnected(botId: string): boolean {
    return !!this.connFor(botId);
  }

  async waitConnected(botId: string, timeoutMs = 10_000, minAuthCount = 1): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.isConnected(botId) && this.authCount(botId) >= minAuthCount) return;
      await sleep(20);
    }
    throw new Error(`WecomAibotSimulator: bot ${botId} not connected after ${timeoutMs} ms (auths: ${this.authCount(botId)})`);
  }

  // ───────────────────────────── fault injection ─────────────────────────────

  /** Drops the bot's connections (all bots' when omitted) without a close handshake, like a network cut. */
  dropConnections(botId?: string): number {
    let n = 0;
    for (const c of this.conns) {
      if (botId === undefined || c.botId === botId) {
        c.ws.terminate();
        this.conns.delete(c);
        n++;
      }
    }
    return n;
  }

  /** The next `n` WebSocket upgrade requests are answered 503. */
  refuseNextConnections(n: number): void {
    this.refuseUpgrades = n;
  }

  /** Stops (or resumes) answering heartbeats, so the client must notice a dead connection. */
  setHeartbeatAnswering(on: boolean): void {
    this.answerHeartbeats = on;
  }

  /** The next aibot_respond_msg frame of the bot is not answered: the connection drops instead. */
  dropConnectionOnNextReply(botId: string): void {
    this.cutOnReply.add(botId);
  }

  /** Makes a message's response_url refuse posts as expired. */
  expireResponseUrlOf(msgId: string): void {
    for (const s of this.responseUrls.values()) if (s.msgId === msgId) s.expiresAt = 0;
  }

  // ───────────────────────────── HTTP callback mode ─────────────────────────────

  /** The JSON WeCom encrypts for a message. */
  buildMessage(botId: string, m: AibotSimMessage, extra: Record<string, unknown> = {}): { json: Record<string, unknown>; msgId: string } {
    const bot = this.bot(botId);
    const chatType = m.chatType ?? 'single';
    const msgId = m.msgId ?? `sim${randomBytes(12).toString('hex')}`;
    const mention = chatType === 'group' && m.mention !== false ? `@${bot.name ?? '招商助手'} ` : '';
    const msgtype = m.msgtype ?? 'text';
    const json: Record<string, unknown> = {
      msgid: msgId,
      aibotid: botId,
      ...(chatType === 'group' ? { chatid: m.chatId ?? `wr${randomBytes(8).toString('hex')}` } : {}),
      chattype: chatType,
      from: { userid: m.from },
      create_time: Math.floor(this.o.now() / 1000),
      msgtype,
      ...(msgtype === 'text' ? { text: { content: mention + m.content } } : {}),
      ...extra,
    };
    return { json, msgId };
  }

  /** Encrypts and signs a plaintext: the query and the body WeCom would POST. */
  sealCallback(botId: string, plaintext: string, timestamp = String(Math.floor(this.o.now() / 1000)), nonce = randomNonce()) {
    const crypto = this.cryptoOf(botId);
    const encrypt = crypto.encrypt(plaintext);
    return {
      query: { msg_signature: crypto.signature(timestamp, nonce, encrypt), timestamp, nonce },
      body: JSON.stringify({ encrypt }),
      encrypt,
    };
  }

  /** A message through the HTTP callback, with WeCom's retries (each attempt the identical request). */
  async sendCallback(botId: string, m: AibotSimMessage, opts: AibotDeliveryOptions = {}): Promise<AibotCallbackResult> {
    const responseUrl = m.responseUrl === false ? undefined : this.issueResponseUrl(botId, m.msgId);
    const { json, msgId } = this.buildMessage(botId, m, responseUrl ? { response_url: responseUrl.url } : {});
    if (responseUrl) {
      responseUrl.state.msgId = msgId;
      if (m.responseUrlExpired) responseUrl.state.expiresAt = 0;
    }
    const record = this.callbackRecords.add({
      botId,
      mode: 'http',
      msgId,
      from: m.from,
      chatType: (json.chattype as 'single' | 'group') ?? 'single',
      chatId: json.chatid as string | undefined,
      content: m.content,
    });
    const sealed = this.sealCallback(botId, JSON.stringify(json));
    const r = await this.deliver(sealed.query, sealed.body, opts.loseAnswers ?? 0);
    record.attempts = r.attempts;
    record.acked = r.acked;
    return { ...r, msgId, responseUrl: responseUrl?.url };
  }

  /** One unretried request to the callback URL, for negative tests. */
  async sendRawCallback(req: { query?: Record<string, string>; body?: string; method?: string; timeoutMs?: number }) {
    const url = this.callbackTarget(req.query ?? {});
    const r = await httpAttempt(
      (req.method ?? 'POST').toUpperCase(),
      url,
      req.body,
      req.body !== undefined ? { 'content-type': 'application/json' } : {},
      req.timeoutMs ?? this.o.retryTimeoutMs,
      this.requests.track,
    );
    return { status: r.status, body: r.body, ms: r.ms, error: r.error };
  }

  /** GET URL verification; `echoPlain` is what the body must equal. */
  async verifyUrl(botId: string): Promise<{ status: number; body: string; echoPlain: string }> {
    const crypto = this.cryptoOf(botId);
    const echoPlain = String(randomInt(1, 2 ** 47));
    const echostr = crypto.encrypt(echoPlain);
    const timestamp = String(Math.floor(this.o.now() / 1000));
    const nonce = randomNonce();
    const r = await this.sendRawCallback({
      method: 'GET',
      query: { msg_signature: crypto.signature(timestamp, nonce, echostr), timestamp, nonce, echostr },
    });
    return { status: r.status, body: r.body, echoPlain };
  }

  // ───────────────────────────── long-connection mode ─────────────────────────────

  /** Pushes a message to the bot's connection (aibot_msg_callback). Throws when the bot is not connected. */
  pushMessage(botId: string, m: AibotSimMessage): { reqId: string; msgId: string } {
    const conn = this.connFor(botId);
    if (!conn) throw new Error(`WecomAibotSimulator: bot ${botId} has no authenticated connection`);
    const { json, msgId } = this.buildMessage(botId, m);
    const reqId = `sim_req_${randomBytes(10).toString('hex')}`;
    this.reqIds.set(reqId, { botId, msgId, issuedAt: this.o.now(), finished: false });
    this.callbackRecords.add({
      botId,
      mode: 'ws',
      msgId,
      reqId,
      from: m.from,
      chatType: (json.chattype as 'single' | 'group') ?? 'single',
      chatId: json.chatid as string | undefined,
      content: m.content,
    });
    conn.ws.send(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body: json }));
    return { reqId, msgId };
  }

  /** Sends an event (enter_chat...) over the bot's connection. */
  pushEvent(botId: string, eventtype: string, from = 'someone'): string {
    const conn = this.connFor(botId);
    if (!conn) throw new Error(`WecomAibotSimulator: bot ${botId} has no authenticated connection`);
    const reqId = `sim_evt_${randomBytes(8).toString('hex')}`;
    conn.ws.send(
      JSON.stringify({
        cmd: 'aibot_event_callback',
        headers: { req_id: reqId },
        body: { msgid: `evt${randomBytes(8).toString('hex')}`, aibotid: botId, chattype: 'single', from: { userid: from }, msgtype: 'event', event: { eventtype } },
      }),
    );
    return reqId;
  }

  // ───────────────────────────── internals ─────────────────────────────

  private bot(botId: string) {
    const b = this.bots.get(botId);
    if (!b) throw new Error(`WecomAibotSimulator: unknown bot ${botId}`);
    return b;
  }

  private cryptoOf(botId: string): WecomCrypto {
    const c = this.bot(botId).crypto;
    if (!c) throw new Error(`WecomAibotSimulator: bot ${botId} has no token / EncodingAESKey`);
    return c;
  }

  private connFor(botId: string): Conn | undefined {
    for (const c of this.conns) if (c.botId === botId && c.ws.readyState === WebSocket.OPEN) return c;
    return undefined;
  }

  private callbackTarget(query: Record<string, string>): URL {
    return callbackUrlWith(this.callbackUrl, query, 'WecomAibotSimulator');
  }

  private async deliver(query: Record<string, string>, body: string, loseAnswers = 0) {
    const url = this.callbackTarget(query);
    const { acked, results } = await deliverWithRetries(
      { maxAttempts: this.o.maxAttempts, retryDelayMs: this.o.retryDelayMs, stopped: () => this.stopped },
      () => httpAttempt('POST', url, body, { 'content-type': 'application/json' }, this.o.retryTimeoutMs, this.requests.track),
      (r, attempt) => isHttp200(r) && attempt > loseAnswers,
    );
    // A lost answer is no 200 as far as WeCom knows: it retries.
    const statuses = results.map((r, i) => (i < loseAnswers ? 0 : r.status));
    return { acked, attempts: results.length, statuses, ackMs: results.map((r) => r.ms) };
  }

  /** A fresh response_url for a (made-up) message, as if a callback had carried it. */
  newResponseUrl(botId: string, msgId = `sim${randomBytes(12).toString('hex')}`): string {
    this.bot(botId);
    return this.issueResponseUrl(botId, msgId).url;
  }

  private issueResponseUrl(botId: string, msgId = '') {
    const code = randomBytes(18).toString('base64url');
    const state: ResponseUrlState = { botId, msgId, expiresAt: this.o.now() + this.o.responseUrlTtlMs, used: false };
    this.responseUrls.set(code, state);
    return { url: `${this.base}/cgi-bin/aibot/response?response_code=${code}`, state };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    if (url.pathname === '/cgi-bin/aibot/response' && req.method === 'POST') return this.onResponseUrl(url, req, res);
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    sendJson(res, 404, { errcode: 404, errmsg: 'not found' });
  }

  private async onResponseUrl(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = await readBody(req);
    const state = this.responseUrls.get(url.searchParams.get('response_code') ?? '');
    if (!state) return sendJson(res, 200, { errcode: AIBOT_SIM_ERR.RESPONSE_URL_EXPIRED, errmsg: 'invalid response_code' });
    const body = parseJsonObject(text);
    const msgtype = typeof body?.msgtype === 'string' ? body.msgtype : '';
    const part = body?.[msgtype] as { content?: unknown } | undefined;
    const content = typeof part?.content === 'string' ? part.content : '';
    const record = (errcode: number, errmsg: string) => {
      this.responseRecords.add({ botId: state.botId, msgId: state.msgId, msgtype, content, errcode });
      sendJson(res, 200, { errcode, errmsg });
    };
    if (state.used) return record(AIBOT_SIM_ERR.RESPONSE_URL_USED, 'response_url has been used');
    if (this.o.now() >= state.expiresAt) return record(AIBOT_SIM_ERR.RESPONSE_URL_EXPIRED, 'response_url expired');
    if ((msgtype !== 'markdown' && msgtype !== 'text') || !content) return record(AIBOT_SIM_ERR.INVALID_PARAMETER, 'invalid msgtype or empty content');
    if (utf8Bytes(content) > AIBOT_MAX_CONTENT_BYTES) return record(AIBOT_SIM_ERR.INVALID_PARAMETER, `content exceeds ${AIBOT_MAX_CONTENT_BYTES} bytes`);
    state.used = true;
    record(0, 'ok');
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = { ws, openedAt: Date.now() };
    this.conns.add(conn);
    ws.on('close', () => this.conns.delete(conn));
    ws.on('error', () => this.conns.delete(conn));
    ws.on('message', (data) => {
      let frame: { cmd?: unknown; headers?: { req_id?: unknown }; body?: unknown };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
      const answer = (errcode: number, errmsg = errcode === 0 ? 'ok' : 'error') => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));
      };
      this.onFrame(conn, String(frame.cmd ?? ''), reqId, frame.body, answer);
    });
  }

  private onFrame(conn: Conn, cmd: string, reqId: string, body: unknown, answer: (errcode: number, errmsg?: string) => void): void {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (cmd === 'aibot_subscribe') {
      const bot = this.bots.get(String(b.bot_id ?? ''));
      if (!bot || !bot.secret || b.secret !== bot.secret) {
        answer(AIBOT_SIM_ERR.AUTH_FAILED, 'invalid bot_id or secret');
        conn.ws.close(1008, 'auth failed');
        return;
      }
      // One connection per bot: the older one is told and closed.
      for (const other of this.conns) {
        if (other !== conn && other.botId === bot.botId) {
          other.ws.send(
            JSON.stringify({
              cmd: 'aibot_event_callback',
              headers: { req_id: `sim_evt_${randomBytes(6).toString('hex')}` },
              body: { msgid: `evt${randomBytes(6).toString('hex')}`, aibotid: bot.botId, msgtype: 'event', from: { userid: '' }, event: { eventtype: 'disconnected_event' } },
            }),
          );
          other.ws.close(1000, 'replaced');
          this.conns.delete(other);
        }
      }
      conn.botId = bot.botId;
      this.auths.set(bot.botId, (this.auths.get(bot.botId) ?? 0) + 1);
      answer(0, 'ok');
      return;
    }
    if (!conn.botId) return answer(AIBOT_SIM_ERR.NOT_AUTHENTICATED, 'not subscribed');
    const botId = conn.botId;
    switch (cmd) {
      case 'ping':
        this.pings.set(botId, (this.pings.get(botId) ?? 0) + 1);
        if (this.answerHeartbeats) answer(0, 'ok');
        return;
      case 'aibot_respond_msg': {
        if (this.cutOnReply.delete(botId)) {
          conn.ws.terminate();
          this.conns.delete(conn);
          return;
        }
        const stream = (b.stream && typeof b.stream === 'object' ? b.stream : {}) as Record<string, unknown>;
        const content = typeof stream.content === 'string' ? stream.content : '';
        const streamId = typeof stream.id === 'string' ? stream.id : '';
        const finish = stream.finish === true;
        const state = this.reqIds.get(reqId);
        const rec = (errcode: number) =>
          this.replyRecords.add({ botId, reqId, msgId: state?.msgId, streamId, content, finish, errcode });
        let errcode = 0;
        let errmsg = 'ok';
        if (!state || state.botId !== botId || this.o.now() - state.issuedAt > this.o.reqIdTtlMs) {
          errcode = AIBOT_SIM_ERR.REQ_ID_INVALID;
          errmsg = 'invalid or expired req_id';
        } else if (b.msgtype !== 'stream' || !streamId) {
          errcode = AIBOT_SIM_ERR.INVALID_PARAMETER;
          errmsg = 'msgtype must be stream with stream.id';
        } else if (utf8Bytes(content) > AIBOT_MAX_CONTENT_BYTES) {
          errcode = AIBOT_SIM_ERR.INVALID_PARAMETER;
          errmsg = `content exceeds ${AIBOT_MAX_CONTENT_BYTES} bytes`;
        } else if (state.finished) {
          errcode = AIBOT_SIM_ERR.STREAM_FINISHED;
          errmsg = 'stream already finished';
        }
        rec(errcode);
        if (errcode === 0 && finish) state!.finished = true;
        return answer(errcode, errmsg);
      }
      case 'aibot_send_msg': {
        const chatId = typeof b.chatid === 'string' ? b.chatid : '';
        const msgtype = typeof b.msgtype === 'string' ? b.msgtype : '';
        const part = (b[msgtype] && typeof b[msgtype] === 'object' ? b[msgtype] : {}) as Record<string, unknown>;
        const content = typeof part.content === 'string' ? part.content : msgtype === 'template_card' ? JSON.stringify(part) : '';
        let errcode = 0;
        if (!chatId || (msgtype !== 'markdown' && msgtype !== 'template_card') || !content) errcode = AIBOT_SIM_ERR.INVALID_PARAMETER;
        else if (utf8Bytes(content) > AIBOT_MAX_CONTENT_BYTES) errcode = AIBOT_SIM_ERR.INVALID_PARAMETER;
        this.pushRecords.add({ botId, chatId, msgtype, content, errcode });
        return answer(errcode, errcode ? 'invalid parameter' : 'ok');
      }
      default:
        return answer(AIBOT_SIM_ERR.UNKNOWN_COMMAND, `unknown cmd ${cmd}`);
    }
  }
}

function randomNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}
