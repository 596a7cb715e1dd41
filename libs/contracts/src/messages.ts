import { z } from 'zod';
import { RichMessage } from './rich-message';

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
  z.object({ channel: z.literal('wecom-app'), userIds: z.array(z.string().min(1)).min(1).max(1000) }),
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
  z.object({ channel: z.literal('wecom-aibot-push'), botId: z.string(), chatId: z.string().optional(), userId: z.string().optional() }),
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
  z.object({ channel: z.literal('dingtalk-group'), robotCode: z.string(), openConversationId: z.string().min(1) }),
  /** DingTalk app robot via OpenAPI: 1:1 messages to people. */
  z.object({ channel: z.literal('dingtalk-oto'), robotCode: z.string(), userIds: z.array(z.string().min(1)).min(1).max(20) }),
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
  requestedAt: z.number().int(),
});
export type NotifyRequest = z.infer<typeof NotifyRequest>;

/**
 * A chat message the gateway accepted. Published on JetStream with
 * msgID `<platform>:<msgId>`; lead-intake is idempotent on the same pair.
 */
export const InboundChatMessage = z.object({
  platform: InboundPlatform,
  /** The platform's own message id, kept as a string (WeCom MsgId is a 64-bit integer). */
  msgId: z.string().min(1).max(128),
  /** Sender's platform identity: WeCom userid or DingTalk staffId. */
  senderId: z.string().min(1).max(128),
  senderName: z.string().max(128).optional(),
  msgType: z.string().max(32),
  text: z.string().max(20000),
  /**
   * An image, file, voice or video message: the platform's media reference (WeCom MediaId,
   * DingTalk downloadCode), fetched later through the platform's media API. Never the bytes.
   */
  media: z.object({ mediaId: z.string().min(1).max(512), fileName: z.string().max(256).optional() }).optional(),
  chatType: z.enum(['single', 'group']),
  chatId: z.string().max(128).optional(),
  /** Platform time the message was created (ms since epoch). */
  createdAt: z.number().int(),
  receivedAt: z.number().int(),
  /** Which bot of a multi-bot deployment received it (AI bot id, DingTalk robotCode, WeCom agent id). */
  botId: z.string().max(128).optional(),
  /** Where the answer goes, decided by the gateway that knows the platform. */
  replyTo: NotifyTarget,
  /** Where the answer goes if `replyTo` has expired by then. */
  replyFallback: NotifyTarget.optional(),
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
  error: { status: 400 | 404 | 409 | 500; message: string };
}
export type RpcResult<T> = { ok: T } | RpcFailure;
