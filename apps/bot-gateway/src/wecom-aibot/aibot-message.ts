import { createHash } from 'node:crypto';
import { InboundChatMessage, NotifyTarget } from '@zs/contracts';

/**
 * A WeCom AI bot message, as the callback (decrypted JSON) or the long connection
 * (`aibot_msg_callback` body) delivers it. Fields: msgid, aibotid, chatid (group only),
 * chattype single|group, from.userid, response_url, msgtype, text.content, create_time.
 */
export interface AibotMessage {
  msgId: string;
  aibotId?: string;
  chatType: 'single' | 'group';
  chatId?: string;
  userId: string;
  responseUrl?: string;
  /** `text` also for voice (already transcribed) and mixed messages with text parts. */
  msgType: string;
  /** The text, with a group message's leading @bot mention removed. */
  text: string;
  /** Platform time (ms), when the message says. */
  createdAt?: number;
  /** Set for `msgtype: event` (enter_chat, template_card_event, feedback_event, disconnected_event). */
  eventType?: string;
  /** `msgtype: stream`: WeCom asking for a stream's latest content (only when the bot answers passively). */
  streamRefresh?: boolean;
}

export class AibotMessageError extends Error {}

const MAX_ID = 128;
/** InboundChatMessage.text limit. */
const MAX_TEXT = 20000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Spaces WeCom puts after a mention: ordinary, no-break and the four-per-em space (U+2005). */
const MENTION_SPACE = '[\\s\\u00a0\\u2005]';
const LEADING_MENTION = new RegExp(`^${MENTION_SPACE}*@[^\\s\\u00a0\\u2005]+${MENTION_SPACE}*`);

/** Removes the leading `@机器人` a group message starts with. */
export function stripLeadingMention(text: string): string {
  return text.replace(LEADING_MENTION, '');
}

/**
 * A 64-bit msgid sent as a JSON number does not survive JSON.parse: read its digits from the
 * raw text instead (WeCom sends a string, but a number must not silently change the id).
 */
function rawNumericMsgId(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const m = /"msgid"\s*:\s*(\d{1,40})\s*[,}]/.exec(raw);
  return m?.[1];
}

/**
 * Parses and validates a message. `raw` is the JSON text (callback) or the already parsed
 * body (long connection). Throws AibotMessageError for anything malformed.
 */
export function parseAibotMessage(raw: string | unknown): AibotMessage {
  let body: unknown = raw;
  const text = typeof raw === 'string' ? raw : undefined;
  if (text !== undefined) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AibotMessageError('message is not JSON');
    }
  }
  if (!isRecord(body)) throw new AibotMessageError('message is not a JSON object');

  let msgId: string | undefined = str(body.msgid);
  if (msgId === undefined && typeof body.msgid === 'number') msgId = rawNumericMsgId(text) ?? String(body.msgid);
  if (!msgId || msgId.length > MAX_ID) throw new AibotMessageError('msgid missing or too long');

  const msgType = str(body.msgtype);
  if (!msgType || msgType.length > 32) throw new AibotMessageError('msgtype missing');

  const from = isRecord(body.from) ? body.from : undefined;
  const userId = str(from?.userid);
  if (!userId || userId.length > MAX_ID) throw new AibotMessageError('from.userid missing or too long');

  const chatTypeRaw = str(body.chattype) ?? 'single';
  if (chatTypeRaw !== 'single' && chatTypeRaw !== 'group') throw new AibotMessageError('chattype must be single or group');
  const chatType = chatTypeRaw;
  const chatId = str(body.chatid) || undefined;
  if (chatId && chatId.length > MAX_ID) throw new AibotMessageError('chatid too long');
  if (chatType === 'group' && !chatId && msgType !== 'event') throw new AibotMessageError('group message without chatid');

  const aibotId = str(body.aibotid) || undefined;
  if (aibotId && aibotId.length > MAX_ID) throw new AibotMessageError('aibotid too long');

  const responseUrl = str(body.response_url) || undefined;
  if (responseUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(responseUrl).protocol) && responseUrl.length <= 2048;
    } catch {
      ok = false;
    }
    if (!ok) throw new AibotMessageError('response_url is not an http(s) URL');
  }

  const createRaw = body.create_time;
  let createdAt: number | undefined;
  if (typeof createRaw === 'number' && Number.isFinite(createRaw) && createRaw > 0) {
    // Seconds or milliseconds; a value outside any real range is replaced by the receive time (boundInbound).
    createdAt = Math.floor(createRaw < 1e12 ? createRaw * 1000 : createRaw);
    if (!Number.isSafeInteger(createdAt)) createdAt = undefined;
  }

  const base = { msgId, aibotId, chatType, chatId, userId, responseUrl, createdAt } as const;

  if (msgType === 'event') {
    const event = isRecord(body.event) ? body.event : undefined;
    return { ...base, msgType, text: '', eventType: str(event?.eventtype) ?? 'unknown' };
  }
  if (msgType === 'stream') return { ...base, msgType, text: '', streamRefresh: true };

  let content = '';
  let effectiveType = msgType;
  if (msgType === 'text') {
    const t = isRecord(body.text) ? str(body.text.content) : undefined;
    if (t === undefined) throw new AibotMessageError('text.content missing');
    content = t;
  } else if (msgType === 'voice') {
    // Voice arrives already transcribed.
    const t = isRecord(body.voice) ? str(body.voice.content) : undefined;
    if (t) {
      content = t;
      effectiveType = 'text';
    }
  } else if (msgType === 'mixed') {
    const items = isRecord(body.mixed) && Array.isArray(body.mixed.msg_item) ? body.mixed.msg_item : [];
    const parts = items
      .map((i) => (isRecord(i) && i.msgtype === 'text' && isRecord(i.text) ? str(i.text.content) : undefined))
      .filter((t): t is string => !!t);
    if (parts.length) {
      content = parts.join('\n');
      effectiveType = 'text';
    }
  }
  if (chatType === 'group') content = stripLeadingMention(content);
  return { ...base, msgType: effectiveType, text: content.trim().slice(0, MAX_TEXT) };
}

/** The response_url is valid for an hour; hand it over with a margin for queueing and clock skew. */
export const RESPONSE_URL_TTL_MS = 3600_000 - 5 * 60_000;
/** A long-connection req_id can be answered for about five minutes; keep a margin. */
export const STREAM_REPLY_TTL_MS = 5 * 60_000 - 30_000;

/** Deterministic stream id for a message, so a redelivery finishes the same stream. */
export function streamIdFor(botId: string, msgId: string): string {
  return `zs-${createHash('sha1').update(`${botId}\u0000${msgId}`).digest('hex').slice(0, 24)}`;
}

export interface InboundContext {
  /** Bot id used for replies (the configured one, else the message's aibotid). */
  botId: string;
  receivedAt: number;
  /** How the answer goes back first. */
  via: { kind: 'callback' } | { kind: 'long-connection'; reqId: string };
  /** Whether this bot has a long connection, so active push can be the fallback. */
  canPush: boolean;
}

/** The push target for the chat the message came from. */
export function pushTargetFor(m: AibotMessage, botId: string): NotifyTarget {
  return m.chatType === 'group' && m.chatId
    ? { channel: 'wecom-aibot-push', botId, chatId: m.chatId }
    : { channel: 'wecom-aibot-push', botId, userId: m.userId };
}

/** Builds the mesh message, with where the answer goes first and where it goes if that has expired. */
export function toInboundMessage(m: AibotMessage, ctx: InboundContext): InboundChatMessage {
  const push = pushTargetFor(m, ctx.botId);
  let replyTo: NotifyTarget;
  if (ctx.via.kind === 'long-connection') {
    replyTo = {
      channel: 'wecom-aibot-stream',
      botId: ctx.botId,
      reqId: ctx.via.reqId,
      streamId: streamIdFor(ctx.botId, m.msgId),
      expiresAt: ctx.receivedAt + STREAM_REPLY_TTL_MS,
    };
  } else if (m.responseUrl) {
    replyTo = { channel: 'wecom-aibot-response', botId: ctx.botId, responseUrl: m.responseUrl, expiresAt: ctx.receivedAt + RESPONSE_URL_TTL_MS };
  } else {
    replyTo = push;
  }
  const fallback = ctx.canPush && replyTo.channel !== 'wecom-aibot-push' ? push : undefined;
  return {
    platform: 'wecom-aibot',
    msgId: m.msgId,
    senderId: m.userId,
    msgType: m.msgType,
    text: m.text,
    chatType: m.chatType,
    ...(m.chatId ? { chatId: m.chatId } : {}),
    createdAt: m.createdAt ?? ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    botId: ctx.botId,
    replyTo,
    ...(fallback ? { replyFallback: fallback } : {}),
  };
}
