// A DingTalk (钉钉) simulator that plays the platform's side of both directions:
//  - app robot, HTTP mode: POSTs robot messages to the product's callback URL with the
//    `timestamp` / `sign` headers, retrying (same msgId) when no HTTP 200 arrives in time;
//  - app robot, Stream mode: serves POST /v1.0/gateway/connections/open (single-use tickets)
//    and the WebSocket, pushes CALLBACK frames, expects an ACK per frame and pushes an
//    unacknowledged message again after `streamRedeliverMs` (about 60 s on DingTalk), sends
//    SYSTEM pings (expects the echo) and, on request, SYSTEM disconnect;
//  - the ways out: sessionWebhook URLs (with expiry), OpenAPI token, group and 1:1 robot
//    messages, custom robot webhooks with sign verification; 20 messages a minute per robot,
//    then errcode 130101 and a 10-minute throttle;
//  - a local chat console (DingTalk-like page) on the same port.
//
// Behaviour choices where DingTalk's documentation is silent (all deliberate, all here):
//  - an expired or unknown sessionWebhook answers HTTP 200 {errcode: 300001, errmsg: "session expired"};
//  - the OpenAPI answers errors as HTTP 4xx {code, message, requestid}; an unknown, expired or
//    revoked token is HTTP 401 {code: "InvalidAuthentication"};
//  - the per-robot limit counts custom robot webhooks per access_token and OpenAPI group messages
//    per robotCode and group; throttled OpenAPI calls answer HTTP 403 {code: "130101"};
//  - a Stream redelivery carries a new frame messageId and the same robot msgId;
//  - content over 20000 bytes: custom robot / session errcode 460101, OpenAPI 400
//    invalidParameter.msgParam.tooLong.
import * as http from 'node:http';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { dingtalkCallbackSign, utf8Bytes } from '@zs/channels';
import { renderDingtalkConsolePage } from './dingtalk-console-page';
import {
  attemptError,
  callbackUrlWith,
  deliverWithRetries,
  HttpError,
  httpAttempt,
  nonEmptyStrings,
  readConsoleJson,
  readJsonObject,
  sendJson,
  sendText,
  sleep,
} from './sim-http';
import { ActiveRequests, closeServer, createSimServer, listen, localBaseUrl, requestTarget } from './sim-server';
import { consoleFeed, RecordLog, RecordStamps } from './record-log';
import { MemberDirectory } from './member-directory';
import { SlidingWindowLog } from './sliding-window';

export const DINGTALK_TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

export interface DingtalkSimApp {
  clientId: string;
  clientSecret: string;
  /** Default: clientId (as for an internal app robot). */
  robotCode?: string;
  /** Robot display name in the console. */
  name?: string;
}

export interface DingtalkSimMember {
  staffId: string;
  name: string;
  unitName: string;
  mobile?: string;
  /** The person's unionId (what web sign-in names them by); default dingtalkSimUnionIdOf(staffId). */
  unionId?: string;
}

/** The unionId the simulator gives a member without one (real unionIds are opaque; this one is readable). */
export function dingtalkSimUnionIdOf(staffId: string): string {
  return `${staffId}iEiE`;
}

export interface DingtalkSimGroup {
  openConversationId: string;
  title: string;
}

export interface DingtalkSimulatorOptions {
  apps: DingtalkSimApp[];
  /** The product's HTTP-mode callback URL; may be '' and set later. */
  callbackUrl?: string;
  port?: number;
  host?: string;
  corpId?: string;
  /** HTTP mode: wait this long for a 200 before retrying. Default 5000. */
  httpTimeoutMs?: number;
  /** HTTP mode: attempts in all. Default 3. */
  httpMaxAttempts?: number;
  /** HTTP mode: pause after an error answer before retrying. Default 1000. */
  httpRetryDelayMs?: number;
  /** Stream: an unacknowledged message is pushed again after this long. Default 60000. */
  streamRedeliverMs?: number;
  /** Stream: pushes of one message in all. Default 4. */
  streamMaxDeliveries?: number;
  /** Stream: SYSTEM ping interval per connection; 0 disables. Default 20000. */
  pingIntervalMs?: number;
  /** Stream: after SYSTEM disconnect, the server closes the socket after this long. Default 10000. */
  disconnectGraceMs?: number;
  /** Stream: ticket lifetime. Default 90000. */
  ticketTtlMs?: number;
  /** sessionWebhook lifetime after the message. Default 90 minutes. */
  sessionWebhookTtlMs?: number;
  /** OpenAPI accessToken lifetime in seconds. Default 7200. */
  tokenTtlSeconds?: number;
  rateLimits?: { perRobotPerMinute?: number; throttleMs?: number };
  members?: () => Promise<DingtalkSimMember[]>;
  groups?: DingtalkSimGroup[];
  now?: () => number;
  maxRecords?: number;
  /** The WeCom console's URL, for the console's mode tabs. */
  wecomConsoleUrl?: string;
}

export type DingtalkSentVia = 'session' | 'group' | 'oto' | 'custom' | 'passive';

/** A message the product sent, as DingTalk would show it. */
export interface DingtalkSent {
  seq: number;
  at: number;
  via: DingtalkSentVia;
  robotCode?: string;
  /** Custom robot: its name (or access_token when unnamed). */
  customRobot?: string;
  conversationId?: string;
  conversationType?: '1' | '2';
  /** 1:1: the person (session in a 1:1 chat, oto recipients). */
  userIds?: string[];
  msgtype: string;
  title?: string;
  content: string;
  atMobiles?: string[];
  atUserIds?: string[];
  isAtAll?: boolean;
  /** OpenAPI oto: recipients DingTalk did not know. */
  invalidStaffIds?: string[];
}

export type DingtalkInboundStatus = 'pending' | 'acked' | 'failed';

export interface DingtalkInbound {
  seq: number;
  at: number;
  mode: 'http' | 'stream';
  robotCode: string;
  staffId: string;
  conversationType: '1' | '2';
  conversationId: string;
  content: string;
  msgId: string;
  status: DingtalkInboundStatus;
  attempts: number;
  ackMs: number[];
  lostAcks: number;
  lastError?: string;
}

export interface DingtalkSendOptions {
  mode?: 'http' | 'stream';
  robotCode?: string;
  /** A group message (the robot was @-mentioned); default a 1:1 chat. */
  group?: string;
  msgId?: string;
  senderNick?: string;
  /** Lifetime of this message's sessionWebhook. */
  sessionWebhookTtlMs?: number;
  /** Stream: the first ACK is lost on the way (DingTalk pushes the message again). */
  loseFirstAck?: boolean;
  /**
   * A picture or file message instead of text: the bytes are held under a fresh downloadCode,
   * served through /v1.0/robot/messageFiles/download to the robot that received the message.
   * `busyAnswers`: that many first download requests answer HTTP 500 (failure injection).
   */
  file?: { kind: 'picture' | 'file'; bytes: Buffer; contentType: string; fileName?: string; busyAnswers?: number };
}

export interface DingtalkSendResult {
  msgId: string;
  mode: 'http' | 'stream';
  acked: boolean;
  attempts: number;
  ackMs: number[];
  /** HTTP mode: status per attempt (0 = timeout / connection error). */
  statuses: number[];
  conversationId: string;
  sessionWebhook: string;
  sessionWebhookExpiredTime: number;
}

export interface DingtalkStreamConnectionInfo {
  id: string;
  clientId: string;
  openedAt: number;
  closedAt?: number;
  draining: boolean;
  open: boolean;
}

/** DingTalk error codes the simulator returns. */
export const DINGTALK_ERR = {
  TOO_FAST: 130101,
  TOKEN_NOT_EXIST: 300001,
  SESSION_EXPIRED: 300001,
  SIGN_OR_KEYWORD: 310000,
  MESSAGE_TOO_LONG: 460101,
  BAD_REQUEST: 40035,
} as const;

const MINUTE = 60_000;
const MAX_CONTENT_BYTES = 20000;
const SIGN_WINDOW_MS = 3_600_000;

interface AppState extends Required<Omit<DingtalkSimApp, 'name'>> {
  name: string;
}

interface Conn {
  id: string;
  clientId: string;
  ws: WebSocket;
  openedAt: number;
  closedAt?: number;
  draining: boolean;
  pingTimer?: NodeJS.Timeout;
}

interface Session {
  robotCode: string;
  conversationId: string;
  conversationType: '1' | '2';
  staffId: string;
  expiresAt: number;
}

type Waiter = { resolve: (code: number) => void };

export class DingtalkSimulator {
  private readonly opts: {
    port: number;
    host: string;
    corpId: string;
    httpTimeoutMs: number;
    httpMaxAttempts: number;
    httpRetryDelayMs: number;
    streamRedeliverMs: number;
    streamMaxDeliveries: number;
    pingIntervalMs: number;
    disconnectGraceMs: number;
    ticketTtlMs: number;
    sessionWebhookTtlMs: number;
    tokenTtlSeconds: number;
    perRobotPerMinute: number;
    throttleMs: number;
    now: () => number;
    maxRecords: number;
    wecomConsoleUrl?: string;
  };
  private readonly apps = new Map<string, AppState>(); // by clientId
  private readonly robots = new Map<string, AppState>(); // by robotCode
  private readonly groups = new Map<string, DingtalkSimGroup>();
  private readonly customRobots = new Map<string, { name: string; secret?: string; keywords?: string[] }>();
  private callbackUrl: string;
  private server?: http.Server;
  private wss?: WebSocketServer;
  private base = '';
  private stopped = false;

  private readonly stamps: RecordStamps;
  private readonly records: RecordLog<DingtalkSent>;
  private readonly inboundRecords: RecordLog<DingtalkInbound>;
  private errors: Record<string, number> = {};
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  /** Web sign-in (钉钉登录): authCodes handed to the redirect_uri (used once, 5 minutes) and the person's tokens. */
  private readonly loginCodes = new Map<string, { clientId: string; member: DingtalkSimMember; expiresAt: number }>();
  private readonly userTokens = new Map<string, { member: DingtalkSimMember; expiresAt: number }>();
  private tokensIssued = 0;
  /** Files members sent (picture, file), by downloadCode, and the short-lived download URLs handed out. */
  private readonly memberFiles = new Map<string, { robotCode: string; bytes: Buffer; contentType: string; fileName?: string; busyAnswers: number }>();
  private readonly downloadUrls = new Map<string, { code: string; expiresAt: number }>();
  private filesServed = 0;
  private readonly tickets = new Map<string, { clientId: string; expiresAt: number; used: boolean }>();
  private ticketCount = new Map<string, number>();
  private rejectedTicketCount = 0;
  private readonly ticketLog: string[] = [];
  private readonly conns = new Map<string, Conn>();
  private readonly connHistory: DingtalkStreamConnectionInfo[] = [];
  private readonly ackWaiters = new Map<string, Waiter>();
  private readonly pendingPings = new Map<string, { data: string; connId: string }>();
  private pongCount = 0;
  private badPongCount = 0;
  private readonly ackFrames: unknown[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly robotLog = new SlidingWindowLog();
  private readonly throttledUntil = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new ActiveRequests();
  private readonly directory: MemberDirectory<DingtalkSimMember, 'staffId'>;
  private counter = 0;

  constructor(options: DingtalkSimulatorOptions) {
    if (!options.apps?.length) throw new Error('DingtalkSimulator: at least one app is required');
    for (const a of options.apps) {
      if (!a.clientId || !a.clientSecret) throw new Error('DingtalkSimulator: every app needs clientId and clientSecret');
      const st: AppState = { clientId: a.clientId, clientSecret: a.clientSecret, robotCode: a.robotCode || a.clientId, name: a.name || '招商助手' };
      this.apps.set(st.clientId, st);
      this.robots.set(st.robotCode, st);
    }
    this.opts = {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      corpId: options.corpId ?? 'dingsimcorp0000000001',
      httpTimeoutMs: options.httpTimeoutMs ?? 5000,
      httpMaxAttempts: Math.max(1, options.httpMaxAttempts ?? 3),
      httpRetryDelayMs: options.httpRetryDelayMs ?? 1000,
      streamRedeliverMs: options.streamRedeliverMs ?? 60_000,
      streamMaxDeliveries: Math.max(1, options.streamMaxDeliveries ?? 4),
      pingIntervalMs: options.pingIntervalMs ?? 20_000,
      disconnectGraceMs: options.disconnectGraceMs ?? 10_000,
      ticketTtlMs: options.ticketTtlMs ?? 90_000,
      sessionWebhookTtlMs: options.sessionWebhookTtlMs ?? 90 * MINUTE,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      perRobotPerMinute: options.rateLimits?.perRobotPerMinute ?? 20,
      throttleMs: options.rateLimits?.throttleMs ?? 10 * MINUTE,
      now: options.now ?? Date.now,
      maxRecords: options.maxRecords ?? 50_000,
      wecomConsoleUrl: options.wecomConsoleUrl,
    };
    this.stamps = new RecordStamps(this.opts.now);
    this.records = new RecordLog(this.stamps, this.opts.maxRecords);
    this.inboundRecords = new RecordLog(this.stamps, this.opts.maxRecords);
    this.directory = new MemberDirectory(options.members, 'staffId');
    this.callbackUrl = options.callbackUrl ?? '';
    for (const g of options.groups ?? [{ openConversationId: 'cidSimDemoGroup0000000001==', title: '招商工作群' }]) {
      this.groups.set(g.openConversationId, g);
    }
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async start(): Promise<{ baseUrl: string }> {
    if (this.server) return { baseUrl: this.base };
    this.stopped = false;
    const server = createSimServer((req, res) => this.handle(req, res), { answerClientErrors: true });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    server.on('upgrade', (req, socket, head) => this.onUpgrade(wss, req, socket, head));
    const port = await listen(server, this.opts.port, this.opts.host);
    this.server = server;
    this.wss = wss;
    this.base = localBaseUrl(this.opts.host, port);
    return { baseUrl: this.base };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.ackWaiters.values()) w.resolve(-1);
    this.ackWaiters.clear();
    this.requests.abortAll();
    for (const c of this.conns.values()) {
      if (c.pingTimer) clearInterval(c.pingTimer);
      c.ws.terminate();
    }
    const server = this.server;
    this.server = undefined;
    this.wss?.close();
    this.wss = undefined;
    if (server) await closeServer(server);
  }

  get baseUrl(): string {
    return this.base;
  }

  setCallbackUrl(url: string): void {
    this.callbackUrl = url;
  }

  getCallbackUrl(): string {
    return this.callbackUrl;
  }

  addGroup(openConversationId: string, title: string): void {
    this.groups.set(openConversationId, { openConversationId, title });
  }

  listGroups(): DingtalkSimGroup[] {
    return [...this.groups.values()];
  }

  /** Registers a custom (webhook) robot. `secret` enables 加签 verification; `keywords` the keyword check. */
  addCustomRobot(accessToken: string, opts: { name?: string; secret?: string; keywords?: string[] } = {}): void {
    this.customRobots.set(accessToken, { name: opts.name ?? accessToken, secret: opts.secret, keywords: opts.keywords });
  }

  customRobotList(): Array<{ name: string; signed: boolean }> {
    return [...this.customRobots.values()].map((r) => ({ name: r.name, signed: !!r.secret }));
  }

  appList(): Array<{ clientId: string; robotCode: string; name: string }> {
    return [...this.apps.values()].map((a) => ({ clientId: a.clientId, robotCode: a.robotCode, name: a.name }));
  }

  // ───────────────────────────── records ─────────────────────────────

  /** Every message the product sent successfully, oldest first. */
  sent(): DingtalkSent[] {
    return this.records.all();
  }

  /** What reached one person: answers in their 1:1 chat (session webhook, passive reply) and 1:1 OpenAPI messages. */
  repliesTo(staffId: string): DingtalkSent[] {
    return this.records.filter(
      (d) =>
        ((d.via === 'session' || d.via === 'passive') && d.conversationType === '1' && d.userIds?.includes(staffId)) ||
        (d.via === 'oto' && d.userIds?.includes(staffId) && !d.invalidStaffIds?.includes(staffId)),
    );
  }

  /** What was posted into one group, by any way. */
  groupMessages(openConversationId: string): DingtalkSent[] {
    return this.records.filter((d) => d.conversationId === openConversationId && d.conversationType === '2');
  }

  customRobotMessages(name?: string): DingtalkSent[] {
    return this.records.filter((d) => d.via === 'custom' && (name === undefined || d.customRobot === name));
  }

  inbound(): DingtalkInbound[] {
    return this.inboundRecords.all();
  }

  /** Non-zero error codes returned by the send APIs, by code. */
  errorsReturned(): Record<string, number> {
    return { ...this.errors };
  }

  get tokenIssued(): number {
    return this.tokensIssued;
  }

  /** Tickets issued by connections/open, for one client or all. */
  ticketsIssued(clientId?: string): number {
    if (clientId) return this.ticketCount.get(clientId) ?? 0;
    let n = 0;
    for (const v of this.ticketCount.values()) n += v;
    return n;
  }

  /** The tickets issued so far (the latest 1000), for checks that they never reach a log. */
  issuedTickets(): string[] {
    return this.ticketLog.slice();
  }

  /** WebSocket upgrades refused for a used, expired or unknown ticket. */
  get rejectedTickets(): number {
    return this.rejectedTicketCount;
  }

  streamConnections(clientId?: string): DingtalkStreamConnectionInfo[] {
    return this.connHistory.filter((c) => clientId === undefined || c.clientId === clientId).map((c) => ({ ...c }));
  }

  openStreamConnections(clientId?: string): DingtalkStreamConnectionInfo[] {
    return this.streamConnections(clientId).filter((c) => c.open && !c.draining);
  }

  get pongs(): number {
    return this.pongCount;
  }

  /** Ping answers whose data did not echo the ping. */
  get badPongs(): number {
    return this.badPongCount;
  }

  /** Every ACK frame received, as parsed JSON (for conformance checks). */
  acks(): unknown[] {
    return this.ackFrames.slice();
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Makes every sessionWebhook issued so far expire now. */
  expireSessions(): void {
    const now = this.opts.now();
    for (const s of this.sessions.values()) s.expiresAt = Math.min(s.expiresAt, now - 1);
  }

  reset(): void {
    this.records.clear();
    this.inboundRecords.clear();
    this.errors = {};
    this.tokensIssued = 0;
    this.robotLog.clear();
    this.throttledUntil.clear();
  }

  async waitFor(pred: (d: DingtalkSent[]) => boolean, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
    await this.records.waitFor(pred, timeoutMs, intervalMs, 'DingtalkSimulator', (d) =>
      `#${d.seq} ${d.via}/${d.msgtype} → ${d.userIds?.join('|') ?? d.conversationId ?? d.customRobot}: ${d.content.slice(0, 80)}`,
    );
  }

  // ───────────────────────────── inbound: building and signing ─────────────────────────────

  nextMsgId(): string {
    return `msg${randomBytes(16).toString('base64').replace(/=+$/, '')}${(++this.counter).toString(36)}==`;
  }

  /** The 1:1 conversation id DingTalk uses between a robot and a person (stable). */
  conversationIdFor(robotCode: string, staffId: string): string {
    return `cid${createHash('sha256').update(`${robotCode}\u0000${staffId}`).digest('base64').slice(0, 22)}==`;
  }

  /** `timestamp` and `sign` headers as DingTalk computes them for the app's secret. */
  signHeaders(clientSecret?: string, timestampMs: number = Date.now()): { timestamp: string; sign: string } {
    const secret = clientSecret ?? [...this.apps.values()][0].clientSecret;
    return { timestamp: String(timestampMs), sign: dingtalkCallbackSign(secret, timestampMs) };
  }

  /** A robot text message exactly as DingTalk sends it (HTTP body or Stream frame data). */
  buildRobotMessage(staffId: string, text: string, opts: DingtalkSendOptions = {}): Record<string, unknown> {
    const app = this.app(opts.robotCode);
    const now = this.opts.now();
    const msgId = opts.msgId ?? this.nextMsgId();
    const group = opts.group ? this.groups.get(opts.group) ?? { openConversationId: opts.group, title: '群聊' } : undefined;
    const conversationId = group ? group.openConversationId : this.conversationIdFor(app.robotCode, staffId);
    const conversationType: '1' | '2' = group ? '2' : '1';
    const expiresAt = now + (opts.sessionWebhookTtlMs ?? this.opts.sessionWebhookTtlMs);
    const session = randomBytes(16).toString('hex');
    this.sessions.set(session, { robotCode: app.robotCode, conversationId, conversationType, staffId, expiresAt });
    const member = this.directory.loaded?.find((m) => m.staffId === staffId);
    const chatbotUserId = `$:LWCP_v1:$${createHash('sha256').update(app.robotCode).digest('base64').slice(0, 32)}`;
    return {
      conversationId,
      ...(group ? { atUsers: [{ dingtalkId: chatbotUserId }], conversationTitle: group.title } : {}),
      chatbotCorpId: this.opts.corpId,
      chatbotUserId,
      msgId,
      senderNick: opts.senderNick ?? member?.name ?? staffId,
      isAdmin: false,
      senderStaffId: staffId,
      sessionWebhookExpiredTime: expiresAt,
      createAt: now,
      senderCorpId: this.opts.corpId,
      conversationType,
      senderId: `$:LWCP_v1:$${createHash('sha256').update(staffId).digest('base64').slice(0, 24)}`,
      isInAtList: true,
      sessionWebhook: `${this.base}/robot/sendBySession?session=${session}`,
      ...this.messageBody(app.robotCode, text, opts.file),
      robotCode: app.robotCode,
    };
  }

  /** `text` (DingTalk puts a space before it, after the @robot mention in groups), or a picture/file with its downloadCode. */
  private messageBody(robotCode: string, text: string, file: DingtalkSendOptions['file']): Record<string, unknown> {
    if (!file) return { text: { content: ` ${text}` }, msgtype: 'text' };
    const downloadCode = `dc${randomBytes(18).toString('base64url')}`;
    this.memberFiles.set(downloadCode, { robotCode, bytes: file.bytes, contentType: file.contentType, fileName: file.fileName, busyAnswers: file.busyAnswers ?? 0 });
    return file.kind === 'picture'
      ? { msgtype: 'picture', content: { downloadCode, pictureDownloadCode: downloadCode } }
      : { msgtype: 'file', content: { downloadCode, fileName: file.fileName ?? 'file', fileId: randomBytes(6).toString('hex'), spaceId: '1' } };
  }

  /** A member sends a picture or file to the robot (see DingtalkSendOptions.file). */
  async sendFile(staffId: string, file: NonNullable<DingtalkSendOptions['file']>, opts: DingtalkSendOptions = {}): Promise<DingtalkSendResult> {
    return (await this.sendTracked(staffId, '', { ...opts, file })).result;
  }

  /** How many member files were downloaded (bytes served). */
  fileDownloads(): number {
    return this.filesServed;
  }

  /** A member sends a text to the robot, as DingTalk delivers it (HTTP mode with retries, or Stream with redelivery). */
  async sendText(staffId: string, text: string, opts: DingtalkSendOptions = {}): Promise<DingtalkSendResult> {
    return (await this.sendTracked(staffId, text, opts)).result;
  }

  /** One unretried POST to the callback URL, for negative tests: headers and body exactly as given. */
  async sendRawCallback(req: { body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number }): Promise<{ status: number; body: string; ms: number; error?: string }> {
    const url = callbackUrlWith(this.callbackUrl, {}, 'DingtalkSimulator');
    // httpAttempt writes strings and Buffers alike (a Buffer carries bytes that are not UTF-8).
    const body = req.body as string | undefined;
    const r = await httpAttempt('POST', url, body, req.headers ?? { 'content-type': 'application/json' }, req.timeoutMs ?? this.opts.httpTimeoutMs, this.requests.track);
    return { status: r.status, body: r.body, ms: r.ms, error: r.error };
  }

  // ───────────────────────────── Stream controls ─────────────────────────────

  /** Sends SYSTEM disconnect on every open connection (of one app or all); closes them after disconnectGraceMs. */
  disconnect(clientId?: string, reason = 'persistent connection is timeout'): number {
    let n = 0;
    for (const c of this.conns.values()) {
      if ((clientId && c.clientId !== clientId) || c.draining || c.ws.readyState !== WebSocket.OPEN) continue;
      c.draining = true;
      this.history(c).draining = true;
      this.frame(c, { type: 'SYSTEM', topic: 'disconnect', data: JSON.stringify({ reason }) });
      this.later(() => {
        if (c.ws.readyState === WebSocket.OPEN) c.ws.close(1000, 'disconnect');
      }, this.opts.disconnectGraceMs);
      n++;
    }
    return n;
  }

  /** Drops every connection without a word (a network failure). */
  dropConnections(clientId?: string): number {
    let n = 0;
    for (const c of this.conns.values()) {
      if (clientId && c.clientId !== clientId) continue;
      c.ws.terminate();
      n++;
    }
    return n;
  }

  /** Sends a SYSTEM ping on every open connection now. */
  ping(): void {
    for (const c of this.conns.values()) this.sendPing(c);
  }

  // ───────────────────────────── internals: inbound delivery ─────────────────────────────

  private app(robotCode?: string): AppState {
    if (robotCode) {
      const a = this.robots.get(robotCode);
      if (!a) throw new Error(`DingtalkSimulator: unknown robotCode ${robotCode}`);
      return a;
    }
    return [...this.apps.values()][0];
  }

  private async sendTracked(staffId: string, text: string, opts: DingtalkSendOptions): Promise<{ record: DingtalkInbound; result: DingtalkSendResult }> {
    const app = this.app(opts.robotCode);
    const mode = opts.mode ?? (this.callbackUrl ? 'http' : 'stream');
    const payload = this.buildRobotMessage(staffId, text, opts);
    const record = this.inboundRecords.add({
      mode,
      robotCode: app.robotCode,
      staffId,
      conversationType: payload.conversationType as '1' | '2',
      conversationId: payload.conversationId as string,
      content: text,
      msgId: payload.msgId as string,
      status: 'pending',
      attempts: 0,
      ackMs: [],
      lostAcks: 0,
    });
    const r = mode === 'http' ? await this.deliverHttp(app, payload, record) : await this.deliverStream(app, payload, record, !!opts.loseFirstAck);
    record.status = r.acked ? 'acked' : 'failed';
    return {
      record,
      result: {
        msgId: record.msgId,
        mode,
        acked: r.acked,
        attempts: record.attempts,
        ackMs: record.ackMs.slice(),
        statuses: r.statuses,
        conversationId: record.conversationId,
        sessionWebhook: payload.sessionWebhook as string,
        sessionWebhookExpiredTime: payload.sessionWebhookExpiredTime as number,
      },
    };
  }

  private async deliverHttp(app: AppState, payload: Record<string, unknown>, record: DingtalkInbound): Promise<{ acked: boolean; statuses: number[] }> {
    if (!this.callbackUrl) {
      record.lastError = '未配置回调地址';
      return { acked: false, statuses: [] };
    }
    const body = JSON.stringify(payload);
    const rule = { maxAttempts: this.opts.httpMaxAttempts, retryDelayMs: this.opts.httpRetryDelayMs, stopped: () => this.stopped };
    const { acked, results } = await deliverWithRetries(rule, async (attempt) => {
      // Each attempt is signed anew with the current time.
      const headers = { 'content-type': 'application/json; charset=utf-8', ...this.signHeaders(app.clientSecret) };
      const r = await httpAttempt('POST', new URL(this.callbackUrl), body, headers, this.opts.httpTimeoutMs, this.requests.track);
      record.attempts = attempt;
      record.ackMs.push(r.ms);
      record.lastError = attemptError(r);
      return r;
    });
    if (acked) this.passiveReply(results[results.length - 1].body, record);
    return { acked, statuses: results.map((r) => r.status) };
  }

  /** A message/markdown body in the callback's 200 answer is shown in the chat (DingTalk's passive reply). */
  private passiveReply(body: string, record: DingtalkInbound): void {
    let j: unknown;
    try {
      j = JSON.parse(body);
    } catch {
      return;
    }
    const parsed = parseRobotBody(j);
    if (!parsed || 'error' in parsed) return;
    this.record({
      via: 'passive',
      robotCode: record.robotCode,
      conversationId: record.conversationId,
      conversationType: record.conversationType,
      userIds: record.conversationType === '1' ? [record.staffId] : undefined,
      ...parsed,
    });
  }

  private async deliverStream(app: AppState, payload: Record<string, unknown>, record: DingtalkInbound, loseFirstAck: boolean): Promise<{ acked: boolean; statuses: number[] }> {
    const data = JSON.stringify(payload);
    for (let attempt = 1; attempt <= this.opts.streamMaxDeliveries && !this.stopped; attempt++) {
      const conn = await this.waitForConnection(app.clientId, this.opts.streamRedeliverMs);
      if (!conn) {
        record.attempts = attempt;
        record.lastError = '没有可用的 Stream 连接';
        continue;
      }
      const messageId = `${randomBytes(6).toString('hex')}_${(++this.counter).toString(16)}`;
      const started = Date.now();
      const ack = new Promise<number>((resolve) => this.ackWaiters.set(messageId, { resolve }));
      this.frame(conn, { type: 'CALLBACK', topic: DINGTALK_TOPIC_ROBOT, messageId, data, appId: app.clientId });
      record.attempts = attempt;
      const code = await Promise.race([ack, sleep(this.opts.streamRedeliverMs).then(() => 0)]);
      this.ackWaiters.delete(messageId);
      const ms = Date.now() - started;
      if (code === 200) {
        record.ackMs.push(ms);
        if (loseFirstAck && record.lostAcks === 0) {
          // The ACK never reaches DingTalk: the message comes again after the redelivery delay.
          record.lostAcks++;
          record.lastError = 'ACK 丢失（模拟）';
          await sleep(Math.max(0, this.opts.streamRedeliverMs - ms));
          continue;
        }
        record.lastError = undefined;
        return { acked: true, statuses: [] };
      }
      record.ackMs.push(ms);
      record.lastError = code === 0 ? `${this.opts.streamRedeliverMs} ms 内未收到 ACK` : `ACK code ${code}`;
      if (code !== 0 && code !== -1) await sleep(Math.max(0, this.opts.streamRedeliverMs - ms));
      if (code === -1) break;
    }
    return { acked: false, statuses: [] };
  }

  private async waitForConnection(clientId: string, timeoutMs: number): Promise<Conn | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped) {
      const open = [...this.conns.values()].filter((c) => c.clientId === clientId && !c.draining && c.ws.readyState === WebSocket.OPEN);
      // DingTalk pushes each message to one random connection of the app.
      if (open.length) return open[Math.floor(Math.random() * open.length)];
      if (Date.now() >= deadline) return undefined;
      await sleep(20);
    }
    return undefined;
  }

  // ───────────────────────────── internals: Stream server ─────────────────────────────

  private onUpgrade(wss: WebSocketServer, req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const refuse = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/connect') return refuse(404, 'Not Found');
    const ticket = url.searchParams.get('ticket') ?? '';
    const t = this.tickets.get(ticket);
    if (!t || t.used || t.expiresAt <= this.opts.now()) {
      this.rejectedTicketCount++;
      return refuse(401, 'Unauthorized');
    }
    t.used = true;
    wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, t.clientId));
  }

  private onConnection(ws: WebSocket, clientId: string): void {
    const id = randomBytes(8).toString('hex');
    const conn: Conn = { id, clientId, ws, openedAt: this.opts.now(), draining: false };
    this.conns.set(id, conn);
    this.connHistory.push({ id, clientId, openedAt: conn.openedAt, draining: false, open: true });
    if (this.connHistory.length > 1000) this.connHistory.splice(0, this.connHistory.length - 1000);
    if (this.opts.pingIntervalMs > 0) {
      conn.pingTimer = setInterval(() => this.sendPing(conn), this.opts.pingIntervalMs);
      conn.pingTimer.unref();
    }
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      this.onUpFrame(conn, raw.toString());
    });
    ws.on('close', () => {
      if (conn.pingTimer) clearInterval(conn.pingTimer);
      conn.closedAt = this.opts.now();
      const h = this.history(conn);
      h.open = false;
      h.closedAt = conn.closedAt;
      this.conns.delete(id);
    });
    ws.on('error', () => undefined);
  }

  private history(c: Conn): DingtalkStreamConnectionInfo {
    return this.connHistory.find((h) => h.id === c.id) ?? { id: c.id, clientId: c.clientId, openedAt: c.openedAt, draining: c.draining, open: false };
  }

  private onUpFrame(conn: Conn, raw: string): void {
    let f: { code?: unknown; headers?: { messageId?: unknown }; data?: unknown };
    try {
      f = JSON.parse(raw);
    } catch {
      return;
    }
    const messageId = typeof f?.headers?.messageId === 'string' ? f.headers.messageId : '';
    if (!messageId) return;
    const ping = this.pendingPings.get(messageId);
    if (ping) {
      this.pendingPings.delete(messageId);
      if (f.code === 200 && f.data === ping.data) this.pongCount++;
      else this.badPongCount++;
      return;
    }
    const waiter = this.ackWaiters.get(messageId);
    if (waiter) {
      this.ackFrames.push(f);
      if (this.ackFrames.length > 1000) this.ackFrames.splice(0, this.ackFrames.length - 1000);
      waiter.resolve(typeof f.code === 'number' ? f.code : 0);
    }
  }

  private sendPing(c: Conn): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    const messageId = `ping_${randomBytes(6).toString('hex')}`;
    const data = JSON.stringify({ opaque: randomBytes(8).toString('hex') });
    this.pendingPings.set(messageId, { data, connId: c.id });
    if (this.pendingPings.size > 1000) this.pendingPings.delete(this.pendingPings.keys().next().value as string);
    this.frame(c, { type: 'SYSTEM', topic: 'ping', messageId, data });
  }

  private frame(c: Conn, f: { type: 'SYSTEM' | 'CALLBACK' | 'EVENT'; topic: string; data: string; messageId?: string; appId?: string }): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    c.ws.send(
      JSON.stringify({
        specVersion: '1.0',
        type: f.type,
        headers: {
          ...(f.appId ? { appId: f.appId } : {}),
          connectionId: c.id,
          contentType: 'application/json',
          messageId: f.messageId ?? `${randomBytes(6).toString('hex')}_${(++this.counter).toString(16)}`,
          time: String(this.opts.now()),
          topic: f.topic,
        },
        data: f.data,
      }),
    );
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ───────────────────────────── internals: HTTP server ─────────────────────────────

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { url, path, method } = requestTarget(req);

    if (method === 'POST') {
      if (path === '/v1.0/oauth2/accessToken') return this.onAccessToken(req, res);
      if (path === '/v1.0/oauth2/userAccessToken') return this.onUserAccessToken(req, res);
      if (path === '/v1.0/gateway/connections/open') return this.onOpenConnection(req, res);
      if (path === '/v1.0/robot/groupMessages/send') return this.onGroupSend(req, res);
      if (path === '/v1.0/robot/oToMessages/batchSend') return this.onOtoSend(req, res);
      if (path === '/v1.0/robot/messageFiles/download') return this.onMessageFileDownload(req, res);
      if (path === '/robot/sendBySession') return this.onSessionSend(url, req, res);
      if (path === '/robot/send') return this.onCustomRobotSend(url, req, res);
      if (path === '/console/api/send') return this.onConsoleSend(req, res);
    }
    if (method === 'GET') {
      if (path === '/' || path === '/console') {
        const first = [...this.apps.values()][0];
        return sendText(res, 200, renderDingtalkConsolePage({ robotName: first.name, robotCode: first.robotCode, wecomConsoleUrl: this.opts.wecomConsoleUrl }), 'text/html; charset=utf-8');
      }
      if (path === '/favicon.ico') {
        res.writeHead(204);
        return void res.end();
      }
      if (path === '/healthz') return sendJson(res, 200, { ok: true });
      if (path === '/oauth2/auth') return this.onWebLogin(url, res);
      if (path === '/v1.0/contact/users/me') return this.onUsersMe(req, res);
      if (path.startsWith('/sim-files/')) return this.onFileUrl(path.slice('/sim-files/'.length), res);
      if (path === '/console/api/members') return sendJson(res, 200, await this.directory.list());
      if (path === '/console/api/messages') return this.onConsoleMessages(url, res);
      if (path === '/console/api/info') return sendJson(res, 200, this.consoleInfo());
    }
    if (path.startsWith('/v1.0/')) return this.apiError(res, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    return sendJson(res, 404, { error: 'not found' });
  }

  private count(code: string | number): void {
    this.errors[String(code)] = (this.errors[String(code)] ?? 0) + 1;
  }

  /** OpenAPI (api.dingtalk.com) error: HTTP 4xx with {code, message, requestid}. */
  private apiError(res: http.ServerResponse, status: number, code: string, message: string): void {
    this.count(code);
    sendJson(res, status, { requestid: randomBytes(8).toString('hex'), code, message });
  }

  /** Old-style (oapi.dingtalk.com) answer: HTTP 200 with errcode. */
  private oapi(res: http.ServerResponse, errcode: number, errmsg: string): void {
    if (errcode !== 0) this.count(errcode);
    sendJson(res, 200, { errcode, errmsg });
  }

  private onAccessTokenIssue(clientId: string): { accessToken: string; expireIn: number } {
    const now = this.opts.now();
    for (const [token, t] of this.tokens) {
      // DingTalk hands out the same token while it is valid.
      if (t.clientId === clientId && t.expiresAt > now + 60_000) {
        return { accessToken: token, expireIn: Math.floor((t.expiresAt - now) / 1000) };
      }
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { clientId, expiresAt: now + this.opts.tokenTtlSeconds * 1000 });
    return { accessToken: token, expireIn: this.opts.tokenTtlSeconds };
  }

  /** The app these are the clientId and clientSecret of (the token and Stream endpoints name the fields differently). */
  private appWithCredentials(clientId: unknown, clientSecret: unknown): AppState | undefined {
    const app = typeof clientId === 'string' ? this.apps.get(clientId) : undefined;
    return app && typeof clientSecret === 'string' && safeEqual(clientSecret, app.clientSecret) ? app : undefined;
  }

  private async onAccessToken(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    if (!body) return this.apiError(res, 400, 'MissingParameter', 'body must be JSON {appKey, appSecret}');
    const app = this.appWithCredentials(body.appKey, body.appSecret);
    if (!app) return this.apiError(res, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    this.tokensIssued++;
    sendJson(res, 200, this.onAccessTokenIssue(app.clientId));
  }

  /**
   * The sign-in page (login.dingtalk.com/oauth2/auth): the person picks who they are (instead of
   * scanning a QR code and consenting); with `staffId` chosen it redirects to redirect_uri with a
   * one-time authCode and the state, as DingTalk does; with `deny` it redirects with error=access_denied.
   */
  private async onWebLogin(url: URL, res: http.ServerResponse): Promise<void> {
    const q = url.searchParams;
    const redirect = q.get('redirect_uri') ?? '';
    const clientId = q.get('client_id') ?? '';
    if (!this.apps.has(clientId) || !/^https?:\/\//.test(redirect)) return sendText(res, 400, 'invalid client_id or redirect_uri');
    if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(/[ ,]+/).includes('openid')) return sendText(res, 400, 'response_type must be code and scope must include openid');
    const members = await this.directory.list();
    const staffId = q.get('staffId');
    if (q.get('deny')) {
      const to = new URL(redirect);
      to.searchParams.set('error', 'access_denied');
      to.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: to.toString() });
      return void res.end();
    }
    if (staffId) {
      const member = members.find((m) => m.staffId === staffId) ?? { staffId, name: staffId, unitName: '' };
      const code = randomBytes(16).toString('hex');
      this.loginCodes.set(code, { clientId, member, expiresAt: this.opts.now() + 300_000 });
      const to = new URL(redirect);
      to.searchParams.set('authCode', code);
      to.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: to.toString() });
      return void res.end();
    }
    const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const links = members
      .map((m) => {
        const u = new URL(url.toString());
        u.searchParams.set('staffId', m.staffId);
        return `<li><a href="${esc(u.pathname + u.search)}">${esc(`${m.name}（${m.unitName}）`)}</a></li>`;
      })
      .join('');
    const deny = new URL(url.toString());
    deny.searchParams.set('deny', '1');
    sendText(res, 200, `<!doctype html><meta charset="utf-8"><title>钉钉登录（模拟）</title><h1>选择登录身份</h1><ul>${links}</ul><p><a href="${esc(deny.pathname + deny.search)}">拒绝授权</a></p>`, 'text/html; charset=utf-8');
  }

  /** POST /v1.0/oauth2/userAccessToken {clientId, clientSecret, code, grantType}: the person's token for an authCode (once). */
  private async onUserAccessToken(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    if (!body) return this.apiError(res, 400, 'MissingParameter', 'body must be JSON {clientId, clientSecret, code, grantType}');
    const app = this.appWithCredentials(body.clientId, body.clientSecret);
    if (!app) return this.apiError(res, 400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    if (body.grantType !== 'authorization_code') return this.apiError(res, 400, 'invalidParameter.grantType', 'grantType must be authorization_code');
    const code = typeof body.code === 'string' ? body.code : '';
    const entry = this.loginCodes.get(code);
    this.loginCodes.delete(code);
    if (!entry || entry.clientId !== app.clientId || entry.expiresAt <= this.opts.now()) return this.apiError(res, 400, 'invalidAuthCode', '不合法的临时授权码');
    const accessToken = randomBytes(16).toString('hex');
    this.userTokens.set(accessToken, { member: entry.member, expiresAt: this.opts.now() + this.opts.tokenTtlSeconds * 1000 });
    sendJson(res, 200, { accessToken, refreshToken: randomBytes(16).toString('hex'), expireIn: this.opts.tokenTtlSeconds, corpId: this.opts.corpId });
  }

  /** GET /v1.0/contact/users/me (x-acs-dingtalk-access-token: the person's token): who signed in. */
  private onUsersMe(req: http.IncomingMessage, res: http.ServerResponse): void {
    const token = req.headers['x-acs-dingtalk-access-token'];
    const t = typeof token === 'string' ? this.userTokens.get(token) : undefined;
    if (!t || t.expiresAt <= this.opts.now()) return this.apiError(res, 401, 'InvalidAuthentication', '不合法的access_token');
    const m = t.member;
    sendJson(res, 200, {
      nick: m.name,
      avatarUrl: '',
      ...(m.mobile ? { mobile: m.mobile, stateCode: '86' } : {}),
      openId: createHash('sha256').update(`open:${m.staffId}`).digest('hex').slice(0, 24),
      unionId: m.unionId ?? dingtalkSimUnionIdOf(m.staffId),
    });
  }

  private async onOpenConnection(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    if (!body) return this.apiError(res, 400, 'MissingParameter', 'body must be JSON');
    const app = this.appWithCredentials(body.clientId, body.clientSecret);
    if (!app) return this.apiError(res, 401, 'InvalidAuthentication', 'clientId 或 clientSecret 无效');
    const subs = Array.isArray(body.subscriptions) ? body.subscriptions : [];
    const wantsRobot = subs.some((s) => s && typeof s === 'object' && (s as { type?: unknown }).type === 'CALLBACK' && (s as { topic?: unknown }).topic === DINGTALK_TOPIC_ROBOT);
    if (!wantsRobot) return this.apiError(res, 400, 'invalidParameter.subscriptions', 'subscriptions must include the robot CALLBACK topic');
    const ticket = randomBytes(18).toString('hex');
    this.tickets.set(ticket, { clientId: app.clientId, expiresAt: this.opts.now() + this.opts.ticketTtlMs, used: false });
    this.ticketCount.set(app.clientId, (this.ticketCount.get(app.clientId) ?? 0) + 1);
    this.ticketLog.push(ticket);
    if (this.ticketLog.length > 1000) this.ticketLog.shift();
    const now = this.opts.now();
    if (this.tickets.size > 1000) for (const [k, v] of this.tickets) if (v.used || v.expiresAt <= now) this.tickets.delete(k);
    sendJson(res, 200, { endpoint: `${this.base.replace(/^http/, 'ws')}/connect`, ticket });
  }

  /** The app whose token is in the header, or an error already sent. */
  private tokenApp(req: http.IncomingMessage, res: http.ServerResponse): AppState | undefined {
    const token = req.headers['x-acs-dingtalk-access-token'];
    const t = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (!t || t.expiresAt <= this.opts.now()) {
      this.apiError(res, 401, 'InvalidAuthentication', '不合法的access_token');
      return undefined;
    }
    return this.apps.get(t.clientId);
  }

  private robotFor(app: AppState, body: Record<string, unknown>, res: http.ServerResponse): AppState | undefined {
    const code = typeof body.robotCode === 'string' ? body.robotCode : '';
    if (!code) return void this.apiError(res, 400, 'invalidParameter.robotCode.empty', 'robotCode 不能为空');
    const robot = this.robots.get(code);
    if (!robot) return void this.apiError(res, 400, 'invalidParameter.robotCode.notExsit', '机器人不存在');
    if (robot.clientId !== app.clientId) return void this.apiError(res, 400, 'invalidParameter.robotCode.auth', '无权使用该机器人');
    return robot;
  }

  /** What the OpenAPI robot sends check first: the token's app, a JSON body, a robot of that app. Undefined once an error is answered. */
  private async robotSendRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ body: Record<string, unknown>; robot: AppState } | undefined> {
    const body = await readJsonObject(req);
    const app = this.tokenApp(req, res);
    if (!app) return undefined;
    if (!body) return void this.apiError(res, 400, 'invalidParameter.param.invalid', 'body must be JSON');
    const robot = this.robotFor(app, body, res);
    return robot ? { body, robot } : undefined;
  }

  /** `POST /v1.0/robot/messageFiles/download {downloadCode, robotCode}` → `{downloadUrl}` (valid one hour). */
  private async onMessageFileDownload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = await this.robotSendRequest(req, res);
    if (!request) return;
    const code = typeof request.body.downloadCode === 'string' ? request.body.downloadCode : '';
    if (!code) return this.apiError(res, 400, 'MissingdownloadCode', 'downloadCode is mandatory for this action.');
    const f = this.memberFiles.get(code);
    if (!f || f.robotCode !== request.robot.robotCode) return this.apiError(res, 400, 'unknownError', 'downloadCode 无效');
    if (f.busyAnswers > 0) {
      f.busyAnswers--;
      return this.apiError(res, 500, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    }
    const token = randomBytes(16).toString('hex');
    this.downloadUrls.set(token, { code, expiresAt: this.opts.now() + 3600_000 });
    sendJson(res, 200, { downloadUrl: `${this.base}/sim-files/${token}` });
  }

  private onFileUrl(token: string, res: http.ServerResponse): void {
    const u = this.downloadUrls.get(token);
    const f = u && u.expiresAt > this.opts.now() ? this.memberFiles.get(u.code) : undefined;
    if (!f) return sendJson(res, 403, { error: 'AccessDenied' });
    this.filesServed++;
    res.writeHead(200, { 'content-type': f.contentType, 'content-length': f.bytes.length });
    res.end(f.bytes);
  }

  private async onGroupSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = await this.robotSendRequest(req, res);
    if (!request) return;
    const { body, robot } = request;
    const cid = typeof body.openConversationId === 'string' ? body.openConversationId : '';
    if (!cid) return this.apiError(res, 400, 'miss.openConversationId', '缺少 openConversationId');
    if (!this.groups.has(cid)) return this.apiError(res, 400, 'invalid.openConversationId', '无效的 openConversationId');
    const msg = parseMsgParam(body);
    if ('error' in msg) return this.apiError(res, 400, msg.error, msg.message);
    const key = `group:${robot.robotCode}:${cid}`;
    if (!this.allow(key)) return this.apiError(res, 403, String(DINGTALK_ERR.TOO_FAST), 'send too fast, exceed 20 times per minute');
    this.record({ via: 'group', robotCode: robot.robotCode, conversationId: cid, conversationType: '2', ...msg });
    sendJson(res, 200, { processQueryKey: randomBytes(12).toString('base64') });
  }

  private async onOtoSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = await this.robotSendRequest(req, res);
    if (!request) return;
    const { body, robot } = request;
    const userIds = nonEmptyStrings(body.userIds);
    if (!userIds.length) return this.apiError(res, 400, 'invalidParameter.userIds.empty', 'userIds 不能为空');
    if (userIds.length > 20) return this.apiError(res, 400, 'invalidParameter.userIds.overMax', 'userIds 最多 20 个');
    const msg = parseMsgParam(body);
    if ('error' in msg) return this.apiError(res, 400, msg.error, msg.message);
    const known = await this.directory.ids();
    const invalid = known ? userIds.filter((u) => !known.has(u)) : [];
    const valid = userIds.filter((u) => !invalid.includes(u));
    if (valid.length) this.record({ via: 'oto', robotCode: robot.robotCode, userIds: valid, ...msg, ...(invalid.length ? { invalidStaffIds: invalid } : {}) });
    sendJson(res, 200, { processQueryKey: randomBytes(12).toString('base64'), invalidStaffIdList: invalid, flowControlledStaffIdList: [] });
  }

  private async onSessionSend(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const s = this.sessions.get(url.searchParams.get('session') ?? '');
    if (!s || s.expiresAt <= this.opts.now()) return this.oapi(res, DINGTALK_ERR.SESSION_EXPIRED, 'session expired');
    if (!body) return this.oapi(res, DINGTALK_ERR.BAD_REQUEST, 'body must be JSON');
    const msg = parseRobotBody(body);
    if (!msg) return this.oapi(res, DINGTALK_ERR.BAD_REQUEST, 'unsupported msgtype');
    if ('error' in msg) return this.oapi(res, msg.errcode, msg.error);
    this.record({
      via: 'session',
      robotCode: s.robotCode,
      conversationId: s.conversationId,
      conversationType: s.conversationType,
      userIds: s.conversationType === '1' ? [s.staffId] : undefined,
      ...msg,
    });
    this.oapi(res, 0, 'ok');
  }

  private async onCustomRobotSend(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const token = url.searchParams.get('access_token') ?? '';
    const robot = this.customRobots.get(token);
    if (!token || !robot) return this.oapi(res, DINGTALK_ERR.TOKEN_NOT_EXIST, 'token is not exist');
    if (robot.secret) {
      const ts = url.searchParams.get('timestamp') ?? '';
      const sign = url.searchParams.get('sign') ?? '';
      if (!/^\d{13}$/.test(ts) || Math.abs(this.opts.now() - Number(ts)) > SIGN_WINDOW_MS) {
        return this.oapi(res, DINGTALK_ERR.SIGN_OR_KEYWORD, 'invalid timestamp');
      }
      const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`, 'utf8').digest('base64');
      // URLSearchParams already percent-decoded `sign`.
      if (!safeEqual(sign, expected)) return this.oapi(res, DINGTALK_ERR.SIGN_OR_KEYWORD, 'sign not match');
    }
    if (!body) return this.oapi(res, DINGTALK_ERR.BAD_REQUEST, 'body must be JSON');
    const msg = parseRobotBody(body);
    if (!msg) return this.oapi(res, DINGTALK_ERR.BAD_REQUEST, 'unsupported msgtype');
    if ('error' in msg) return this.oapi(res, msg.errcode, msg.error);
    if (robot.keywords?.length && !robot.keywords.some((k) => msg.content.includes(k) || (msg.title ?? '').includes(k))) {
      return this.oapi(res, DINGTALK_ERR.SIGN_OR_KEYWORD, 'keywords not in content');
    }
    if (!this.allow(`custom:${token}`)) return this.oapi(res, DINGTALK_ERR.TOO_FAST, 'send too fast, exceed 20 times per minute');
    this.record({ via: 'custom', customRobot: robot.name, ...msg });
    this.oapi(res, 0, 'ok');
  }

  /** 20 a minute per robot; past it the robot is throttled for throttleMs. */
  private allow(key: string): boolean {
    const now = this.opts.now();
    const until = this.throttledUntil.get(key);
    if (until !== undefined && until > now) return false;
    if (this.robotLog.count(key, now, MINUTE) >= this.opts.perRobotPerMinute) {
      this.throttledUntil.set(key, now + this.opts.throttleMs);
      return false;
    }
    this.robotLog.add(key, now, MINUTE);
    return true;
  }

  // ───────────────────────────── internals: console ─────────────────────────────

  private consoleInfo() {
    return {
      apps: this.appList(),
      groups: this.listGroups(),
      customRobots: this.customRobotList(),
      callbackUrl: this.callbackUrl,
      streamConnections: [...this.conns.values()].filter((c) => !c.draining && c.ws.readyState === WebSocket.OPEN).map((c) => ({ clientId: c.clientId, openedAt: c.openedAt })),
      modes: { http: !!this.callbackUrl, stream: [...this.conns.values()].some((c) => !c.draining && c.ws.readyState === WebSocket.OPEN) },
    };
  }

  private onConsoleMessages(url: URL, res: http.ServerResponse): void {
    const { last, items } = consoleFeed(url, this.records, this.inboundRecords);
    sendJson(res, 200, {
      last,
      seq: this.stamps.last,
      items,
      info: this.consoleInfo(),
      inboundStatus: this.inboundRecords.latest(50).map((m) => ({ seq: m.seq, status: m.status, attempts: m.attempts, ackMs: m.ackMs, lostAcks: m.lostAcks, lastError: m.lastError })),
    });
  }

  private async onConsoleSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const b = (await readConsoleJson(req, '请求体必须是 JSON：{"staffId": "...", "text": "...", "mode": "http|stream"}')) as Record<string, unknown> | null;
    const staffId = typeof b?.staffId === 'string' ? b.staffId.trim() : '';
    const text = typeof b?.text === 'string' ? b.text : '';
    const mode = b?.mode === 'stream' ? 'stream' : b?.mode === 'http' ? 'http' : undefined;
    const group = typeof b?.group === 'string' && b.group ? b.group : undefined;
    if (!staffId || staffId.length > 64) throw new HttpError(400, '请选择成员（staffId 不超过 64 个字符）');
    if (!text.trim()) throw new HttpError(400, '消息内容不能为空');
    if (group && !this.groups.has(group)) throw new HttpError(400, '未知的群');
    const chosen = mode ?? (this.callbackUrl ? 'http' : 'stream');
    if (chosen === 'http' && !this.callbackUrl) throw new HttpError(503, '未配置 HTTP 回调地址');
    if (chosen === 'stream' && ![...this.conns.values()].some((c) => !c.draining && c.ws.readyState === WebSocket.OPEN)) {
      throw new HttpError(503, '没有在线的 Stream 连接：请确认网关已开启 DINGTALK_STREAM_ENABLED');
    }
    // Answer at once; delivery (retries, redelivery) goes on in the background and shows in the page.
    const tracked = this.sendTracked(staffId, text, { mode: chosen, group });
    const record = this.inboundRecords.latest(1)[0];
    tracked.catch(() => undefined);
    sendJson(res, 200, { seq: record?.seq, msgId: record?.msgId, mode: chosen });
  }

  // ───────────────────────────── internals: misc ─────────────────────────────

  private record(d: Omit<DingtalkSent, 'seq' | 'at'>): DingtalkSent {
    return this.records.add(d);
  }
}

type ParsedMessage = { msgtype: string; title?: string; content: string; atMobiles?: string[]; atUserIds?: string[]; isAtAll?: boolean };

/** A webhook body (session, custom robot, passive reply): {msgtype, text|markdown|..., at}. */
function parseRobotBody(body: unknown): ParsedMessage | { error: string; errcode: number } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const msgtype = typeof b.msgtype === 'string' ? b.msgtype : '';
  const at = b.at && typeof b.at === 'object' ? (b.at as Record<string, unknown>) : {};
  const mentions = {
    ...(nonEmptyStrings(at.atMobiles).length ? { atMobiles: nonEmptyStrings(at.atMobiles) } : {}),
    ...(nonEmptyStrings(at.atUserIds).length ? { atUserIds: nonEmptyStrings(at.atUserIds) } : {}),
    ...(at.isAtAll === true ? { isAtAll: true } : {}),
  };
  let out: ParsedMessage;
  if (msgtype === 'text') {
    const content = str((b.text as Record<string, unknown> | undefined)?.content);
    if (!content) return { error: 'text.content is empty', errcode: DINGTALK_ERR.BAD_REQUEST };
    out = { msgtype, content, ...mentions };
  } else if (msgtype === 'markdown') {
    const md = (b.markdown as Record<string, unknown> | undefined) ?? {};
    const title = str(md.title);
    const text = str(md.text);
    if (!title || !text) return { error: 'markdown needs title and text', errcode: DINGTALK_ERR.BAD_REQUEST };
    out = { msgtype, title, content: text, ...mentions };
  } else if (msgtype === 'link' || msgtype === 'actionCard' || msgtype === 'feedCard') {
    const part = b[msgtype];
    if (!part || typeof part !== 'object') return { error: `missing ${msgtype}`, errcode: DINGTALK_ERR.BAD_REQUEST };
    out = { msgtype, content: JSON.stringify(part) };
  } else {
    return undefined;
  }
  if (utf8Bytes(out.content) > MAX_CONTENT_BYTES) return { error: `message too long, exceed ${MAX_CONTENT_BYTES} bytes`, errcode: DINGTALK_ERR.MESSAGE_TOO_LONG };
  return out;
}

/** OpenAPI robot message: {msgKey, msgParam: JSON string}. */
function parseMsgParam(body: Record<string, unknown>): ParsedMessage | { error: string; message: string } {
  const msgKey = typeof body.msgKey === 'string' ? body.msgKey : '';
  if (!msgKey) return { error: 'invalidParameter.msgKey.empty', message: 'msgKey 不能为空' };
  if (typeof body.msgParam !== 'string') return { error: 'invalidParameter.msgParam.invalid', message: 'msgParam 必须是 JSON 字符串' };
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(body.msgParam);
  } catch {
    return { error: 'invalidParameter.msgParam.invalid', message: 'msgParam 不是合法的 JSON' };
  }
  let out: ParsedMessage;
  if (msgKey === 'sampleText') {
    const content = str(p?.content);
    if (!content) return { error: 'miss.param.contentOfText', message: '缺少 content' };
    out = { msgtype: 'text', content };
  } else if (msgKey === 'sampleMarkdown') {
    const title = str(p?.title);
    const text = str(p?.text);
    if (!title) return { error: 'miss.param.markdownTotitle', message: '缺少 title' };
    if (!text) return { error: 'miss.param.markdownTotext', message: '缺少 text' };
    out = { msgtype: 'markdown', title, content: text };
  } else if (msgKey === 'sampleActionCard' || msgKey === 'sampleLink') {
    out = { msgtype: msgKey, content: body.msgParam };
  } else {
    return { error: 'invalidParameter.msgKey.invalid', message: `不支持的 msgKey ${msgKey}` };
  }
  if (utf8Bytes(out.content) > MAX_CONTENT_BYTES) return { error: 'invalidParameter.msgParam.tooLong', message: '消息内容过长' };
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
