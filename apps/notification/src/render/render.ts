import type { Mentions, RichBlock, RichMessage } from '@zs/contracts';
import { escapeMarkdownText } from '@zs/channels';
import { appendToLast, Chunk, packChunks } from './pack';

/**
 * Pure renderers from the neutral message model to each target's dialect. No I/O; every
 * function returns the parts to send, each within `maxBytes` (UTF-8), split only between
 * lines and rows; a table split across parts repeats its header.
 *
 * | target | tables | colours | @-mentions |
 * |---|---|---|---|
 * | WeCom markdown (group robot, app) | as a list | `<font color>` | `<@userid>` (robot only) |
 * | WeCom markdown_v2 (group robot) | real tables | none | none: sent in a separate text part |
 * | WeCom text | as a list | none | `mentioned_list` / `mentioned_mobile_list` fields |
 * | DingTalk markdown | as a list | none | `@mobile` / `@userid` in the text plus the `at` field |
 */

export interface RenderOptions {
  /** Largest part in UTF-8 bytes; default: no limit (one part). */
  maxBytes?: number;
}

type Dialect = 'wecom-md' | 'wecom-md2' | 'text' | 'dingtalk-md';

/** `**bold**` is the only inline markup producers may use; text targets drop it. */
const stripBold = (s: string) => s.replace(/\*\*(.+?)\*\*/gs, '$1');
/** Table cells are one line, without the column separator. */
const cellText = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '｜').trim();
const cell = cellText;
/**
 * Block text may carry people's own words (company names, notes): every markdown dialect gets
 * them inert (no links, images, HTML or mentions); `**bold**` survives. Text targets need nothing.
 */
const inert = (s: string, d: Dialect) => (d === 'text' ? s : escapeMarkdownText(s));

function titleChunk(title: string | undefined, d: Dialect): Chunk[] {
  if (!title) return [];
  if (d === 'text') return [{ text: stripBold(title), sep: '' }];
  return [{ text: `### ${inert(title, d)}`, sep: '' }];
}

function paragraph(b: Extract<RichBlock, { kind: 'paragraph' }>, d: Dialect): Chunk[] {
  // Lines of a paragraph may be split between parts; blocks are separated by a blank line.
  const lines = inert(b.text, d).split(/\r?\n/);
  const tone = b.tone ?? 'normal';
  return lines.map((line, i) => {
    let text = line;
    if (d === 'text') text = stripBold(line);
    else if (d === 'wecom-md' && tone !== 'normal' && line.trim()) text = `<font color="${tone}">${line}</font>`;
    else if (tone === 'warning' && line.trim() && !/^\*\*.*\*\*$/.test(line)) text = `**${line}**`;
    // DingTalk markdown joins single newlines: end a line with two spaces to keep the break.
    const sep = i === 0 ? '\n\n' : d === 'dingtalk-md' ? '  \n' : '\n';
    return { text: text || ' ', sep };
  });
}

function list(b: Extract<RichBlock, { kind: 'list' }>, d: Dialect): Chunk[] {
  return b.items.map((item, i) => ({
    text: `${b.ordered ? `${i + 1}.` : '-'} ${d === 'text' ? stripBold(item) : inert(item, d)}`.replace(/\r?\n/g, ' '),
    sep: i === 0 ? '\n\n' : '\n',
  }));
}

/** A table as a list: one line per row, the first column as its label. */
function tableAsList(b: Extract<RichBlock, { kind: 'table' }>, d: Dialect): Chunk[] {
  const chunks: Chunk[] = [];
  const bold = (s: string) => (d === 'text' ? s : `**${s}**`);
  if (b.caption) chunks.push({ text: bold(inert(cell(b.caption), d)), sep: '\n\n' });
  b.rows.forEach((row, i) => {
    const label = inert(cell(row[0] ?? ''), d);
    const rest = b.columns
      .slice(1)
      .map((col, c) => [inert(cell(col), d), inert(cell(row[c + 1] ?? ''), d)] as const)
      .filter(([, v]) => v !== '')
      .map(([col, v]) => `${col} ${v}`)
      .join('，');
    const line = `- ${label ? bold(label) : ''}${label && rest ? '：' : ''}${rest}`;
    chunks.push({ text: line, sep: i === 0 && !b.caption ? '\n\n' : '\n' });
  });
  if (b.rows.length === 0) chunks.push({ text: `- （无数据）`, sep: b.caption ? '\n' : '\n\n' });
  return chunks;
}

/** A GitHub-style table (WeCom markdown_v2). */
function tableAsTable(b: Extract<RichBlock, { kind: 'table' }>): Chunk[] {
  const cell = (s: string) => escapeMarkdownText(cellText(s));
  const chunks: Chunk[] = [];
  if (b.caption) chunks.push({ text: `**${cell(b.caption)}**`, sep: '\n\n' });
  const head = `| ${b.columns.map(cell).join(' | ')} |`;
  const rule = `| ${b.columns.map((_, i) => ({ left: ':---', center: ':---:', right: '---:' })[b.align?.[i] ?? 'left']).join(' | ')} |`;
  const header = `${head}\n${rule}`;
  chunks.push({ text: header, sep: b.caption ? '\n' : '\n\n' });
  for (const row of b.rows) {
    const cells = b.columns.map((_, c) => cell(row[c] ?? '') || ' ');
    chunks.push({ text: `| ${cells.join(' | ')} |`, sep: '\n', header });
  }
  return chunks;
}

function chunksFor(msg: RichMessage, d: Dialect): Chunk[] {
  const chunks: Chunk[] = [...titleChunk(msg.title, d)];
  for (const b of msg.blocks) {
    if (b.kind === 'paragraph') chunks.push(...paragraph(b, d));
    else if (b.kind === 'list') chunks.push(...list(b, d));
    else chunks.push(...(d === 'wecom-md2' ? tableAsTable(b) : tableAsList(b, d)));
  }
  if (chunks.length) chunks[0] = { ...chunks[0], sep: '' };
  return chunks;
}

const realUserIds = (m?: Mentions) => [...new Set((m?.userIds ?? []).filter((u) => u && u !== '@all'))];

/** Does the message need markdown_v2 to show as intended (it has a table)? */
export function hasTable(msg: RichMessage): boolean {
  return msg.blocks.some((b) => b.kind === 'table');
}

/**
 * WeCom markdown (group robot ≤4096 bytes, app ≤2048). Tables become lists. `<@userid>` mentions
 * (group robot only) are appended to the last part; '@all' and mobiles cannot be expressed in
 * markdown: the sender adds a text part for them (see `mentionsOutsideMarkdown`).
 */
export function renderWecomMarkdown(msg: RichMessage, opts: RenderOptions & { mentions?: Mentions } = {}): string[] {
  const parts = packChunks(chunksFor(msg, 'wecom-md'), reserve(opts.maxBytes, mentionSuffix(opts.mentions)));
  return appendToLast(parts, mentionSuffix(opts.mentions), '\n', opts.maxBytes);
}

/** WeCom markdown_v2 (group robot, ≤4096 bytes): real tables; no colours and no @-mentions. */
export function renderWecomMarkdownV2(msg: RichMessage, opts: RenderOptions = {}): string[] {
  return packChunks(chunksFor(msg, 'wecom-md2'), opts.maxBytes);
}

/** WeCom text (≤2048 bytes): plain lines; tables become lists. Mentions go in the request fields, not here. */
export function renderWecomText(msg: RichMessage, opts: RenderOptions = {}): string[] {
  return packChunks(chunksFor(msg, 'text'), opts.maxBytes);
}

/** One plain-text string (no limit): the `content` fallback of a NotifyRequest that carries `rich`. */
export function renderPlainText(msg: RichMessage): string {
  return renderWecomText(msg).join('\n');
}

export interface DingtalkMarkdown {
  /** DingTalk shows it in the conversation list and notifications; required by the API. */
  title: string;
  parts: string[];
  at: { atMobiles: string[]; atUserIds: string[]; isAtAll: boolean };
}

/**
 * DingTalk markdown (`msgtype: markdown`, `{title, text}` for custom robots, `sampleMarkdown` for
 * the app robot). Tables become lists. DingTalk only notifies a mentioned person when the
 * `@mobile` / `@userid` also appears in the text: it is appended to the last part, and `at`
 * carries the same people for the request.
 */
export function renderDingtalkMarkdown(msg: RichMessage, opts: RenderOptions & { mentions?: Mentions } = {}): DingtalkMarkdown {
  const mobiles = [...new Set(opts.mentions?.mobiles ?? [])];
  const userIds = realUserIds(opts.mentions);
  const isAtAll = (opts.mentions?.userIds ?? []).includes('@all');
  const suffix = [...mobiles.map((m) => `@${m}`), ...userIds.map((u) => `@${u}`), ...(isAtAll ? ['@所有人'] : [])].join(' ');
  const parts = appendToLast(packChunks(chunksFor(msg, 'dingtalk-md'), reserve(opts.maxBytes, suffix)), suffix, '\n\n', opts.maxBytes);
  const firstParagraph = msg.blocks.find((b) => b.kind === 'paragraph') as Extract<RichBlock, { kind: 'paragraph' }> | undefined;
  const title = stripBold(msg.title ?? firstParagraph?.text.split('\n')[0] ?? '通知').slice(0, 64) || '通知';
  return { title, parts, at: { atMobiles: mobiles, atUserIds: userIds, isAtAll } };
}

/** `<@a><@b>` for WeCom markdown. */
function mentionSuffix(m?: Mentions): string {
  return realUserIds(m)
    .map((u) => `<@${u}>`)
    .join('');
}

/**
 * The mentions WeCom markdown cannot carry (mobiles, '@all'), or, for markdown_v2, all of them:
 * the group robot sender delivers these in a short text message after the markdown.
 */
export function mentionsOutsideMarkdown(m: Mentions | undefined, v2: boolean): { userIds: string[]; mobiles: string[] } {
  const userIds = (m?.userIds ?? []).filter((u) => u && (v2 || u === '@all'));
  return { userIds: [...new Set(userIds)], mobiles: [...new Set(m?.mobiles ?? [])] };
}

/**
 * Leaves room for a short suffix (plus its separator) in every part, so the last part can take it.
 * A long suffix (many mentions) gets a part of its own instead (appendToLast).
 */
function reserve(maxBytes: number | undefined, suffix: string): number | undefined {
  if (maxBytes === undefined || !suffix) return maxBytes;
  const need = Buffer.byteLength(suffix, 'utf8') + 2;
  return need <= maxBytes / 4 ? maxBytes - need : maxBytes;
}
