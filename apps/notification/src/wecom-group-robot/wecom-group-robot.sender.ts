import { splitUtf8ByBytes } from '@zs/channels';
import { Mentions, NotifyTarget } from '@zs/contracts';
import type { ChatRobotRepository } from '@zs/persistence';
import {
  ChannelSender,
  OutboundMessage,
  PermanentSendError,
  RetryLaterError,
  SendContext,
  SendOutcome,
} from '../channels/channel-sender';
import { appendToLast, hasTable, mentionsOutsideMarkdown, renderWecomMarkdown, renderWecomMarkdownV2, renderWecomText } from '../render';
import { acquireSoon, RateLimit, RateLimiter } from '../rate-limit';
import { WecomApiError, WecomResponse } from '../wecom/wecom-api';

export const WECOM_ROBOT_TEXT_MAX_BYTES = 2048;
export const WECOM_ROBOT_MARKDOWN_MAX_BYTES = 4096;

/** errcode 45009: too many messages for this key. */
export const WECOM_FREQ_LIMIT = 45009;
/** The robot itself no longer works: 93000 invalid webhook URL (wrong key, robot removed from its group). */
export const WECOM_ROBOT_BROKEN = new Set([93000]);
/** This message was refused and would be refused again (bad msgtype, content too long or empty, malformed JSON). */
export const WECOM_ROBOT_MESSAGE_REJECTED = new Set([40008, 40058, 44004, 47001]);

/** The text that carries @-mentions markdown cannot (mobiles, @all; everything for markdown_v2). */
export const MENTION_TEXT = '请以上同志查阅。';

export interface RobotPart {
  msgtype: 'text' | 'markdown' | 'markdown_v2';
  content: string;
  mentioned_list?: string[];
  mentioned_mobile_list?: string[];
}

export interface WecomGroupRobotOptions {
  apiBase: string;
  timeoutMs: number;
  /** Per robot, margins included. */
  limits: RateLimit[];
  /** How a table is shown: real tables (markdown_v2, newer clients) or lists (markdown, every client). */
  tables: 'markdown_v2' | 'list';
}

/**
 * Decides the webhook messages for one logical message: which msgtype, split by the byte limit
 * of that msgtype, and where the @-mentions go. Pure, so a retry computes exactly the same parts
 * and resumes after the last one delivered.
 */
export function planRobotParts(
  target: Pick<Extract<NotifyTarget, { channel: 'wecom-group-robot' }>, 'mentionUserIds' | 'mentionMobiles'>,
  message: OutboundMessage,
  tables: 'markdown_v2' | 'list' = 'markdown_v2',
): RobotPart[] {
  const mentions: Mentions = { userIds: target.mentionUserIds ?? [], mobiles: target.mentionMobiles ?? [] };
  const anyMention = (mentions.userIds?.length ?? 0) + (mentions.mobiles?.length ?? 0) > 0;
  const textMentions = (m: { userIds: string[]; mobiles: string[] }): RobotPart[] =>
    m.userIds.length || m.mobiles.length
      ? [
          {
            msgtype: 'text',
            content: MENTION_TEXT,
            ...(m.userIds.length ? { mentioned_list: m.userIds } : {}),
            ...(m.mobiles.length ? { mentioned_mobile_list: m.mobiles } : {}),
          },
        ]
      : [];

  if (message.format === 'text') {
    const parts = message.rich
      ? renderWecomText(message.rich, { maxBytes: WECOM_ROBOT_TEXT_MAX_BYTES })
      : splitUtf8ByBytes(message.content, WECOM_ROBOT_TEXT_MAX_BYTES);
    const out: RobotPart[] = parts.map((content) => ({ msgtype: 'text', content }));
    // Mentions ride on the last part, so people are pinged once the whole message is there.
    if (anyMention && out.length) {
      const last = out[out.length - 1];
      const userIds = [...new Set(mentions.userIds)];
      const mobiles = [...new Set(mentions.mobiles)];
      if (userIds.length) last.mentioned_list = userIds;
      if (mobiles.length) last.mentioned_mobile_list = mobiles;
    }
    return out;
  }

  if (message.rich && tables === 'markdown_v2' && hasTable(message.rich)) {
    const parts = renderWecomMarkdownV2(message.rich, { maxBytes: WECOM_ROBOT_MARKDOWN_MAX_BYTES });
    return [...parts.map((content): RobotPart => ({ msgtype: 'markdown_v2', content })), ...textMentions(mentionsOutsideMarkdown(mentions, true))];
  }

  let parts: string[];
  if (message.rich) {
    parts = renderWecomMarkdown(message.rich, { maxBytes: WECOM_ROBOT_MARKDOWN_MAX_BYTES, mentions });
  } else {
    const suffix = [...new Set((mentions.userIds ?? []).filter((u) => u !== '@all'))].map((u) => `<@${u}>`).join('');
    const room = suffix && Buffer.byteLength(suffix) + 1 <= WECOM_ROBOT_MARKDOWN_MAX_BYTES / 4 ? Buffer.byteLength(suffix) + 1 : 0;
    parts = appendToLast(splitUtf8ByBytes(message.content, WECOM_ROBOT_MARKDOWN_MAX_BYTES - room), suffix, '\n', WECOM_ROBOT_MARKDOWN_MAX_BYTES);
  }
  return [...parts.map((content): RobotPart => ({ msgtype: 'markdown', content })), ...textMentions(mentionsOutsideMarkdown(mentions, false))];
}

export function robotBody(p: RobotPart): Record<string, unknown> {
  const inner: Record<string, unknown> = { content: p.content };
  if (p.mentioned_list) inner.mentioned_list = p.mentioned_list;
  if (p.mentioned_mobile_list) inner.mentioned_mobile_list = p.mentioned_mobile_list;
  return { msgtype: p.msgtype, [p.msgtype]: inner };
}

/** The limiter key of a WeCom group robot: its id, never its webhook key (a secret). */
export const wecomRobotLimitKey = (robotId: string) => `wecom-robot:${robotId}`;

/**
 * WeCom group robot webhook (`POST /cgi-bin/webhook/send?key=`). Each part takes a slot from the
 * robot's limiter first (20 a minute by default), so a burst is spread out instead of being
 * refused with 45009. WeCom answers HTTP 200 even on failure: errcode decides.
 */
export class WecomGroupRobotSender implements ChannelSender<'wecom-group-robot'> {
  readonly channel = 'wecom-group-robot' as const;

  constructor(
    private readonly robots: Pick<ChatRobotRepository, 'credentials'>,
    private readonly limiter: RateLimiter,
    private readonly opts: WecomGroupRobotOptions,
  ) {}

  async send(target: Extract<NotifyTarget, { channel: 'wecom-group-robot' }>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const robot = await this.robots.credentials(target.robotId);
    if (!robot || robot.platform !== 'wecom') {
      throw new PermanentSendError(0, `no WeCom group robot with id ${target.robotId}`, 'message');
    }
    if (robot.status === 'broken') {
      throw new PermanentSendError(robot.brokenErrcode ?? 0, `robot ${robot.id} is marked broken (${robot.brokenReason ?? 'unknown'}); an administrator must reset it`, 'message');
    }
    const parts = planRobotParts(target, message, this.opts.tables);
    const key = wecomRobotLimitKey(robot.id);
    // An attachment is one more part after the text: uploaded, then sent as a `file` message.
    const total = parts.length + (message.attachment ? 1 : 0);
    for (let i = ctx.alreadySentParts; i < total; i++) {
      const slot = await acquireSoon(this.limiter, key, this.opts.limits, { holder: ctx.dedupKey && `${ctx.dedupKey}#${i}` });
      if (!slot.ok) throw new RetryLaterError(slot.retryAfterMs, `robot ${robot.id}: rate limit, next slot in ${slot.retryAfterMs} ms`, 'limiter');
      let r: WecomResponse;
      try {
        if (i < parts.length) r = await this.post(robot.webhookKey, robotBody(parts[i]));
        else {
          const upload = await this.uploadFile(robot.webhookKey, message.attachment as { fileName: string; base64: string });
          r = upload.errcode === 0 ? await this.post(robot.webhookKey, { msgtype: 'file', file: { media_id: upload.media_id } }) : upload;
        }
      } finally {
        // Later slots are measured from when WeCom answered, not from when we asked.
        await slot.sent().catch(() => undefined);
      }
      if (r.errcode === 0) {
        await ctx.onPartSent(i + 1);
        continue;
      }
      if (r.errcode === WECOM_FREQ_LIMIT) {
        // Someone else uses this robot too, or clocks disagree: hold every sender of it for a full window.
        const wait = Math.max(...this.opts.limits.map((l) => l.windowMs));
        await this.limiter.penalize(key, wait);
        throw new RetryLaterError(wait, `robot ${robot.id}: WeCom says 45009, waiting ${wait} ms`);
      }
      if (WECOM_ROBOT_BROKEN.has(r.errcode)) throw new PermanentSendError(r.errcode, r.errmsg, 'channel');
      if (WECOM_ROBOT_MESSAGE_REJECTED.has(r.errcode)) throw new PermanentSendError(r.errcode, r.errmsg, 'message');
      throw new WecomApiError(r.errcode, r.errmsg); // -1 busy and the unknown: retried with backoff
    }
    return { parts: total };
  }

  /** `POST /cgi-bin/webhook/upload_media?key=&type=file` (multipart, field `media`) → media_id, valid 3 days. */
  private async uploadFile(key: string, file: { fileName: string; base64: string }): Promise<WecomResponse & { media_id?: string }> {
    const form = new FormData();
    form.append('media', new Blob([Buffer.from(file.base64, 'base64')]), file.fileName);
    const res = await fetch(`${this.opts.apiBase}/cgi-bin/webhook/upload_media?key=${encodeURIComponent(key)}&type=file`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    }).catch((e: Error) => {
      throw new Error(`WeCom upload_media request failed: ${e.name}`);
    });
    if (!res.ok) throw new Error(`WeCom upload_media HTTP ${res.status}`);
    const json = (await res.json().catch(() => ({}))) as WecomResponse & { media_id?: string };
    if (typeof json.errcode !== 'number') throw new Error('WeCom upload_media answered without errcode');
    return json;
  }

  private async post(key: string, body: unknown): Promise<WecomResponse> {
    const res = await fetch(`${this.opts.apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    }).catch((e: Error) => {
      // fetch errors can carry the URL, and the URL carries the key.
      throw new Error(`WeCom webhook request failed: ${e.name}`);
    });
    if (!res.ok) throw new Error(`WeCom webhook HTTP ${res.status}`);
    const json = (await res.json().catch(() => ({}))) as WecomResponse;
    if (typeof json.errcode !== 'number') throw new Error('WeCom webhook answered without errcode');
    return json;
  }
}
