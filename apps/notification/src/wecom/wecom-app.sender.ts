import { splitUtf8ByBytes } from '@zs/channels';
import { NotifyTarget } from '@zs/contracts';
import { ChannelSender, OutboundMessage, PermanentSendError, SendContext, SendOutcome } from '../channels/channel-sender';
import { WECOM_PERMANENT, WecomApiError, WecomAppApi } from './wecom-api';

/** App text and markdown are limited to 2048 bytes; WeCom cuts text beyond that silently, so we split first. */
export const WECOM_APP_MAX_BYTES = 2048;
/** Longer than all retries of one job together (lock expiry plus exponential backoff). */
export const DUPLICATE_CHECK_SECONDS = 600;


/** Sends one logical message to people through the app message API, split by bytes. */
export class WecomAppSender implements ChannelSender<'wecom-app'> {
  readonly channel = 'wecom-app' as const;

  constructor(private readonly api: WecomAppApi) {}

  async send(target: Extract<NotifyTarget, { channel: 'wecom-app' }>, message: OutboundMessage, ctx: SendContext): Promise<SendOutcome> {
    const { format, content } = message;
    const userIds = target.userIds;
    const parts = splitUtf8ByBytes(content, WECOM_APP_MAX_BYTES);
    let invalidUsers: string[] = [];
    for (let i = ctx.alreadySentParts; i < parts.length; i++) {
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
      const r = await this.api.postWithToken('/cgi-bin/message/send', body);
      if (r.errcode !== 0) {
        if (WECOM_PERMANENT.has(r.errcode)) throw new PermanentSendError(r.errcode, r.errmsg);
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
