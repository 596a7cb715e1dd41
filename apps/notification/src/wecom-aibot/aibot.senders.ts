import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { escapeMarkdownText, splitUtf8ByBytes } from '@zs/channels';
import { isPlatformId, NotifyTarget, WECOM_AIBOT_CONTENT_MAX_BYTES, WECOM_USER_ID, WecomAibotGatewayReply } from '@zs/contracts';
import {
  ChannelSender,
  OutboundMessage,
  PermanentSendError,
  RetryLaterError,
  SendContext,
  SendOutcome,
  TargetExpiredError,
} from '../channels/channel-sender';
import { renderWecomMarkdown } from '../render';
import { AibotGateway } from './aibot-gateway-client';

/**
 * The message as AI bot markdown parts of at most 20480 bytes each. The AI bot only speaks
 * markdown: a plain-text message (a reply echoing the official's own words) is made inert first,
 * so a link, image or `<@all>` in someone's message is never rendered in a group.
 */
export function aibotParts(message: OutboundMessage): string[] {
  if (message.rich) return renderWecomMarkdown(message.rich, { maxBytes: WECOM_AIBOT_CONTENT_MAX_BYTES });
  const content = message.format === 'markdown' ? message.content : escapeMarkdownText(message.content);
  return splitUtf8ByBytes(content, WECOM_AIBOT_CONTENT_MAX_BYTES);
}

type Target<C extends NotifyTarget['channel']> = Extract<NotifyTarget, { channel: C }>;

/** Errors WeCom gives for a frame that retrying later may fix. */
const AIBOT_RATE_LIMITED = new Set([45009, 45033]);
const AIBOT_BUSY = new Set([-1]);

// ───────────────────────────── response_url ─────────────────────────────

/** Redis key recording a response_url's use: `claimed` before the POST, then `sent` or `failed`. */
export function responseUrlKey(prefix: string, responseUrl: string): string {
  return `${prefix}:aibot:response-url:${createHash('sha256').update(responseUrl).digest('hex')}`;
}

export interface ResponseUrlOptions {
  /** Redis key prefix (the namespace). */
  prefix: string;
  timeoutMs: number;
  /** Hostnames a response_url may point at; anything else is never posted to. */
  allowedHosts: string[];
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * Answers through the callback's response_url: one POST, ever. The URL is claimed in Redis
 * before the POST (so no retry, replica or redelivery posts twice) and marked sent after
 * it. An expired, already used or refused URL, an answer longer than one message, and a POST
 * whose outcome is unknown all end in TargetExpiredError: the request's fallback (active
 * push) carries the answer instead.
 */
export class WecomAibotResponseSender implements ChannelSender<'wecom-aibot-response'> {
  readonly channel = 'wecom-aibot-response' as const;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;
  /**
   * response_urls this process posted to successfully, until they expire. If recording `sent` in
   * Redis fails, a retry of the job (normally in this same worker) still knows the answer went
   * out, instead of reading `claimed` as "outcome unknown" and answering again by push.
   */
  private readonly posted = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly o: ResponseUrlOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.fetchImpl = o.fetch ?? fetch;
  }

  async send(target: Target<'wecom-aibot-response'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const parts = aibotParts(message);
    if (parts.length === 0) return { parts: 0 };
    if (ctx.alreadySentParts >= 1) return { parts: 1 };
    if (parts.length > 1) throw new TargetExpiredError('answer longer than one response_url message');
    let url: URL;
    try {
      url = new URL(target.responseUrl);
    } catch {
      throw new PermanentSendError(0, 'response_url is not a URL', 'message');
    }
    if (!this.o.allowedHosts.includes(url.hostname.toLowerCase())) {
      throw new PermanentSendError(0, `response_url host ${url.hostname} is not in WECOM_AIBOT_RESPONSE_HOSTS`, 'message');
    }
    const ttlMs = Math.max(1000, target.expiresAt - this.now() + 3600_000);
    const key = responseUrlKey(this.o.prefix, target.responseUrl);
    if (this.now() >= target.expiresAt) throw new TargetExpiredError('response_url expired');

    if (this.posted.has(key)) {
      await this.markSent(key, ttlMs);
      await ctx.onPartSent(1);
      return { parts: 1, note: 'sent by an earlier attempt' };
    }
    const claimed = await this.redis.set(key, 'claimed', 'PX', ttlMs, 'NX');
    if (claimed !== 'OK') {
      const state = await this.redis.get(key);
      if (state === 'sent') {
        // An earlier attempt posted it and stopped before recording the delivery.
        await ctx.onPartSent(1);
        return { parts: 1, note: 'sent by an earlier attempt' };
      }
      throw new TargetExpiredError('response_url already used');
    }

    let errcode: number | undefined;
    let failure = '';
    try {
      const res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: parts[0] } }),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      if (!res.ok) failure = `HTTP ${res.status}`;
      else {
        const json = (await res.json().catch(() => ({}))) as { errcode?: unknown; errmsg?: unknown };
        errcode = typeof json.errcode === 'number' ? json.errcode : undefined;
        if (errcode !== 0) failure = `errcode ${errcode ?? 'missing'}: ${typeof json.errmsg === 'string' ? json.errmsg : ''}`;
      }
    } catch (e) {
      // Unknown whether WeCom took it; never post twice, let the fallback answer.
      failure = `no answer: ${(e as Error).name}`;
    }
    if (failure) {
      await this.redis.set(key, 'failed', 'PX', ttlMs).catch(() => undefined);
      throw new TargetExpiredError(`response_url refused (${failure})`);
    }
    this.remember(key, target.expiresAt + 3600_000);
    await this.markSent(key, ttlMs);
    await ctx.onPartSent(1);
    return { parts: 1 };
  }

  /** Records the POST as done; retried a few times, since a lost mark would read as "unknown" to other replicas. */
  private async markSent(key: string, ttlMs: number): Promise<void> {
    for (const delay of [0, 100, 400, 1600]) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const ok = await this.redis.set(key, 'sent', 'PX', ttlMs).then(
        () => true,
        () => false,
      );
      if (ok) return;
    }
  }

  private remember(key: string, until: number): void {
    const now = this.now();
    if (this.posted.size > 10_000) for (const [k, exp] of this.posted) if (exp <= now) this.posted.delete(k);
    this.posted.set(key, until);
  }
}

// ───────────────────────────── long connection ─────────────────────────────

function gatewayFailure(r: Exclude<WecomAibotGatewayReply, { ok: true }>, what: string): Error {
  if (r.reason === 'wecom-error') {
    const code = r.errcode ?? 0;
    if (AIBOT_RATE_LIMITED.has(code)) return new RetryLaterError(60_000, `${what}: WeCom says ${code}, frequency limit`);
    if (AIBOT_BUSY.has(code)) return new Error(`${what}: WeCom busy (${code})`);
    return new PermanentSendError(code, `${what}: WeCom refused (${code} ${r.errmsg ?? ''})`.trim(), 'message');
  }
  if (r.reason === 'bad-request') return new PermanentSendError(0, `${what}: the gateway refused the request`, 'message');
  // not-connected, timeout: the socket is reconnecting; a normal retry with backoff.
  return new Error(`${what}: long connection ${r.reason}`);
}

/**
 * Finishes the stream the gateway opened when the message arrived over the long connection
 * (`aibot_respond_msg` echoing the callback's req_id). Re-sending the same stream id and content
 * is harmless, so a retry after an unknown outcome is safe. A req_id that is too old or that
 * WeCom refuses, or an answer longer than one message, goes to the fallback (active push).
 */
export class WecomAibotStreamSender implements ChannelSender<'wecom-aibot-stream'> {
  readonly channel = 'wecom-aibot-stream' as const;

  constructor(
    private readonly gateway: AibotGateway,
    private readonly now: () => number = Date.now,
  ) {}

  async send(target: Target<'wecom-aibot-stream'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const parts = aibotParts(message);
    if (parts.length === 0) return { parts: 0 };
    if (ctx.alreadySentParts >= 1) return { parts: 1 };
    if (parts.length > 1) throw new TargetExpiredError('answer longer than one stream message');
    if (this.now() >= target.expiresAt) throw new TargetExpiredError('the long-connection req_id is too old to answer');
    const r = await this.gateway.call(target.botId, { op: 'respond', reqId: target.reqId, streamId: target.streamId, content: parts[0] });
    if (!r.ok) {
      if (r.reason === 'wecom-error') throw new TargetExpiredError(`WeCom refused the stream answer (${r.errcode ?? ''} ${r.errmsg ?? ''})`.trim());
      throw gatewayFailure(r, 'stream answer');
    }
    await ctx.onPartSent(1);
    return { parts: 1 };
  }
}

/**
 * Active push (`aibot_send_msg`, markdown) to a group chatid or a person's userid, through the
 * gateway holding the bot's socket. Long content goes as several messages, split by bytes.
 */
export class WecomAibotPushSender implements ChannelSender<'wecom-aibot-push'> {
  readonly channel = 'wecom-aibot-push' as const;

  constructor(private readonly gateway: AibotGateway) {}

  async send(target: Target<'wecom-aibot-push'>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const chatId = target.chatId ?? target.userId;
    if (!chatId) throw new PermanentSendError(0, 'AI bot push target has neither chatId nor userId', 'message');
    // Where recipients leave: one person or one chat, never `@all` or a list.
    const single = target.chatId ? isPlatformId(chatId) && !chatId.startsWith('@') : WECOM_USER_ID.test(chatId);
    if (!single) throw new PermanentSendError(0, 'AI bot push target is not a single person or chat', 'message');
    const parts = aibotParts(message);
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      const r = await this.gateway.call(target.botId, { op: 'push', chatId, content: parts[i] });
      if (!r.ok) throw gatewayFailure(r, 'active push');
      await ctx.onPartSent(i + 1);
    }
    return { parts: parts.length };
  }
}
