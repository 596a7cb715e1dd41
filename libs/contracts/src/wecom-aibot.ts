import { z } from 'zod';

/**
 * What notification asks of the gateway replica that holds a WeCom AI bot's long
 * connection (WeCom allows one socket per bot, so notification cannot open its own;
 * see docs/adr/0008-wecom-aibot-replies-through-the-gateway.md). Core NATS
 * request/reply on a per-bot subject that only the socket holder subscribes to.
 */

/** Stream replies, response_url posts and active pushes carry at most this many UTF-8 bytes of content. */
export const WECOM_AIBOT_CONTENT_MAX_BYTES = 20480;

/** Subject the socket holder of `botId` answers on. The bot id is hex-encoded so any id is a valid token. */
export function wecomAibotGatewaySubject(ns: string, botId: string): string {
  return `${ns}.aibot.ws.${Buffer.from(botId, 'utf8').toString('hex')}`;
}

export const WecomAibotGatewayRequest = z.discriminatedUnion('op', [
  /** Finish the stream opened for a callback: `aibot_respond_msg` with the callback's req_id. */
  z.object({
    op: z.literal('respond'),
    reqId: z.string().min(1).max(256),
    streamId: z.string().min(1).max(128),
    content: z.string().min(1),
  }),
  /** Active push: `aibot_send_msg` (markdown) to a group chatid or a person's userid. */
  z.object({
    op: z.literal('push'),
    chatId: z.string().min(1).max(256),
    content: z.string().min(1),
  }),
]);
export type WecomAibotGatewayRequest = z.infer<typeof WecomAibotGatewayRequest>;

export const WecomAibotGatewayReply = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    /**
     * `not-connected`: the holder lost its socket (reconnecting); `wecom-error`: WeCom
     * answered the frame with a non-zero errcode; `timeout`: no answer to the frame;
     * `bad-request`: the request failed validation.
     */
    reason: z.enum(['not-connected', 'wecom-error', 'timeout', 'bad-request']),
    errcode: z.number().int().optional(),
    errmsg: z.string().optional(),
  }),
]);
export type WecomAibotGatewayReply = z.infer<typeof WecomAibotGatewayReply>;
