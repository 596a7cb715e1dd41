import { PermanentSendError, RetryLaterError } from '../channels/channel-sender';
import { DingtalkApiError, OpenApiResponse } from './dingtalk-openapi';

/** Too fast: over 20 messages a minute. DingTalk then throttles the robot for 10 minutes. */
export const DINGTALK_TOO_FAST = 130101;
export const DINGTALK_THROTTLE_MS = 10 * 60_000;
/** Keyword / sign / IP whitelist check failed (told apart by errmsg): the robot's setup is wrong. */
export const DINGTALK_SECURITY = 310000;
/** The webhook's access_token does not exist (robot removed). */
export const DINGTALK_TOKEN_NOT_EXIST = 300001;
/** Message body too long. */
export const DINGTALK_TOO_LONG = 460101;
/** OpenAPI flow control other than the per-robot limit (QPS): a short wait. */
export const DINGTALK_QPS_WAIT_MS = 60_000;

export type Classified = { ok: true } | { ok: false; error: Error };

/**
 * An oapi.dingtalk.com webhook answer (custom robot, sessionWebhook): HTTP 200 even on
 * failure, `errcode` decides.
 */
export function classifyWebhook(status: number, body: Record<string, unknown>): Classified {
  if (status >= 500 || status === 429) return { ok: false, error: new DingtalkApiError(status, `HTTP ${status}`, `DingTalk webhook HTTP ${status}`) };
  if (status !== 200) return { ok: false, error: new DingtalkApiError(status, `HTTP ${status}`, `DingTalk webhook HTTP ${status}`) };
  const errcode = typeof body.errcode === 'number' ? body.errcode : typeof body.errcode === 'string' && /^-?\d+$/.test(body.errcode) ? Number(body.errcode) : NaN;
  if (Number.isNaN(errcode)) return { ok: false, error: new DingtalkApiError(status, 'no-errcode', 'DingTalk webhook answered without errcode') };
  if (errcode === 0) return { ok: true };
  const errmsg = typeof body.errmsg === 'string' ? body.errmsg.slice(0, 200) : '';
  if (errcode === DINGTALK_TOO_FAST) return { ok: false, error: new RetryLaterError(DINGTALK_THROTTLE_MS, `DingTalk 130101 (${errmsg}): waiting 10 minutes`) };
  if (errcode === DINGTALK_SECURITY || errcode === DINGTALK_TOKEN_NOT_EXIST) {
    return { ok: false, error: new PermanentSendError(errcode, errmsg || 'robot security check failed', 'channel') };
  }
  if (errcode === DINGTALK_TOO_LONG || errcode === 40035) return { ok: false, error: new PermanentSendError(errcode, errmsg || 'message refused', 'message') };
  return { ok: false, error: new DingtalkApiError(status, String(errcode), `DingTalk errcode ${errcode}: ${errmsg}`) };
}

/** Codes (prefixes) after which retrying this message cannot help, and what they say is wrong. */
const PERMANENT_CODES: Array<[RegExp, 'channel' | 'recipient' | 'message']> = [
  [/^invalidParameter\.robotCode/, 'channel'],
  [/^invalidParameter\.token/, 'channel'],
  [/^(bot\.stopped|token\.notExisted|invalidClientIdOrSecret)$/, 'channel'],
  [/^Forbidden\.AccessDenied\.(?!.*Qps)/, 'channel'],
  [/^(invalid\.openConversationId|miss\.openConversationId|group\.disbanded)$/, 'recipient'],
  [/^invalidParameter\.userIds?\./, 'recipient'],
  [/^(invalidParameter|miss\.param|template\.)/, 'message'],
];

/** An api.dingtalk.com answer: 2xx success, errors as HTTP 4xx/5xx with `{code, message}`. */
export function classifyOpenApi(r: OpenApiResponse): Classified {
  if (r.status >= 200 && r.status < 300) return { ok: true };
  const code = typeof r.body.code === 'string' ? r.body.code : typeof r.body.code === 'number' ? String(r.body.code) : `HTTP ${r.status}`;
  const message = typeof r.body.message === 'string' ? r.body.message.slice(0, 200) : '';
  if (code === String(DINGTALK_TOO_FAST) || r.body.errcode === DINGTALK_TOO_FAST) {
    return { ok: false, error: new RetryLaterError(DINGTALK_THROTTLE_MS, `DingTalk 130101 (${message}): waiting 10 minutes`) };
  }
  if (r.status === 429 || /Throttling|QpsLimit|FlowControl/i.test(code)) {
    return { ok: false, error: new RetryLaterError(DINGTALK_QPS_WAIT_MS, `DingTalk flow control (${code})`) };
  }
  if (r.status >= 400 && r.status < 500 && r.status !== 401 && r.status !== 408) {
    for (const [re, scope] of PERMANENT_CODES) if (re.test(code)) return { ok: false, error: new PermanentSendError(r.status, `${code}: ${message}`, scope) };
  }
  return { ok: false, error: new DingtalkApiError(r.status, code, `DingTalk OpenAPI HTTP ${r.status} ${code}: ${message}`) };
}
