import { z } from 'zod';

/** Chat platforms and modes a message can arrive on or leave through. */
export const InboundPlatform = z.enum(['wecom-app', 'wecom-aibot', 'dingtalk']);
export type InboundPlatform = z.infer<typeof InboundPlatform>;

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
  chatType: z.enum(['single', 'group']),
  chatId: z.string().max(128).optional(),
  /** Platform time the message was created (ms since epoch). */
  createdAt: z.number().int(),
  receivedAt: z.number().int(),
});
export type InboundChatMessage = z.infer<typeof InboundChatMessage>;

/** Where an outbound message goes. */
export const NotifyTarget = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('wecom-app'), userIds: z.array(z.string().min(1)).min(1).max(1000) }),
  z.object({ channel: z.literal('wecom-group-robot'), robotKey: z.string().min(1), mentionUserIds: z.array(z.string()).optional() }),
]);
export type NotifyTarget = z.infer<typeof NotifyTarget>;

/**
 * A request to send one message. `dedupKey` names the logical action
 * (e.g. `reply:wecom-app:<msgId>`); notification sends each key at most once.
 */
export const NotifyRequest = z.object({
  dedupKey: z.string().min(1).max(200),
  target: NotifyTarget,
  format: z.enum(['text', 'markdown']),
  content: z.string().min(1).max(100000),
  requestedAt: z.number().int(),
});
export type NotifyRequest = z.infer<typeof NotifyRequest>;

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
