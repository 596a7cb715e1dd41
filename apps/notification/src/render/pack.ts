import { splitUtf8ByBytes, utf8Bytes } from '@zs/channels';

/** One piece of rendered output that should stay whole when the message is split into parts. */
export interface Chunk {
  text: string;
  /** Put between this chunk and the previous one when both land in the same part. */
  sep: string;
  /**
   * Repeated at the top of a part that starts with this chunk (a table's header row and
   * separator line, so every part of a long table reads on its own).
   */
  header?: string;
}

/**
 * Packs chunks into as few parts as possible, each at most `maxBytes` UTF-8 bytes, breaking only
 * between chunks. A chunk that alone does not fit is split on character boundaries by bytes
 * (splitUtf8ByBytes), never silently cut.
 */
export function packChunks(chunks: Chunk[], maxBytes = Number.POSITIVE_INFINITY): string[] {
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  const flush = () => {
    if (current) parts.push(current);
    current = '';
    currentBytes = 0;
  };
  for (const c of chunks) {
    if (!c.text) continue;
    const bytes = utf8Bytes(c.text);
    if (current) {
      const joined = currentBytes + utf8Bytes(c.sep) + bytes;
      if (joined <= maxBytes) {
        current += c.sep + c.text;
        currentBytes = joined;
        continue;
      }
      flush();
    }
    // Start of a part.
    const start = c.header ? `${c.header}\n${c.text}` : c.text;
    const startBytes = utf8Bytes(start);
    if (startBytes <= maxBytes) {
      current = start;
      currentBytes = startBytes;
    } else if (bytes <= maxBytes) {
      current = c.text;
      currentBytes = bytes;
    } else {
      const pieces = splitUtf8ByBytes(c.text, Math.max(4, Math.floor(maxBytes)));
      parts.push(...pieces.slice(0, -1));
      current = pieces[pieces.length - 1];
      currentBytes = utf8Bytes(current);
    }
  }
  flush();
  return parts;
}

/**
 * Appends `suffix` to the last part, moving it to a part of its own when the last part has no
 * room. Used for @-mentions, which belong at the end of a message.
 */
export function appendToLast(parts: string[], suffix: string, sep: string, maxBytes = Number.POSITIVE_INFINITY): string[] {
  if (!suffix) return parts;
  if (parts.length === 0) return [suffix];
  const last = parts[parts.length - 1];
  if (utf8Bytes(last) + utf8Bytes(sep) + utf8Bytes(suffix) <= maxBytes) return [...parts.slice(0, -1), last + sep + suffix];
  return [...parts, suffix];
}
