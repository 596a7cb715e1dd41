import { boundedPlatformTime, cleanUserText, InboundChatMessage, NotifyTarget } from '@zs/contracts';
import type { DingtalkAppCredentials } from '@zs/channels';

/**
 * The DingTalk app robot message (HTTP callback body, or the `data` of a Stream CALLBACK
 * frame on topic /v1.0/im/bot/messages/get): one shape for both modes.
 */
export interface DingtalkRobotMessage {
  msgId?: unknown;
  msgtype?: unknown;
  text?: { content?: unknown } | unknown;
  content?: unknown;
  createAt?: unknown;
  conversationType?: unknown;
  conversationId?: unknown;
  conversationTitle?: unknown;
  senderId?: unknown;
  senderStaffId?: unknown;
  senderNick?: unknown;
  senderCorpId?: unknown;
  chatbotUserId?: unknown;
  robotCode?: unknown;
  isInAtList?: unknown;
  sessionWebhook?: unknown;
  sessionWebhookExpiredTime?: unknown;
}

export type DingtalkInboundResult =
  | { ok: true; message: InboundChatMessage; warnings: string[] }
  | { ok: false; reason: string };

export interface DingtalkInboundOptions {
  robot: DingtalkAppCredentials;
  receivedAt: number;
  /**
   * Origins a sessionWebhook may point at (DINGTALK_OAPI_BASE's origin). The HTTP callback
   * signature covers only the timestamp, not the body, so a sessionWebhook elsewhere is
   * never trusted: notification would otherwise POST answers to any URL in a replayed request.
   */
  sessionWebhookOrigins: string[];
}

const MAX_ID = 128;
const MAX_TEXT = 20000;
/** Used only when DingTalk leaves out sessionWebhookExpiredTime (every sample has it). */
const DEFAULT_SESSION_TTL_MS = 60 * 60 * 1000;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function msTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) return Number(v);
  return undefined;
}

/** The text of a `text` or `richText` message; '' for pictures, audio, files... */
function extractText(m: DingtalkRobotMessage): { msgType: string; text: string } {
  const msgtype = str(m.msgtype) ?? 'unknown';
  if (msgtype === 'text') {
    const t = m.text && typeof m.text === 'object' ? str((m.text as { content?: unknown }).content) : undefined;
    return { msgType: 'text', text: (t ?? '').trim() };
  }
  if (msgtype === 'richText') {
    // content.richText: [{text: "..."}, {type: "picture", downloadCode: "..."}, ...]
    const rich = m.content && typeof m.content === 'object' ? (m.content as { richText?: unknown }).richText : undefined;
    const parts = Array.isArray(rich) ? rich.map((p) => (p && typeof p === 'object' ? str((p as { text?: unknown }).text) : undefined)) : [];
    const text = parts.filter((p): p is string => !!p).join('').trim();
    // Formatted text with a picture is still a typed message: read its words.
    return text ? { msgType: 'text', text } : { msgType: 'richText', text: '' };
  }
  return { msgType: msgtype.slice(0, 32), text: '' };
}

function allowedWebhook(url: string, origins: string[]): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && origins.includes(u.origin);
  } catch {
    return false;
  }
}

/**
 * Validates a robot message and turns it into the mesh's InboundChatMessage.
 * Replies go to the sessionWebhook while it is valid; the fallback is the OpenAPI:
 * the group (openConversationId = conversationId) or 1:1 to the sender's staffId.
 */
export function toInboundChatMessage(raw: unknown, opts: DingtalkInboundOptions): DingtalkInboundResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'body must be a JSON object' };
  const m = raw as DingtalkRobotMessage;
  const warnings: string[] = [];

  const msgId = str(m.msgId);
  if (!msgId || msgId.length > MAX_ID) return { ok: false, reason: 'msgId missing or too long' };
  const conversationType = m.conversationType === 1 ? '1' : m.conversationType === 2 ? '2' : str(m.conversationType);
  if (conversationType !== '1' && conversationType !== '2') return { ok: false, reason: 'conversationType must be "1" or "2"' };
  const group = conversationType === '2';
  const conversationId = str(m.conversationId);
  if (conversationId !== undefined && conversationId.length > MAX_ID) return { ok: false, reason: 'conversationId too long' };
  if (group && !conversationId) return { ok: false, reason: 'group message without conversationId' };
  // senderStaffId is the member's userid; people outside the organisation have none and
  // come with senderId only, which no member matches (they get the unknown-sender answer).
  const staffId = str(m.senderStaffId) || undefined;
  const senderId = staffId ?? str(m.senderId);
  if (!senderId || senderId.length > MAX_ID) return { ok: false, reason: 'senderStaffId missing or too long' };

  const robotCode = opts.robot.robotCode;
  const bodyRobot = str(m.robotCode);
  if (bodyRobot && bodyRobot !== robotCode) {
    warnings.push('robotCode in the message differs from the configured DINGTALK_ROBOT_CODE of the app that signed it; answers use the configured one');
  }

  const { msgType, text } = extractText(m);
  const createdAt = boundedPlatformTime(msTime(m.createAt), opts.receivedAt);

  let fallback: NotifyTarget | undefined;
  if (group) fallback = { channel: 'dingtalk-group', robotCode, openConversationId: conversationId! };
  else if (staffId) fallback = { channel: 'dingtalk-oto', robotCode, userIds: [staffId] };

  let session: NotifyTarget | undefined;
  const webhook = str(m.sessionWebhook);
  if (webhook) {
    if (allowedWebhook(webhook, opts.sessionWebhookOrigins)) {
      const expiresAt = msTime(m.sessionWebhookExpiredTime) ?? createdAt + DEFAULT_SESSION_TTL_MS;
      session = { channel: 'dingtalk-session', robotCode, sessionWebhook: webhook, expiresAt };
    } else {
      warnings.push('sessionWebhook ignored: not on the configured DINGTALK_OAPI_BASE origin');
    }
  }
  const replyTo = session ?? fallback;
  if (!replyTo) return { ok: false, reason: 'no way to answer: neither a valid sessionWebhook nor a senderStaffId' };

  const message: InboundChatMessage = {
    platform: 'dingtalk',
    msgId,
    senderId,
    senderName: cleanUserText(str(m.senderNick) ?? '').slice(0, 128) || undefined,
    msgType,
    text: cleanUserText(text).slice(0, MAX_TEXT),
    media: mediaOf(m),
    chatType: group ? 'group' : 'single',
    chatId: conversationId,
    createdAt,
    receivedAt: opts.receivedAt,
    botId: robotCode,
    replyTo,
    replyFallback: session ? fallback : undefined,
  };
  const valid = InboundChatMessage.safeParse(message);
  if (!valid.success) return { ok: false, reason: `invalid message: ${valid.error.issues[0]?.path.join('.')} ${valid.error.issues[0]?.message}` };
  return { ok: true, message: valid.data, warnings };
}

/** A picture or file message: its downloadCode (fetched later through the robot message file API). */
function mediaOf(m: DingtalkRobotMessage): { mediaId: string; fileName?: string } | undefined {
  const type = str(m.msgtype);
  if (type !== 'picture' && type !== 'file' && type !== 'video' && type !== 'audio') return undefined;
  const c = (m.content ?? {}) as { downloadCode?: unknown; fileName?: unknown };
  const code = str(c.downloadCode);
  if (!code || code.length > 512) return undefined;
  return { mediaId: code, fileName: str(c.fileName)?.slice(0, 256) };
}
