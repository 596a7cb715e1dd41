/**
 * Recognise what a chat message asks for.
 *
 * - Leading/trailing whitespace (incl. U+3000 and the U+2005 WeCom puts after a mention),
 *   invisible characters and leading @mentions ("@招商助手 ") are ignored. A mention ends at
 *   the first whitespace.
 * - submit-lead: the message starts with 报送线索 / 首谈首报 / 报线索 / 线索, followed by the end
 *   of the message, whitespace, a colon or comma/semicolon, or directly by a field key
 *   ("报线索企业：…"). "线索统计" or "首谈首报是什么意思" are therefore not submissions.
 *   The body is the rest of the message, trimmed, unchanged otherwise.
 * - help: the whole message is 帮助 / help / ? / ？ / 菜单 / 使用说明 (case-insensitive,
 *   optional leading "/", trailing punctuation allowed).
 * - anything else is unknown, with the cleaned text.
 */

import { ALIAS_PATTERN } from './fields';
import { stripInvisible } from './text';

export type ChatCommand =
  | { kind: 'submit-lead'; body: string }
  | { kind: 'help' }
  | { kind: 'unknown'; text: string };

export const SUBMIT_LEAD_KEYWORDS: readonly string[] = ['报送线索', '首谈首报', '报线索', '线索'];
export const HELP_KEYWORDS: readonly string[] = ['帮助', 'help', '?', '？', '菜单', '使用说明'];

const MENTION_RE = /^[@＠][^\s]*(?:\s+|$)/;
const HELP_RE = /^\/?(?:帮助|help|菜单|使用说明|[?？])[\s?？!！。.]*$/i;
const SUBMIT_RE = new RegExp(
  `^(?:${SUBMIT_LEAD_KEYWORDS.join('|')})(?=$|[\\s:：,，;；]|(?:${ALIAS_PATTERN})\\s*[:：])[\\s:：,，;；]*`,
);

/** Remove invisible characters, surrounding whitespace and leading @mentions. */
export function cleanChatText(text: string): string {
  let s = stripInvisible(typeof text === 'string' ? text : '').trim();
  for (let m = MENTION_RE.exec(s); m; m = MENTION_RE.exec(s)) {
    s = s.slice(m[0].length).trimStart();
  }
  return s.trim();
}

export function parseChatCommand(text: string): ChatCommand {
  const s = cleanChatText(text);
  if (HELP_RE.test(s)) return { kind: 'help' };
  const m = SUBMIT_RE.exec(s);
  if (m) return { kind: 'submit-lead', body: s.slice(m[0].length).trim() };
  return { kind: 'unknown', text: s };
}
