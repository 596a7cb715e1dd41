import { splitUtf8ByBytes, utf8Bytes } from '@zs/channels';
import type { Mentions } from '@zs/contracts';
import type { OutboundMessage } from '../channels/channel-sender';
import { appendToLast, renderDingtalkMarkdown, renderWecomText } from '../render';

/**
 * DingTalk message bodies. DingTalk accepts about 20000 bytes per message (unverified): parts
 * stay well under it, split on UTF-8 character boundaries (never a silent cut).
 */
export const DINGTALK_MAX_BYTES = 18000;
/** Shown when a markdown message has no title of its own. */
export const DEFAULT_TITLE = '招商助手通知';

export interface DingtalkAt {
  atMobiles: string[];
  atUserIds: string[];
  isAtAll: boolean;
}

export interface DingtalkPart {
  msgtype: 'text' | 'markdown';
  /** Markdown only: shown in the conversation list and the notification. */
  title?: string;
  text: string;
  /** On the last part only, so people are pinged once the whole message is there. */
  at?: DingtalkAt;
}

/** A short title from the first line of the content, without markdown symbols. */
export function deriveTitle(content: string): string {
  const first = content.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const plain = first
    .replace(/^\s*(#{1,6}\s+|>\s*|[-*+]\s+)/, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .trim();
  return [...plain].slice(0, 30).join('') || DEFAULT_TITLE;
}

function normaliseMentions(m?: Mentions): DingtalkAt | undefined {
  const atMobiles = [...new Set((m?.mobiles ?? []).filter(Boolean))];
  const atUserIds = [...new Set((m?.userIds ?? []).filter((u) => u && u !== '@all'))];
  const isAtAll = (m?.userIds ?? []).includes('@all');
  return atMobiles.length || atUserIds.length || isAtAll ? { atMobiles, atUserIds, isAtAll } : undefined;
}

/** `@13800000001 @userid`: DingTalk only highlights and notifies a mention that is also in the text. */
function mentionText(at: DingtalkAt): string {
  return [...at.atMobiles.map((m) => `@${m}`), ...at.atUserIds.map((u) => `@${u}`), ...(at.isAtAll ? ['@所有人'] : [])].join(' ');
}

/**
 * The parts of one logical message for a DingTalk robot. Pure: a retry computes exactly the
 * same parts and resumes after the last one delivered.
 */
export function planDingtalkParts(message: OutboundMessage, mentions?: Mentions, maxBytes = DINGTALK_MAX_BYTES): DingtalkPart[] {
  const at = normaliseMentions(mentions);
  const suffix = at ? mentionText(at) : '';
  // Room for the mention line in every part (a long list gets a part of its own).
  const reserve = suffix && utf8Bytes(suffix) + 2 <= maxBytes / 4 ? utf8Bytes(suffix) + 2 : 0;

  let texts: string[];
  let title: string | undefined;
  if (message.format === 'markdown') {
    if (message.rich) {
      const md = renderDingtalkMarkdown(message.rich, { maxBytes, mentions });
      texts = md.parts;
      title = message.title ?? md.title;
    } else {
      texts = appendToLast(splitUtf8ByBytes(message.content, maxBytes - reserve), suffix, '\n\n', maxBytes);
      title = message.title ?? deriveTitle(message.content);
    }
  } else {
    const base = message.rich ? renderWecomText(message.rich, { maxBytes: maxBytes - reserve }) : splitUtf8ByBytes(message.content, maxBytes - reserve);
    texts = appendToLast(base, suffix, '\n', maxBytes);
  }
  if (texts.length === 0) texts = [message.content.slice(0, 1) || ' '];
  const n = texts.length;
  return texts.map((text, i) => {
    const part: DingtalkPart = { msgtype: message.format === 'markdown' ? 'markdown' : 'text', text };
    if (part.msgtype === 'markdown') part.title = n > 1 ? `${title}（${i + 1}/${n}）` : title;
    if (at && i === n - 1) part.at = at;
    return part;
  });
}

/** Webhook body (custom robot, sessionWebhook): `{msgtype, text|markdown, at}`. */
export function webhookBody(p: DingtalkPart): Record<string, unknown> {
  const body: Record<string, unknown> =
    p.msgtype === 'markdown' ? { msgtype: 'markdown', markdown: { title: p.title ?? DEFAULT_TITLE, text: p.text } } : { msgtype: 'text', text: { content: p.text } };
  if (p.at) body.at = { atMobiles: p.at.atMobiles, atUserIds: p.at.atUserIds, isAtAll: p.at.isAtAll };
  return body;
}

/** OpenAPI robot message: `msgKey` and `msgParam` (a JSON string). */
export function openApiMessage(p: DingtalkPart): { msgKey: string; msgParam: string } {
  return p.msgtype === 'markdown'
    ? { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: p.title ?? DEFAULT_TITLE, text: p.text }) }
    : { msgKey: 'sampleText', msgParam: JSON.stringify({ content: p.text }) };
}
