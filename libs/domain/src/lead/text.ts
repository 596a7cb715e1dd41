/**
 * Small text helpers shared by the lead rules. Pure functions, no I/O.
 */

/** Zero-width and formatting characters that chat clients sometimes insert invisibly. */
const INVISIBLE_RE = /[\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]/g;

/** Remove invisible formatting characters (zero-width spaces, BOM, bidi marks, soft hyphen). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_RE, '');
}

const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF\\u3000-\\u303F';
const SPACE_BETWEEN_CJK_RE = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');

/** Tidy a free-text value: drop invisible characters, collapse whitespace runs to one space, trim. */
export function tidyText(text: string): string {
  return stripInvisible(text).replace(/\s+/g, ' ').trim();
}

/**
 * Tidy a name for display: as {@link tidyText}, and drop spaces between two CJK characters
 * (Chinese names have none): "深圳市星河智能科技 有限公司" → "深圳市星河智能科技有限公司",
 * while "Acme Robotics 有限公司" keeps its spaces.
 */
export function tidyName(text: string): string {
  return tidyText(text).replace(SPACE_BETWEEN_CJK_RE, '');
}

/** Shorten text to at most `maxChars` code points, ending with "…" when cut. */
export function clip(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return chars.slice(0, Math.max(0, maxChars - 1)).join('') + '…';
}

/** UTF-8 byte length of a string (lone surrogates count as the 3-byte replacement character). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** WeCom text messages accept at most 2048 bytes of UTF-8 content. */
export const WECOM_TEXT_MAX_BYTES = 2048;

/**
 * Cut text so its UTF-8 encoding fits in `maxBytes`, never splitting a character;
 * ends with "…" when cut.
 */
export function truncateUtf8(text: string, maxBytes: number = WECOM_TEXT_MAX_BYTES): string {
  if (utf8Length(text) <= maxBytes) return text;
  const ellipsis = '…';
  const budget = maxBytes - utf8Length(ellipsis);
  let used = 0;
  let out = '';
  for (const ch of text) {
    const n = utf8Length(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return out + ellipsis;
}

/**
 * Full-width digits, Latin letters and + - . $ as their ASCII forms ("１３８" → "138"), one
 * UTF-16 unit for one, so positions found in the result are positions in the input. Unlike
 * NFKC, Chinese punctuation such as （）：， is left alone.
 */
export function halfWidthAlnum(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0B\uFF0D\uFF0E\uFF04]/g, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** C0/C1 control characters other than tab and newline (NUL included): never part of a value. */
export const CONTROL_CHARS_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
