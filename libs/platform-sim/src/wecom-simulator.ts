// A WeCom (企业微信) simulator that plays the platform's side of both directions:
//  - it serves the send APIs the product calls (gettoken, app message, group robot webhook)
//    with WeCom's error codes, byte limits, rate limits and duplicate check;
//  - it calls the product's callback URL like WeCom does (signed, AES-encrypted XML,
//    retried with the same MsgId when no HTTP 200 arrives in time);
//  - it serves a local chat console (a WeCom-like web page) on the same port.
//
// Behaviour choices where WeCom's documentation is silent (all deliberate):
//  - rate limits use sliding windows (stricter than fixed minute buckets);
//  - only accepted messages count towards a limit;
//  - app `markdown` content over 2048 bytes is rejected with errcode 40058 (text is cut silently);
//  - a body that is not JSON gets HTTP 200 with errcode 47001 on the WeCom API paths (as WeCom does),
//    and HTTP 400 on the console API paths;
//  - when `members()` is absent, returns an empty list or fails, every touser counts as valid.
import * as http from 'node:http';
import { randomBytes, randomInt } from 'node:crypto';
import { WecomCrypto, parseWecomXml, utf8Bytes } from '@zs/channels';
import { renderWecomConsolePage } from './wecom-console-page';
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
} from './sim-http';
import { ActiveRequests, closeServer, createSimServer, listen, localBaseUrl, requestTarget } from './sim-server';
import { consoleFeed, RecordLog, RecordStamps } from './record-log';
import { MemberDirectory } from './member-directory';
import { SlidingWindowLog } from './sliding-window';

export interface SimMember {
  userid: string;
  name: string;
  unitName: string;
}

export interface WecomSimulatorOptions {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
  /** The product's callback URL; may be '' and set later with setCallbackUrl(). */
  callbackUrl: string;
  /** 0 (default) picks a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long WeCom waits for an HTTP 200 before retrying. Default 5000. */
  retryTimeoutMs?: number;
  /** Attempts in all, first one included. Default 3. */
  maxAttempts?: number;
  /** Pause before retrying after an error response or a refused connection. Default min(1000, retryTimeoutMs). */
  retryDelayMs?: number;
  /**
   * Platform limits: 30 app messages per member per minute and 1000 per hour (excess silently
   * dropped), 20 group robot messages per key per minute (excess: errcode 45009). The windows can
   * be shortened so tests of the limits run in seconds (e.g. 5 per 3000 ms).
   */
  rateLimits?: {
    perMemberPerMinute?: number;
    perMemberPerHour?: number;
    perRobotPerMinute?: number;
    /** Length of the "minute" window of the per-member limit. Default 60000. */
    memberMinuteWindowMs?: number;
    /** Length of the "hour" window of the per-member limit. Default 3600000. */
    memberHourWindowMs?: number;
    /** Length of the "minute" window of the per-robot limit. Default 60000. */
    robotWindowMs?: number;
  };
  members?: () => Promise<SimMember[]>;
  /** Clock for rate limits, duplicate check, token expiry and record times. Default Date.now. */
  now?: () => number;
  /** access_token lifetime in seconds. Default 7200. */
  tokenTtlSeconds?: number;
  /** Records kept in memory (oldest dropped first). Default 50000. */
  maxRecords?: number;
}

export type DeliveryStatus = 'delivered' | 'dropped' | 'duplicate';

export type Delivered = {
  seq: number;
  at: number;
  kind: 'app' | 'group';
  touser?: string[];
  groupKey?: string;
  msgtype: string;
  content: string;
  mentioned?: string[];
  /** 'delivered' unless WeCom would have silently dropped or deduplicated it. */
  status: DeliveryStatus;
  /** Text cut to 2048 bytes, as WeCom does silently. */
  truncated?: boolean;
  /** Byte length before truncation. */
  originalBytes?: number;
  /** Over the per-member rate limit: WeCom answers ok and never delivers. */
  dropped?: boolean;
  dropReason?: 'member-per-minute' | 'member-per-hour';
  /** Same content to the same recipients within duplicate_check_interval. */
  duplicate?: boolean;
  /** Recipients WeCom reported in `invaliduser`. */
  invaliduser?: string[];
  msgid?: string;
  groupName?: string;
  /** A passive (synchronous, encrypted) reply in the callback response body. */
  passive?: boolean;
};

export type InboundStatus = 'pending' | 'acked' | 'failed';

/** A message a member "typed": sent by the simulator to the product's callback URL. */
export type Inbound = {
  seq: number;
  at: number;
  fromUser: string;
  msgtype: string;
  content: string;
  msgId: string;
  status: InboundStatus;
  attempts: number;
  ackMs: number[];
  lastError?: string;
};

export interface SendTextResult {
  msgId: string;
  attempts: number;
  acked: boolean;
  /** Per attempt: milliseconds until the response, the timeout or the connection error. */
  ackMs: number[];
  /** Per attempt: HTTP status (0 = timeout or connection error). */
  statuses: number[];
  /** Body of the acknowledging response ('' normally). */
  replyBody: string;
}

export interface RawCallbackResult {
  status: number;
  body: string;
  ms: number;
  error?: string;
}

const TEXT_MAX_BYTES = 2048;
const APP_MARKDOWN_MAX_BYTES = 2048;
const ROBOT_TEXT_MAX_BYTES = 2048;
const ROBOT_MARKDOWN_MAX_BYTES = 4096;
const MAX_DUP_INTERVAL_S = 4 * 3600;
const DEFAULT_DUP_INTERVAL_S = 1800;
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** WeCom error codes the simulator returns (documented WeCom meanings). */
export const WECOM_ERR = {
  INVALID_CREDENTIAL: 40001, // gettoken: wrong corpid or corpsecret
  INVALID_MSGTYPE: 40008,
  INVALID_ACCESS_TOKEN: 40014,
  INVALID_AGENTID: 40056,
  INVALID_PARAMETER: 40058, // content over its byte limit, malformed fields
  MISSING_ACCESS_TOKEN: 41001,
  MISSING_CORPID: 41002,
  MISSING_SECRET: 41004,
  MISSING_AGENTID: 41011,
  ACCESS_TOKEN_EXPIRED: 42001,
  EMPTY_CONTENT: 44004,
  FREQ_OUT_OF_LIMIT: 45009,
  DATA_FORMAT_ERROR: 47001,
  ALL_RECIPIENTS_INVALID: 81013,
  INVALID_WEBHOOK_KEY: 93000,
} as const;

interface TokenState {
  token: string;
  expiresAt: number;
}

export class WecomSimulator {
  private readonly opts: Required<Omit<WecomSimulatorOptions, 'members' | 'rateLimits' | 'callbackUrl'>>;
  private readonly limits: {
    perMemberPerMinute: number;
    perMemberPerHour: number;
    perRobotPerMinute: number;
    memberMinuteWindowMs: number;
    memberHourWindowMs: number;
    robotWindowMs: number;
  };
  private readonly crypto: WecomCrypto;
  private callbackUrl: string;
  private server?: http.Server;
  private base = '';
  private stopped = false;

  private readonly stamps: RecordStamps;
  private readonly records: RecordLog<Delivered>;
  private readonly inboundRecords: RecordLog<Inbound>;
  private errors: Record<number, number> = {};
  private issued = 0;
  private current?: TokenState;
  private readonly revoked = new Set<string>();
  /** Web sign-in (企业微信扫码/网页登录) codes handed to the redirect_uri: code -> userid, used once. */
  private readonly loginCodes = new Map<string, { userid: string; expiresAt: number }>();
  private readonly memberLog = new SlidingWindowLog();
  private readonly robotLog = new SlidingWindowLog();
  private readonly dupSeen = new Map<string, number>();
  private readonly robots = new Map<string, string>();
  /** Errors the next webhook sends for a key answer with, in order (failure injection for tests). */
  private readonly webhookFaults = new Map<string, number[]>();
  private readonly requests = new ActiveRequests();
  private readonly directory: MemberDirectory<SimMember, 'userid'>;
  private readonly msgIdHigh: bigint;
  private msgCounter = 0;
  private outMsgCounter = 0;

  constructor(options: WecomSimulatorOptions) {
    for (const k of ['corpId', 'agentId', 'secret', 'token', 'encodingAesKey'] as const) {
      if (!options[k]) throw new Error(`WecomSimulator: option ${k} is required`);
    }
    const retryTimeoutMs = options.retryTimeoutMs ?? 5000;
    this.opts = {
      corpId: options.corpId,
      agentId: String(options.agentId),
      secret: options.secret,
      token: options.token,
      encodingAesKey: options.encodingAesKey,
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      retryTimeoutMs,
      maxAttempts: Math.max(1, options.maxAttempts ?? 3),
      retryDelayMs: options.retryDelayMs ?? Math.min(1000, retryTimeoutMs),
      now: options.now ?? Date.now,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      maxRecords: options.maxRecords ?? 50_000,
    };
    this.stamps = new RecordStamps(this.opts.now);
    this.records = new RecordLog(this.stamps, this.opts.maxRecords);
    this.inboundRecords = new RecordLog(this.stamps, this.opts.maxRecords);
    this.directory = new MemberDirectory(options.members, 'userid');
    this.limits = {
      perMemberPerMinute: options.rateLimits?.perMemberPerMinute ?? 30,
      perMemberPerHour: options.rateLimits?.perMemberPerHour ?? 1000,
      perRobotPerMinute: options.rateLimits?.perRobotPerMinute ?? 20,
      memberMinuteWindowMs: options.rateLimits?.memberMinuteWindowMs ?? MINUTE,
      memberHourWindowMs: options.rateLimits?.memberHourWindowMs ?? HOUR,
      robotWindowMs: options.rateLimits?.robotWindowMs ?? MINUTE,
    };
    this.callbackUrl = options.callbackUrl ?? '';
    this.crypto = new WecomCrypto(options.token, options.encodingAesKey, options.corpId);
    // Random high bits (bit 62 set, so ids are beyond Number.MAX_SAFE_INTEGER) + a counter.
    this.msgIdHigh = BigInt(randomInt(0x40000000, 0x7fffffff));
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  async start(): Promise<{ baseUrl: string }> {
    if (this.server) return { baseUrl: this.base };
    this.stopped = false;
    const server = createSimServer((req, res) => this.handle(req, res), { answerClientErrors: true });
    const port = await listen(server, this.opts.port, this.opts.host);
    this.server = server;
    this.base = localBaseUrl(this.opts.host, port);
    return { baseUrl: this.base };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.requests.abortAll();
    const server = this.server;
    this.server = undefined;
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

  // ───────────────────────────── records ─────────────────────────────

  /** Every message the product sent (delivered, dropped or deduplicated), oldest first. */
  delivered(): Delivered[] {
    return this.records.all();
  }

  /** Messages that actually reached `userid` (status 'delivered'). */
  messagesTo(userid: string): Delivered[] {
    return this.records.filter(
      (d) => d.kind === 'app' && d.status === 'delivered' && !!d.touser && (d.touser.includes(userid) || d.touser.includes('@all')),
    );
  }

  /** Group robot messages that were accepted, optionally for one key. */
  groupMessages(key?: string): Delivered[] {
    return this.records.filter((d) => d.kind === 'group' && d.status === 'delivered' && (key === undefined || d.groupKey === key));
  }

  /** Messages members sent to the product through sendText / the console. */
  inbound(): Inbound[] {
    return this.inboundRecords.all();
  }

  /** Count of non-zero errcodes returned by the send APIs, by code. */
  errorsReturned(): Record<number, number> {
    return { ...this.errors };
  }

  /** Successful gettoken calls since start (or the last reset()). */
  get tokenIssued(): number {
    return this.issued;
  }

  /** Invalidates every token issued so far: the next send gets errcode 42001. */
  revokeTokens(): void {
    if (this.current) this.revoked.add(this.current.token);
    this.current = undefined;
  }

  /**
   * Clears records, error counters, the token counter, rate-limit windows and the duplicate-check
   * memory. Tokens already issued stay valid; group robots stay registered.
   */
  reset(): void {
    this.records.clear();
    this.inboundRecords.clear();
    this.errors = {};
    this.issued = 0;
    this.memberLog.clear();
    this.robotLog.clear();
    this.dupSeen.clear();
    this.webhookFaults.clear();
  }

  /** Polls until pred(delivered()) is true; rejects after timeoutMs with a summary of what arrived. */
  async waitFor(pred: (d: Delivered[]) => boolean, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
    await this.records.waitFor(pred, timeoutMs, intervalMs, 'WecomSimulator', (d) =>
      `#${d.seq} ${d.kind}/${d.msgtype}/${d.status} → ${d.touser?.join('|') ?? d.groupKey}: ${d.content.slice(0, 80)}`,
    );
  }

  addGroupRobot(key: string, groupName: string): void {
    this.robots.set(key, groupName);
  }

  /**
   * The next webhook sends for `key` fail with these errcodes, one each, in order (e.g. -1 "system
   * busy" or 45009), before any other check but the key's validity; 0 lets that send through as
   * usual (`[0, -1]`: the second send fails). Nothing is recorded for a failed one.
   */
  injectWebhookErrors(key: string, errcodes: number[]): void {
    this.webhookFaults.set(key, [...(this.webhookFaults.get(key) ?? []), ...errcodes]);
  }

  removeGroupRobot(key: string): void {
    this.robots.delete(key);
  }

  groupRobots(): Array<{ key: string; groupName: string }> {
    return [...this.robots].map(([key, groupName]) => ({ key, groupName }));
  }

  // ───────────────────────────── callback side ─────────────────────────────

  /** Next MsgId: a 64-bit decimal string (random high bits + counter). */
  nextMsgId(): string {
    this.msgCounter = (this.msgCounter + 1) >>> 0;
    return ((this.msgIdHigh << 32n) | BigInt(this.msgCounter)).toString();
  }

  /** The plaintext XML WeCom puts inside Encrypt for an app text message. */
  buildTextMessageXml(fromUserId: string, content: string, msgId: string, createTime: number): string {
    return (
      `<xml><ToUserName>${cdata(this.opts.corpId)}</ToUserName>` +
      `<FromUserName>${cdata(fromUserId)}</FromUserName>` +
      `<CreateTime>${createTime}</CreateTime>` +
      `<MsgType>${cdata('text')}</MsgType>` +
      `<Content>${cdata(content)}</Content>` +
      `<MsgId>${msgId}</MsgId>` +
      `<AgentID>${this.opts.agentId}</AgentID></xml>`
    );
  }

  /** Encrypts and signs a plaintext callback XML: the query and the body WeCom would POST. */
  sealCallback(plainXml: string, timestamp = String(Math.floor(Date.now() / 1000)), nonce = randomNonce()) {
    const encrypt = this.crypto.encrypt(plainXml);
    const msgSignature = this.crypto.signature(timestamp, nonce, encrypt);
    const body =
      `<xml><ToUserName>${cdata(this.opts.corpId)}</ToUserName>` +
      `<AgentID>${cdata(this.opts.agentId)}</AgentID>` +
      `<Encrypt>${cdata(encrypt)}</Encrypt></xml>`;
    return { query: { msg_signature: msgSignature, timestamp, nonce }, body, encrypt };
  }

  /** A member sends a 1:1 text message to the app, exactly as WeCom delivers it (with retries). */
  async sendText(
    fromUserId: string,
    content: string,
    opts?: { msgId?: string; createTime?: number },
  ): Promise<SendTextResult> {
    return (await this.sendTextTracked(fromUserId, content, opts)).result;
  }

  /**
   * Delivers any plaintext callback XML (events, other message types) with WeCom's retry rules.
   * Each attempt POSTs the identical query and body.
   */
  async postCallback(plainXml: string): Promise<SendTextResult> {
    const r = await this.deliver(plainXml);
    return { ...r, msgId: parseWecomXml(plainXml).MsgId ?? '' };
  }

  /** GET URL verification with a random echostr; echoPlain is what the body must equal. */
  async verifyUrl(): Promise<{ status: number; body: string; echoPlain: string; ms: number; ok: boolean }> {
    const echoPlain = String(randomInt(1, 2 ** 47)) + String(randomInt(100000, 999999));
    const echostr = this.crypto.encrypt(echoPlain);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomNonce();
    const msgSignature = this.crypto.signature(timestamp, nonce, echostr);
    const r = await this.sendRawCallback({
      method: 'GET',
      query: { msg_signature: msgSignature, timestamp, nonce, echostr },
    });
    return { status: r.status, body: r.body, echoPlain, ms: r.ms, ok: r.status === 200 && r.body === echoPlain };
  }

  /** One unretried request to the callback URL, for negative tests. */
  async sendRawCallback(req: {
    query?: Record<string, string>;
    body?: string;
    method?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  }): Promise<RawCallbackResult> {
    const url = this.callbackTarget(req.query ?? {});
    const method = (req.method ?? 'POST').toUpperCase();
    const headers = req.headers ?? (req.body !== undefined ? { 'content-type': 'text/xml' } : {});
    const r = await httpAttempt(method, url, req.body, headers, req.timeoutMs ?? this.opts.retryTimeoutMs, this.requests.track);
    return { status: r.status, body: r.body, ms: r.ms, error: r.error };
  }

  // ───────────────────────────── internals: callback ─────────────────────────────

  private callbackTarget(query: Record<string, string>): URL {
    return callbackUrlWith(this.callbackUrl, query, 'WecomSimulator');
  }

  private async sendTextTracked(
    fromUserId: string,
    content: string,
    opts?: { msgId?: string; createTime?: number },
  ): Promise<{ record: Inbound; result: SendTextResult }> {
    const msgId = opts?.msgId ?? this.nextMsgId();
    const createTime = opts?.createTime ?? Math.floor(Date.now() / 1000);
    const plain = this.buildTextMessageXml(fromUserId, content, msgId, createTime);
    const record = this.inboundRecords.add({ fromUser: fromUserId, msgtype: 'text', content, msgId, status: 'pending', attempts: 0, ackMs: [] });
    const r = await this.deliver(plain, record);
    record.status = r.acked ? 'acked' : 'failed';
    return { record, result: { ...r, msgId } };
  }

  private async deliver(plainXml: string, record?: Inbound): Promise<SendTextResult> {
    const { query, body } = this.sealCallback(plainXml);
    const url = this.callbackTarget(query);
    const rule = { maxAttempts: this.opts.maxAttempts, retryDelayMs: this.opts.retryDelayMs, stopped: () => this.stopped };
    const { acked, results } = await deliverWithRetries(rule, async (attempt) => {
      const r = await httpAttempt('POST', url, body, { 'content-type': 'text/xml' }, this.opts.retryTimeoutMs, this.requests.track);
      if (record) {
        record.attempts = attempt;
        record.ackMs = [...record.ackMs, r.ms];
        record.lastError = attemptError(r);
      }
      return r;
    });
    const replyBody = acked ? results[results.length - 1].body : '';
    if (acked) this.handlePassiveReply(replyBody, plainXml);
    const ackMs = results.map((r) => r.ms);
    return { msgId: '', attempts: ackMs.length, acked, ackMs, statuses: results.map((r) => r.status), replyBody };
  }

  /** A passive encrypted reply in the 200 body counts as a message delivered to the sender. */
  private handlePassiveReply(body: string, requestXml: string): void {
    const trimmed = body.trim();
    if (!trimmed || trimmed === 'success' || !trimmed.includes('<Encrypt>')) return;
    try {
      const outer = parseWecomXml(trimmed);
      const sigOk = this.crypto.verifySignature(outer.MsgSignature ?? '', outer.TimeStamp ?? '', outer.Nonce ?? '', outer.Encrypt ?? '');
      if (!sigOk) return;
      const inner = parseWecomXml(this.crypto.decrypt(outer.Encrypt));
      const to = inner.ToUserName || parseWecomXml(requestXml).FromUserName;
      this.record({
        kind: 'app',
        touser: [to],
        msgtype: inner.MsgType || 'text',
        content: inner.Content ?? '',
        status: 'delivered',
        passive: true,
      });
    } catch {
      // An unreadable passive reply is ignored, as WeCom shows nothing for it.
    }
  }

  // ───────────────────────────── internals: HTTP server ─────────────────────────────

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { url, path, method } = requestTarget(req);

    if (path === '/cgi-bin/gettoken' && method === 'GET') return this.onGetToken(url, res);
    if (path === '/cgi-bin/message/send' && method === 'POST') return this.onAppSend(url, req, res);
    if (path === '/cgi-bin/webhook/send' && method === 'POST') return this.onWebhookSend(url, req, res);
    if (path === '/cgi-bin/webhook/upload_media' && method === 'POST') return this.onWebhookUpload(url, req, res);
    if (path === '/wwlogin/sso/login' && method === 'GET') return this.onWebLogin(url, res);
    if (path === '/cgi-bin/auth/getuserinfo' && method === 'GET') return this.onGetUserInfo(url, res);

    if ((path === '/' || path === '/console') && method === 'GET') {
      return sendText(res, 200, renderWecomConsolePage({ corpId: this.opts.corpId, agentId: this.opts.agentId }), 'text/html; charset=utf-8');
    }
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return void res.end();
    }
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path === '/console/api/members' && method === 'GET') return sendJson(res, 200, await this.directory.list());
    if (path === '/console/api/messages' && method === 'GET') return this.onConsoleMessages(url, res);
    if (path === '/console/api/send' && method === 'POST') return this.onConsoleSend(req, res);
    if (path === '/console/api/info' && method === 'GET') {
      return sendJson(res, 200, {
        corpId: this.opts.corpId,
        agentId: this.opts.agentId,
        callbackUrl: this.callbackUrl,
        groupRobots: this.groupRobots(),
        limits: this.limits,
      });
    }
    if (path.startsWith('/cgi-bin/')) {
      // WeCom answers unknown API paths with HTTP 404; methods it does not accept likewise.
      return sendJson(res, 404, { errcode: 404, errmsg: 'not found' });
    }
    return sendJson(res, 404, { error: 'not found' });
  }

  /** Sends a WeCom JSON answer (always HTTP 200) and counts non-zero errcodes. */
  private wecom(res: http.ServerResponse, body: { errcode: number; errmsg: string } & Record<string, unknown>): void {
    if (body.errcode !== 0) this.errors[body.errcode] = (this.errors[body.errcode] ?? 0) + 1;
    sendJson(res, 200, body);
  }

  private err(res: http.ServerResponse, errcode: number, errmsg: string, extra: Record<string, unknown> = {}): void {
    this.wecom(res, { errcode, errmsg: `${errmsg}, hint: [sim-${Date.now().toString(36)}]`, ...extra });
  }

  private onGetToken(url: URL, res: http.ServerResponse): void {
    const corpid = url.searchParams.get('corpid');
    const secret = url.searchParams.get('corpsecret');
    if (!corpid) return this.err(res, WECOM_ERR.MISSING_CORPID, 'missing corpid');
    if (!secret) return this.err(res, WECOM_ERR.MISSING_SECRET, 'missing secret');
    if (corpid !== this.opts.corpId || secret !== this.opts.secret) {
      return this.err(res, WECOM_ERR.INVALID_CREDENTIAL, 'invalid credential');
    }
    const now = this.opts.now();
    if (!this.current || this.current.expiresAt <= now) {
      if (this.current) this.revoked.add(this.current.token);
      this.current = { token: randomBytes(48).toString('base64url'), expiresAt: now + this.opts.tokenTtlSeconds * 1000 };
    }
    this.issued++;
    this.wecom(res, {
      errcode: 0,
      errmsg: 'ok',
      access_token: this.current.token,
      expires_in: Math.max(1, Math.floor((this.current.expiresAt - now) / 1000)),
    });
  }

  /**
   * The web sign-in page (login.work.weixin.qq.com/wwlogin/sso/login): the person picks who they
   * are (instead of scanning a QR code); with `userid` chosen it redirects to redirect_uri with a
   * one-time code (5 minutes) and the state, as WeCom does.
   */
  private async onWebLogin(url: URL, res: http.ServerResponse): Promise<void> {
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    const state = url.searchParams.get('state') ?? '';
    if (url.searchParams.get('appid') !== this.opts.corpId || !/^https?:\/\//.test(redirect)) return sendText(res, 400, 'invalid appid or redirect_uri');
    const userid = url.searchParams.get('userid');
    if (userid) {
      const code = randomBytes(24).toString('base64url');
      this.loginCodes.set(code, { userid, expiresAt: this.opts.now() + 300_000 });
      const to = new URL(redirect);
      to.searchParams.set('code', code);
      to.searchParams.set('state', state);
      res.writeHead(302, { location: to.toString() });
      return void res.end();
    }
    const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const links = (await this.directory.list())
      .map((m) => {
        const u = new URL(url.toString());
        u.searchParams.set('userid', m.userid);
        return `<li><a href="${esc(u.pathname + u.search)}">${esc(`${m.name}（${m.unitName}）`)}</a></li>`;
      })
      .join('');
    sendText(res, 200, `<!doctype html><meta charset="utf-8"><title>企业微信登录（模拟）</title><h1>选择登录身份</h1><ul>${links}</ul>`, 'text/html; charset=utf-8');
  }

  /** cgi-bin/auth/getuserinfo: the web sign-in code for the person's userid (once). */
  private onGetUserInfo(url: URL, res: http.ServerResponse): void {
    const bad = this.tokenError(url);
    if (bad) return this.err(res, bad, 'invalid access_token');
    const code = url.searchParams.get('code') ?? '';
    const entry = this.loginCodes.get(code);
    this.loginCodes.delete(code);
    if (!entry || entry.expiresAt <= this.opts.now()) return this.err(res, 40029, 'invalid code');
    this.wecom(res, { errcode: 0, errmsg: 'ok', userid: entry.userid });
  }

  /** Returns an errcode when the access_token is unusable, else 0. */
  private tokenError(url: URL): number {
    const token = url.searchParams.get('access_token');
    if (!token) return WECOM_ERR.MISSING_ACCESS_TOKEN;
    if (this.current && token === this.current.token) {
      if (this.current.expiresAt <= this.opts.now()) return WECOM_ERR.ACCESS_TOKEN_EXPIRED;
      return 0;
    }
    if (this.revoked.has(token)) return WECOM_ERR.ACCESS_TOKEN_EXPIRED;
    return WECOM_ERR.INVALID_ACCESS_TOKEN;
  }

  private async onAppSend(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const tokErr = this.tokenError(url);
    if (tokErr === WECOM_ERR.MISSING_ACCESS_TOKEN) return this.err(res, tokErr, 'access_token missing');
    if (tokErr === WECOM_ERR.INVALID_ACCESS_TOKEN) return this.err(res, tokErr, 'invalid access_token');
    if (tokErr === WECOM_ERR.ACCESS_TOKEN_EXPIRED) return this.err(res, tokErr, 'access_token expired');
    if (!body) return this.err(res, WECOM_ERR.DATA_FORMAT_ERROR, 'data format error');

    if (body.agentid === undefined || body.agentid === null || body.agentid === '') {
      return this.err(res, WECOM_ERR.MISSING_AGENTID, 'missing agentid');
    }
    if (String(body.agentid) !== this.opts.agentId) return this.err(res, WECOM_ERR.INVALID_AGENTID, 'invalid agentid');

    const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '';
    if (msgtype !== 'text' && msgtype !== 'markdown') return this.err(res, WECOM_ERR.INVALID_MSGTYPE, `invalid message type ${msgtype}`);
    const part = body[msgtype] as { content?: unknown } | undefined;
    const raw = part && typeof part === 'object' && typeof part.content === 'string' ? part.content : '';
    if (!raw) return this.err(res, WECOM_ERR.EMPTY_CONTENT, 'content is empty');
    const bytes = utf8Bytes(raw);
    if (msgtype === 'markdown' && bytes > APP_MARKDOWN_MAX_BYTES) {
      return this.err(res, WECOM_ERR.INVALID_PARAMETER, `markdown.content exceed max length ${APP_MARKDOWN_MAX_BYTES}`);
    }
    let content = raw;
    let truncated = false;
    if (msgtype === 'text' && bytes > TEXT_MAX_BYTES) {
      content = truncateUtf8(raw, TEXT_MAX_BYTES);
      truncated = true;
    }

    // Recipients.
    const touserRaw = typeof body.touser === 'string' ? body.touser : '';
    const requested = [...new Set(touserRaw.split('|').map((s) => s.trim()).filter(Boolean))];
    if (requested.length > 1000) return this.err(res, WECOM_ERR.INVALID_PARAMETER, 'touser exceed max count 1000');
    const directory = await this.directory.ids();
    let valid: string[];
    let invalid: string[] = [];
    if (requested.includes('@all')) {
      valid = directory ? [...directory] : ['@all'];
    } else if (directory) {
      valid = requested.filter((u) => directory.has(u));
      invalid = requested.filter((u) => !directory.has(u));
    } else {
      valid = requested;
    }
    const msgid = this.nextOutMsgId();
    const invaliduser = invalid.join('|');
    if (valid.length === 0) {
      return this.err(res, WECOM_ERR.ALL_RECIPIENTS_INVALID, 'user & party & tag all invalid', { invaliduser });
    }

    const base = {
      kind: 'app' as const,
      msgtype,
      content,
      msgid,
      ...(truncated ? { truncated: true, originalBytes: bytes } : {}),
      ...(invalid.length ? { invaliduser: invalid } : {}),
    };
    const now = this.opts.now();

    // Server-side duplicate check.
    if (Number(body.enable_duplicate_check) === 1) {
      let interval = Number(body.duplicate_check_interval);
      if (!Number.isFinite(interval) || interval <= 0) interval = DEFAULT_DUP_INTERVAL_S;
      interval = Math.min(interval, MAX_DUP_INTERVAL_S);
      const key = `${msgtype}\u0000${[...valid].sort().join('|')}\u0000${raw}`;
      const last = this.dupSeen.get(key);
      if (last !== undefined && now - last < interval * 1000) {
        this.record({ ...base, touser: valid, status: 'duplicate', duplicate: true });
        return this.wecom(res, { errcode: 0, errmsg: 'ok', invaliduser, msgid });
      }
      this.dupSeen.set(key, now);
      if (this.dupSeen.size > 100_000) this.pruneDup(now);
    }

    // Per-member rate limit: excess is silently dropped.
    const accepted: string[] = [];
    const droppedMinute: string[] = [];
    const droppedHour: string[] = [];
    for (const u of valid) {
      if (this.memberLog.count(u, now, this.limits.memberMinuteWindowMs) >= this.limits.perMemberPerMinute) droppedMinute.push(u);
      else if (this.memberLog.count(u, now, this.limits.memberHourWindowMs) >= this.limits.perMemberPerHour) droppedHour.push(u);
      else {
        this.memberLog.add(u, now, Math.max(this.limits.memberHourWindowMs, this.limits.memberMinuteWindowMs));
        accepted.push(u);
      }
    }
    if (accepted.length) this.record({ ...base, touser: accepted, status: 'delivered' });
    if (droppedMinute.length) this.record({ ...base, touser: droppedMinute, status: 'dropped', dropped: true, dropReason: 'member-per-minute' });
    if (droppedHour.length) this.record({ ...base, touser: droppedHour, status: 'dropped', dropped: true, dropReason: 'member-per-hour' });
    this.wecom(res, { errcode: 0, errmsg: 'ok', invaliduser, msgid });
  }

  /** Files group robots uploaded (upload_media), by media_id. */
  private readonly media = new Map<string, { key: string; fileName: string; bytes: Buffer }>();

  /** Files a group robot uploaded, for tests: the name and bytes behind each media_id. */
  uploadedFiles(): Array<{ mediaId: string; key: string; fileName: string; bytes: Buffer }> {
    return [...this.media].map(([mediaId, f]) => ({ mediaId, ...f }));
  }

  /** `upload_media?key=&type=file`: multipart with a `media` part; answers a media_id. */
  private async onWebhookUpload(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const key = url.searchParams.get('key') ?? '';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!key || !this.robots.has(key)) return this.err(res, WECOM_ERR.INVALID_WEBHOOK_KEY, 'invalid webhook url');
    if (url.searchParams.get('type') !== 'file' && url.searchParams.get('type') !== 'voice') return this.err(res, WECOM_ERR.INVALID_PARAMETER, 'invalid media type');
    const body = Buffer.concat(chunks);
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(req.headers['content-type'] ?? ''));
    const marker = boundary ? Buffer.from(`--${boundary[1] ?? boundary[2]}`) : null;
    const start = marker ? body.indexOf(marker) : -1;
    const headerEnd = start >= 0 ? body.indexOf('\r\n\r\n', start) : -1;
    const end = marker && headerEnd >= 0 ? body.indexOf(Buffer.concat([Buffer.from('\r\n'), marker]), headerEnd) : -1;
    const head = headerEnd >= 0 ? body.subarray(start, headerEnd).toString('utf8') : '';
    const name = /name="media"/.test(head) ? /filename="([^"]*)"/.exec(head)?.[1] : undefined;
    if (!name || end < 0 || end - headerEnd - 4 <= 5) return this.err(res, WECOM_ERR.INVALID_PARAMETER, 'media part missing or shorter than 5 bytes');
    const mediaId = `media-${randomBytes(12).toString('hex')}`;
    this.media.set(mediaId, { key, fileName: name, bytes: body.subarray(headerEnd + 4, end) });
    this.wecom(res, { errcode: 0, errmsg: 'ok', type: 'file', media_id: mediaId, created_at: String(Math.floor(this.opts.now() / 1000)) });
  }

  private async onWebhookSend(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const key = url.searchParams.get('key') ?? '';
    const groupName = this.robots.get(key);
    if (!key || groupName === undefined) return this.err(res, WECOM_ERR.INVALID_WEBHOOK_KEY, 'invalid webhook url');
    const fault = this.webhookFaults.get(key)?.shift();
    if (fault !== undefined && fault !== 0) return this.err(res, fault, fault === WECOM_ERR.FREQ_OUT_OF_LIMIT ? 'api freq out of limit' : 'system busy (injected)');
    if (!body) return this.err(res, WECOM_ERR.DATA_FORMAT_ERROR, 'data format error');

    const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '';
    let content: string;
    let mentioned: string[] | undefined;
    if (msgtype === 'text' || msgtype === 'markdown' || msgtype === 'markdown_v2') {
      const part = body[msgtype] as Record<string, unknown> | undefined;
      content = part && typeof part === 'object' && typeof part.content === 'string' ? part.content : '';
      if (!content) return this.err(res, WECOM_ERR.EMPTY_CONTENT, 'content is empty');
      const limit = msgtype === 'text' ? ROBOT_TEXT_MAX_BYTES : ROBOT_MARKDOWN_MAX_BYTES;
      const bytes = utf8Bytes(content);
      if (bytes > limit) {
        return this.err(res, WECOM_ERR.INVALID_PARAMETER, `${msgtype}.content exceed max length ${limit} (got ${bytes} bytes)`);
      }
      if (msgtype === 'text') {
        const list = [...nonEmptyStrings(part?.mentioned_list), ...nonEmptyStrings(part?.mentioned_mobile_list)];
        if (list.length) mentioned = list;
      } else if (msgtype === 'markdown') {
        const list = [...content.matchAll(/<@([^>\s]+)>/g)].map((m) => m[1]);
        if (list.length) mentioned = [...new Set(list)];
      }
    } else if (msgtype === 'news' || msgtype === 'template_card' || msgtype === 'image' || msgtype === 'file') {
      const part = body[msgtype];
      if (!part || typeof part !== 'object') return this.err(res, WECOM_ERR.INVALID_PARAMETER, `missing ${msgtype}`);
      content = JSON.stringify(part);
      if (msgtype === 'file') {
        const file = this.media.get(String((part as Record<string, unknown>).media_id ?? ''));
        if (!file || file.key !== key) return this.err(res, WECOM_ERR.INVALID_PARAMETER, 'invalid media_id');
        content = `[文件] ${file.fileName}`;
      }
    } else {
      return this.err(res, WECOM_ERR.INVALID_MSGTYPE, `invalid message type ${msgtype}`);
    }

    const now = this.opts.now();
    if (this.robotLog.count(key, now, this.limits.robotWindowMs) >= this.limits.perRobotPerMinute) {
      return this.err(res, WECOM_ERR.FREQ_OUT_OF_LIMIT, 'api freq out of limit');
    }
    this.robotLog.add(key, now, this.limits.robotWindowMs);
    this.record({ kind: 'group', groupKey: key, groupName, msgtype, content, status: 'delivered', ...(mentioned ? { mentioned } : {}) });
    this.wecom(res, { errcode: 0, errmsg: 'ok' });
  }

  // ───────────────────────────── internals: console ─────────────────────────────

  private onConsoleMessages(url: URL, res: http.ServerResponse): void {
    const { last, items } = consoleFeed(url, this.records, this.inboundRecords);
    sendJson(res, 200, {
      last,
      seq: this.stamps.last,
      items,
      groupRobots: this.groupRobots(),
      callbackUrl: this.callbackUrl,
      // Status of recent member messages, so pages that did not send them see retries and acks.
      inboundStatus: this.inboundRecords.latest(50).map((m) => ({
        seq: m.seq,
        status: m.status,
        attempts: m.attempts,
        ackMs: m.ackMs,
        lastError: m.lastError,
      })),
    });
  }

  private async onConsoleSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const b = (await readConsoleJson(req, 'body must be JSON: {"userid": "...", "text": "..."}')) as { userid?: unknown; text?: unknown } | null;
    const userid = typeof b?.userid === 'string' ? b.userid.trim() : '';
    const text = typeof b?.text === 'string' ? b.text : '';
    if (!userid || userid.length > 64) throw new HttpError(400, 'userid is required (at most 64 characters)');
    if (!text.trim()) throw new HttpError(400, 'text is required');
    if (!this.callbackUrl) throw new HttpError(503, 'callbackUrl is not configured');
    const { record, result } = await this.sendTextTracked(userid, text);
    sendJson(res, 200, {
      seq: record.seq,
      msgId: result.msgId,
      attempts: result.attempts,
      acked: result.acked,
      ackMs: result.ackMs,
      statuses: result.statuses,
      lastError: record.lastError,
    });
  }

  // ───────────────────────────── internals: misc ─────────────────────────────

  private record(d: Omit<Delivered, 'seq' | 'at'>): Delivered {
    return this.records.add(d);
  }

  private pruneDup(now: number): void {
    for (const [k, at] of this.dupSeen) if (now - at >= MAX_DUP_INTERVAL_S * 1000) this.dupSeen.delete(k);
  }

  private nextOutMsgId(): string {
    this.outMsgCounter++;
    return `sim${randomBytes(12).toString('base64url')}${this.outMsgCounter.toString(36)}`;
  }

}

/**
 * The longest prefix of `text` within maxBytes UTF-8 bytes, cut between characters: what WeCom
 * keeps of an over-long text message (no preference for line breaks, unlike splitUtf8ByBytes).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

function cdata(s: string): string {
  return `<![CDATA[${s.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function randomNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}

