/**
 * Byte-limited splitting for platform text limits (WeCom text 2048 bytes, markdown 4096,
 * AI-bot stream 20480, ...). Limits are in UTF-8 bytes, never in JS string length.
 */

/** UTF-8 byte length (a lone surrogate counts 3 bytes, as it is encoded as U+FFFD). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Share of the chunk (from its end) in which a newline is preferred as the break point. */
const NEWLINE_WINDOW = 0.2;

/**
 * Splits `text` into chunks of at most `maxBytes` UTF-8 bytes each.
 *
 * - Breaks only between code points (a surrogate pair is never split).
 * - When a chunk must be cut and a `\n` ends within the last 20% of that chunk's bytes,
 *   the chunk ends right after the last such newline (the newline stays with the chunk).
 * - `chunks.join('') === text`; nothing is trimmed or dropped; chunks are never empty.
 * - `''` gives `[]` (nothing to send).
 *
 * @throws RangeError if `maxBytes` is not an integer >= 4 (the largest UTF-8 code point).
 */
export function splitUtf8ByBytes(text: string, maxBytes: number): string[] {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  if (!Number.isInteger(maxBytes) || maxBytes < 4) {
    throw new RangeError('maxBytes must be an integer >= 4');
  }
  const chunks: string[] = [];
  const n = text.length;
  let start = 0;
  while (start < n) {
    let i = start;
    let bytes = 0;
    // End index (exclusive) right after the last '\n' in this chunk, and its byte offset.
    let nlEnd = -1;
    let nlBytes = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      let units = 1;
      let size: number;
      if (c < 0x80) size = 1;
      else if (c < 0x800) size = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          size = 4;
          units = 2;
        } else size = 3;
      } else size = 3;
      if (bytes + size > maxBytes) break;
      bytes += size;
      i += units;
      if (c === 0x0a) {
        nlEnd = i;
        nlBytes = bytes;
      }
    }
    let end = i;
    if (i < n && nlEnd > start && nlBytes >= bytes * (1 - NEWLINE_WINDOW)) end = nlEnd;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
