/**
 * DingTalk (钉钉) signatures.
 *
 * Both the custom robot webhook and the app robot HTTP callback use
 * `base64(HmacSHA256(key = secret, message = timestampMs + "\n" + secret))`.
 * The webhook puts it URL-encoded in the query string; the callback sends it
 * raw (not URL-encoded) in the `sign` header next to a `timestamp` header (ms).
 * (Feishu signs differently: do not reuse a Feishu helper.)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Allowed clock difference, both directions. */
export const DINGTALK_SIGN_WINDOW_MS = 60 * 60 * 1000;

export interface DingtalkRobotUrlSign {
  /** milliseconds, as a decimal string */
  timestamp: string;
  /** URL-encoded signature, ready for `&sign=` */
  sign: string;
  /** raw base64 signature */
  signBase64: string;
}

export type DingtalkCallbackVerifyResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'stale' | 'bad-signature' };

export interface DingtalkCallbackHeaders {
  timestamp?: string | string[];
  sign?: string | string[];
}

function normalizeTimestamp(timestampMs: number | string): string {
  if (typeof timestampMs === 'number') {
    if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
      throw new RangeError('timestampMs must be a non-negative integer (milliseconds)');
    }
    return String(timestampMs);
  }
  if (typeof timestampMs === 'string' && /^[0-9]{1,16}$/.test(timestampMs)) return timestampMs;
  throw new RangeError('timestampMs must be a decimal millisecond timestamp');
}

function hmacBase64(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** Signature for `https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=TS&sign=S`. */
export function signDingtalkRobotUrl(secret: string, timestampMs: number | string): DingtalkRobotUrlSign {
  const timestamp = normalizeTimestamp(timestampMs);
  const signBase64 = hmacBase64(secret, timestamp);
  return { timestamp, sign: encodeURIComponent(signBase64), signBase64 };
}

/** App robot HTTP callback `sign` header value: base64, NOT URL-encoded. */
export function dingtalkCallbackSign(appSecret: string, timestampMs: number | string): string {
  return hmacBase64(appSecret, normalizeTimestamp(timestampMs));
}

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/**
 * Verifies the app robot callback headers. `headers` may be Node's `req.headers`
 * (lower-case keys). A timestamp that is not a decimal number counts as `stale`;
 * a timestamp more than one hour before or after `nowMs` is `stale`.
 */
export function verifyDingtalkCallback(
  headers: DingtalkCallbackHeaders,
  appSecret: string,
  nowMs: number,
): DingtalkCallbackVerifyResult {
  const timestamp = single(headers?.timestamp);
  const sign = single(headers?.sign);
  if (typeof timestamp !== 'string' || typeof sign !== 'string' || timestamp === '' || sign === '') {
    return { ok: false, reason: 'missing' };
  }
  if (!/^[0-9]{1,16}$/.test(timestamp)) return { ok: false, reason: 'stale' };
  const ts = Number(timestamp);
  if (!Number.isFinite(nowMs) || Math.abs(nowMs - ts) > DINGTALK_SIGN_WINDOW_MS) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(hmacBase64(appSecret, timestamp), 'utf8');
  const given = Buffer.from(sign, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return { ok: true };
}
