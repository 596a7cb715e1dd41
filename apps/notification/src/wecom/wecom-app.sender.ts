import { splitUtf8ByBytes } from '@zs/channels';
import { NotifyTarget, WECOM_USER_ID } from '@zs/contracts';
import { ChannelSender, OutboundMessage, PermanentScope, PermanentSendError, RetryLaterError, SendContext, SendOutcome } from '../channels/channel-sender';
import { acquireSoon, RateLimit, RateLimiter } from '../rate-limit';
import { renderWecomMarkdown, renderWecomText } from '../render';
import { WECOM_PERMANENT, WecomApiError, WecomAppApi } from './wecom-api';

/** App text and markdown are limited to 2048 bytes; WeCom cuts text beyond that silently, so we split first. */
export const WECOM_APP_MAX_BYTES = 2048;
/** Longer than all retries of one job together (lock expiry plus exponential backoff). */
export const DUPLICATE_CHECK_SECONDS = 600;

/** Which permanent app errors are about the people addressed or the message, not the app. */
const RECIPIENT_ERRORS = new Set([81013, 40003, 40068]);
const MESSAGE_ERRORS = new Set([40008, 40058, 44004, 47001]);
export function wecomAppErrorScope(errcode: number): PermanentScope {
  if (RECIPIENT_ERRORS.has(errcode)) return 'recipient';
  if (MESSAGE_ERRORS.has(errcode)) return 'message';
  return 'channel';
}

export interface WecomAppLimits {
  limiter: RateLimiter;
  /** Per member (30 a minute and 1000 an hour by default), margins included. */
  perMember: RateLimit[];
  /** Distinguishes members of different corps in the limiter, e.g. the CorpID. */
  keyPrefix: string;
}

/** Sends one logical message to people through the app message API, split by bytes. */
export class WecomAppSender implements ChannelSender<'wecom-app'> {
  readonly channel = 'wecom-app' as const;

  /**
   * @param limits per-member limits. WeCom silently drops messages over them, so every part takes a
   *   slot for each recipient before it is sent; without limits nothing is checked (tests only).
   */
  constructor(
    private readonly api: WecomAppApi,
    private readonly limits?: WecomAppLimits,
  ) {}

  async send(target: Extract<NotifyTarget, { channel: 'wecom-app' }>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const { format, content } = message;
    const userIds = target.userIds;
    // Where recipients leave: `@all` or a `|` inside an id would make WeCom send to many people.
    const bad = userIds.filter((u) => !WECOM_USER_ID.test(u));
    if (bad.length) throw new PermanentSendError(0, `not a single WeCom userid: ${bad.length} recipient(s) refused`, 'message');
    const parts = message.rich
      ? format === 'markdown'
        ? renderWecomMarkdown(message.rich, { maxBytes: WECOM_APP_MAX_BYTES })
        : renderWecomText(message.rich, { maxBytes: WECOM_APP_MAX_BYTES })
      : splitUtf8ByBytes(content, WECOM_APP_MAX_BYTES);
    let invalidUsers: string[] = [];
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
      let sent = async () => undefined as void;
      if (this.limits) {
        // One slot per person per part, all or none: a message to N people costs N slots.
        const keys = userIds.map((u) => `wecom-app:${this.limits!.keyPrefix}:${u}`);
        const slot = await acquireSoon(this.limits.limiter, keys, this.limits.perMember, { holder: ctx.dedupKey && `${ctx.dedupKey}#${i}` });
        if (!slot.ok) throw new RetryLaterError(slot.retryAfterMs, `app message: a recipient's rate limit, next slot in ${slot.retryAfterMs} ms`, 'limiter');
        sent = slot.sent;
      }
      const body: Record<string, unknown> = {
        touser: userIds.join('|'),
        msgtype: format,
        agentid: Number(this.api.agentId),
        [format]: { content: parts[i] },
      };
      // A worker that crashed after WeCom accepted a part but before recording it cannot know
      // whether it went out; WeCom's duplicate check drops the second copy. The window covers
      // every retry of a job (see docs/adr/0004-outbound-idempotency.md).
      Object.assign(body, { enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SECONDS });
      const r = await this.api
        .postWithToken('/cgi-bin/message/send', body)
        .catch((e: unknown) => {
          // gettoken refused the credentials (40001 bad secret, 60020 untrusted IP...): no retry helps.
          if (e instanceof WecomApiError && WECOM_PERMANENT.has(e.errcode)) throw new PermanentSendError(e.errcode, e.errmsg, 'channel');
          throw e;
        })
        .finally(() => sent().catch(() => undefined));
      if (r.errcode !== 0) {
        // API frequency limits (not the per-member one, which WeCom enforces by dropping silently).
        if (r.errcode === 45009 || r.errcode === 45033) throw new RetryLaterError(60_000, `WeCom says ${r.errcode}: api frequency limit`);
        if (WECOM_PERMANENT.has(r.errcode)) throw new PermanentSendError(r.errcode, r.errmsg, wecomAppErrorScope(r.errcode));
        throw new WecomApiError(r.errcode, r.errmsg);
      }
      if (typeof r.invaliduser === 'string' && r.invaliduser) invalidUsers = r.invaliduser.split('|');
      await ctx.onPartSent(i + 1);
    }
    return invalidUsers.length
      ? { parts: parts.length, partial: true, note: `invalid users: ${invalidUsers.join('|')}` }
      : { parts: parts.length };
  }
}
