import { z } from 'zod';
import { RichMessage } from './rich-message';
import { EARLIEST_PLATFORM_TIME_MS, hasControlChars, isPlatformId, LATEST_TIME_MS, MESSAGE_TYPE, WECOM_USER_ID } from './edge-bounds';

/** One WeCom userid: never `@all`, never a `|` list (see edge-bounds). */
const WecomUserId = z.string().regex(WECOM_USER_ID, 'not a single WeCom userid');
/** One platform id: visible ASCII, no list separators, not `@all`. */
const PlatformId = z
  .string()
  .min(1)
  .max(128)
  .refine((v) => isPlatformId(v) && !v.startsWith('@'), 'not a single platform id');
/** A time the mesh can store: milliseconds between 2000 and 2100. */
const MeshTime = z.number().int().min(EARLIEST_PLATFORM_TIME_MS).max(LATEST_TIME_MS);
/** Text that can be stored (no NUL or other control characters). */
const StorableText = (max: number) => z.string().max(max).refine((v) => !hasControlChars(v), 'contains control characters');

/** Chat platforms and modes a message can arrive on or leave through. */
export const InboundPlatform = z.enum(['wecom-app', 'wecom-aibot', 'dingtalk']);
export type InboundPlatform = z.infer<typeof InboundPlatform>;

/**
 * Where an outbound message goes. One variant per way out; the notification service has
 * one sender per channel. Credentials (robot keys, secrets) never travel in a target:
 * robots are named by id and resolved by notification.
 */
export const NotifyTarget = z.discriminatedUnion('channel', [
  /** WeCom self-built app message to people (cgi-bin/message/send). */
  z.object({ channel: z.literal('wecom-app'), userIds: z.array(WecomUserId).min(1).max(1000) }),
  /** WeCom group robot webhook. */
  z.object({
    channel: z.literal('wecom-group-robot'),
    robotId: z.string().min(1),
    mentionUserIds: z.array(z.string()).optional(),
    mentionMobiles: z.array(z.string()).optional(),
  }),
  /** WeCom AI bot: the callback's response_url (POST once, valid 1 hour). */
  z.object({ channel: z.literal('wecom-aibot-response'), botId: z.string(), responseUrl: z.string().url(), expiresAt: z.number().int() }),
  /** WeCom AI bot active push to a group chat or a person. */
  z.object({ channel: z.literal('wecom-aibot-push'), botId: z.string(), chatId: PlatformId.optional(), userId: WecomUserId.optional() }),
  /**
   * WeCom AI bot long connection: finish the stream the gateway opened for the callback
   * (`aibot_respond_msg` echoing the callback's `req_id`), sent by the gateway holding the socket.
   */
  z.object({
    channel: z.literal('wecom-aibot-stream'),
    botId: z.string(),
    reqId: z.string().min(1).max(256),
    streamId: z.string().min(1).max(128),
    expiresAt: z.number().int(),
  }),
  /** DingTalk app robot: the callback's sessionWebhook while it is valid. */
  z.object({ channel: z.literal('dingtalk-session'), robotCode: z.string(), sessionWebhook: z.string().url(), expiresAt: z.number().int() }),
  /** DingTalk app robot via OpenAPI: a group (openConversationId). */
  z.object({ channel: z.literal('dingtalk-group'), robotCode: z.string(), openConversationId: PlatformId }),
  /** DingTalk app robot via OpenAPI: 1:1 messages to people. */
  z.object({ channel: z.literal('dingtalk-oto'), robotCode: z.string(), userIds: z.array(PlatformId).min(1).max(20) }),
  /** DingTalk custom robot webhook (signed). */
  z.object({
    channel: z.literal('dingtalk-custom-robot'),
    robotId: z.string().min(1),
    mentionUserIds: z.array(z.string()).optional(),
    mentionMobiles: z.array(z.string()).optional(),
  }),
]);
export type NotifyTarget = z.infer<typeof NotifyTarget>;
export type NotifyChannel = NotifyTarget['channel'];

/**
 * A request to send one message. `dedupKey` names the logical action
 * (e.g. `reply:wecom-app:<msgId>`); notification sends each key at most once.
 * `fallback` is used when the target can no longer be used (an expired sessionWebhook
 * or response_url).
 */
export const NotifyRequest = z.object({
  dedupKey: z.string().min(1).max(200),
  target: NotifyTarget,
  fallback: NotifyTarget.optional(),
  format: z.enum(['text', 'markdown']),
  /** Optional title (DingTalk markdown needs one). */
  title: z.string().max(100).optional(),
  content: z.string().min(1).max(100000),
  /**
   * Optional structured form (title, paragraphs, lists, tables). When present, notification renders it
   * for the target (tables as markdown_v2 on WeCom group robots, as lists elsewhere) and `content`
   * is only the plain-text fallback.
   */
  rich: RichMessage.optional(),
  /**
   * A file sent after the message where the target's platform takes files (WeCom group robots:
   * upload_media then a `file` message); other targets ignore it. Small files only (a ranking sheet).
   */
  attachment: z.object({ fileName: z.string().min(1).max(128), base64: z.string().min(1).max(1_000_000) }).optional(),
  requestedAt: z.number().int(),
});
export type NotifyRequest = z.infer<typeof NotifyRequest>;

/**
 * A chat message the gateway accepted. Published on JetStream with
 * msgID `<platform>:<msgId>`; lead-intake is idempotent on the same pair.
 */
export const InboundChatMessage = z
  .object({
    platform: InboundPlatform,
    /** The platform's own message id, kept as a string (WeCom MsgId is a 64-bit integer). */
    msgId: PlatformId,
    /** Sender's platform identity: WeCom userid or DingTalk staffId; exactly one person. */
    senderId: PlatformId,
    senderName: StorableText(128).optional(),
    msgType: z.string().regex(MESSAGE_TYPE),
    text: StorableText(20000),
    /**
     * An image, file, voice or video message: the platform's media reference (WeCom MediaId,
     * DingTalk downloadCode), fetched later through the platform's media API. Never the bytes.
     */
    media: z
      .object({ mediaId: z.string().min(1).max(512).regex(/^[\x21-\x7e]+$/, 'printable ASCII'), fileName: StorableText(256).optional() })
      .optional(),
    chatType: z.enum(['single', 'group']),
    chatId: PlatformId.optional(),
    /** Platform time the message was created (ms since epoch), bounded at the edge. */
    createdAt: MeshTime,
    receivedAt: MeshTime,
    /** Which bot of a multi-bot deployment received it (AI bot id, DingTalk robotCode, WeCom agent id). */
    botId: z.string().max(128).optional(),
    /** Where the answer goes, decided by the gateway that knows the platform. */
    replyTo: NotifyTarget,
    /** Where the answer goes if `replyTo` has expired by then. */
    replyFallback: NotifyTarget.optional(),
  })
  .superRefine((m, ctx) => {
    // A reply goes to exactly one person or the one chat the message came from.
    if (m.platform !== 'dingtalk' && !WECOM_USER_ID.test(m.senderId)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['senderId'], message: 'not a single WeCom userid' });
    }
    for (const [path, t] of [['replyTo', m.replyTo], ['replyFallback', m.replyFallback]] as const) {
      if (t && (t.channel === 'wecom-app' || t.channel === 'dingtalk-oto') && (t.userIds.length !== 1 || t.userIds[0] !== m.senderId)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path, 'userIds'], message: 'a reply goes to the sender only' });
      }
    }
  });
export type InboundChatMessage = z.infer<typeof InboundChatMessage>;

export const LeadRegisteredEvent = z.object({
  leadId: z.string(),
  code: z.string(),
  ownerUnitId: z.string(),
  tier: z.string(),
  amountWan: z.number(),
  currency: z.enum(['CNY', 'USD']),
  registeredAt: z.number().int(),
});
export type LeadRegisteredEvent = z.infer<typeof LeadRegisteredEvent>;

/** Error shape every RPC handler answers with, so the gateway can map it to HTTP. */
export interface RpcFailure {
  error: { status: 400 | 404 | 409 | 500 | 503; message: string };
}
export type RpcResult<T> = { ok: T } | RpcFailure;

/** Prefix of every administrator alert's dedupKey (notification never sends a key twice). */
export const ADMIN_ALERT_PREFIX = 'alert:';

/** An alert to the administrators, by WeCom app message, sent once per `key`. */
export function adminAlertRequest(key: string, userIds: string[], content: string): NotifyRequest {
  return {
    dedupKey: `${ADMIN_ALERT_PREFIX}${key}`.slice(0, 200),
    target: { channel: 'wecom-app', userIds },
    format: 'text',
    content,
    requestedAt: Date.now(),
  };
}
