/**
 * What a value from outside (a platform callback, the admin API) may look like before it is
 * accepted. Every check here exists because a value outside it was once acknowledged and then
 * failed downstream on every retry (PostgreSQL refusing a NUL, an invalid Date, a list
 * recipient), or reached a recipient list it should never reach.
 */

/**
 * A WeCom userid: 1–64 letters, digits and `_ - . @`, the first a letter or digit (WeCom's own
 * rule). The first-character rule is what keeps `@all` (the app's whole visible range) out;
 * `|` (WeCom's list separator) is not allowed at all.
 */
export const WECOM_USER_ID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/**
 * A platform's opaque id (message id, chat id, DingTalk staffId/senderId, bot id): visible
 * ASCII without spaces or list separators, so it is safe as a NATS header value, a Redis key
 * part and a single recipient.
 */
export const PLATFORM_ID = /^[\x21-\x7e]{1,128}$/;
const LIST_SEPARATORS = /[|,;]/;

/** A platform message type word (`text`, `image`, `richText`...). */
export const MESSAGE_TYPE = /^[A-Za-z0-9_-]{1,32}$/;

export function isPlatformId(v: string): boolean {
  return PLATFORM_ID.test(v) && !LIST_SEPARATORS.test(v);
}

/** One recipient and nothing else: no `@all`, no list. */
export function isSingleRecipient(family: 'wecom' | 'dingtalk', id: string): boolean {
  if (family === 'wecom') return WECOM_USER_ID.test(id);
  return isPlatformId(id) && !id.startsWith('@');
}

/** Earliest platform time accepted as real (2000-01-01); anything earlier is a broken clock or a probe. */
export const EARLIEST_PLATFORM_TIME_MS = Date.UTC(2000, 0, 1);
/** How far ahead of our clock a platform's time may be (clock skew between data centres). */
export const PLATFORM_TIME_AHEAD_MS = 24 * 3600 * 1000;
/** The latest time any timestamp in the mesh may carry (2100-01-01), far inside PostgreSQL's range. */
export const LATEST_TIME_MS = Date.UTC(2100, 0, 1);

/**
 * The platform's creation time if it is plausible, else the time we received the message.
 * The platform time is informational (shown to administrators); a value far outside any real
 * range must not turn an otherwise good message into one that can never be stored.
 */
export function boundedPlatformTime(platformMs: number | undefined, receivedAt: number): number {
  if (platformMs === undefined || !Number.isSafeInteger(platformMs)) return receivedAt;
  if (platformMs < EARLIEST_PLATFORM_TIME_MS || platformMs > receivedAt + PLATFORM_TIME_AHEAD_MS) return receivedAt;
  return platformMs;
}

// C0 controls except tab, line feed and carriage return; DEL; C1 controls. NUL is the one
// PostgreSQL refuses in text; the rest only ever appear in probes and garble logs and replies.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Lone UTF-16 surrogates cannot be encoded as UTF-8: they would silently become U+FFFD.
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A person's text as it can be stored and echoed: without control characters or lone surrogates. */
export function cleanUserText(text: string): string {
  return text.replace(CONTROL_CHARS, '').replace(LONE_SURROGATES, '\ufffd');
}

export function hasControlChars(text: string): boolean {
  CONTROL_CHARS.lastIndex = 0;
  const found = CONTROL_CHARS.test(text);
  CONTROL_CHARS.lastIndex = 0;
  return found;
}

/**
 * A NATS header value (msgID and friends): visible ASCII, at most 256 characters. A CR or LF
 * would end the header early; NATS refuses other control characters, and that refusal must
 * never look like an outage.
 */
export function isSafeHeaderValue(v: string): boolean {
  return v.length >= 1 && v.length <= 256 && /^[\x20-\x7e]+$/.test(v);
}

/**
 * Characters that make two names look the same while being different: zero-width spaces and
 * joiners, soft hyphen, bidirectional overrides and isolates, Hangul fillers, BOM.
 */
const INVISIBLE_OR_BIDI = /[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]/;

/**
 * The canonical form of a unit or member name: Unicode NFKC (full-width letters and digits
 * become ordinary ones), no leading or trailing space, inner runs of space as one.
 */
export function normalizeDisplayName(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  // Only visible spaces are collapsed and trimmed; invisible ones (U+FEFF, U+200B) are left for the look-alike check to refuse.
  return v.normalize('NFKC').replace(/[ \t\n\r]+/g, ' ').replace(/^ | $/g, '');
}

/** A name that could pass for another one (invisible, direction-changing or control characters). */
export function isLookAlikeName(v: string): boolean {
  return INVISIBLE_OR_BIDI.test(v) || hasControlChars(v);
}

/** Matches a name free of look-alike characters (for class-validator's @Matches). */
// eslint-disable-next-line no-control-regex
export const NO_LOOK_ALIKES = /^[^\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]*$/;
