import type { NextFunction, Request, Response } from 'express';
import { counter, histogram } from '@zs/platform';

/**
 * Counts the platforms' HTTP callbacks (POST to /wecom/callback, /wecom/aibot/callback,
 * /dingtalk/callback) by outcome and refusal reason, and times each acknowledgement from the
 * request's arrival to the last byte of the answer. WeCom retries a callback that is not answered
 * within 5 s, so the ack latency is what an operator watches first.
 */
export const callbacksTotal = counter({
  name: 'zs_callbacks_total',
  help: 'Platform callbacks answered, by channel, outcome (accepted|refused) and reason',
  labelNames: ['channel', 'outcome', 'reason'] as const,
});

export const callbackAckSeconds = histogram({
  name: 'zs_callback_ack_seconds',
  help: 'Time from a callback arriving to its answer being sent, by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/**
 * Messages that arrive over a long connection (DingTalk Stream mode, the WeCom AI bot's
 * websocket) are callbacks too, without HTTP: they are counted in the same series, under their
 * own channel (`dingtalk-stream`, `wecom-aibot-ws`), with the reasons the HTTP statuses map to
 * (`ok`, `invalid_request`, `unavailable`). The ack time runs from the frame's arrival to the
 * moment we acknowledge it (DingTalk's ACK frame; the AI bot's first answer).
 */
export type LongConnectionChannel = 'dingtalk-stream' | 'wecom-aibot-ws';
export type LongConnectionReason = 'ok' | 'invalid_request' | 'unavailable';

export function countLongConnectionMessage(channel: LongConnectionChannel, reason: LongConnectionReason, startedNs: bigint): void {
  const outcome = reason === 'ok' ? 'accepted' : 'refused';
  callbacksTotal.inc({ channel, outcome, reason });
  callbackAckSeconds.observe({ channel, outcome }, Number(process.hrtime.bigint() - startedNs) / 1e9);
}

/** The channel a callback path belongs to. */
export function callbackChannel(path: string): string {
  if (path.startsWith('/wecom/aibot')) return 'wecom-aibot';
  if (path.startsWith('/wecom')) return 'wecom-app';
  if (path.startsWith('/dingtalk')) return 'dingtalk';
  return 'other';
}

/**
 * Why a callback was refused, from the status the gateway answered with. The controllers choose
 * the status by reason (see each controller), so the status says it without touching them.
 */
export function callbackOutcome(status: number): { outcome: 'accepted' | 'refused'; reason: string } {
  if (status >= 200 && status < 300) return { outcome: 'accepted', reason: 'ok' };
  const reasons: Record<number, string> = {
    400: 'invalid_request',
    401: 'unauthenticated',
    403: 'signature_or_replay',
    404: 'not_configured',
    413: 'too_large',
    415: 'unsupported_media',
    429: 'rate_limited',
    503: 'unavailable',
  };
  return { outcome: 'refused', reason: reasons[status] ?? (status >= 500 ? 'server_error' : `status_${status}`) };
}

/** Express middleware, mounted before the body parsers so a body refused for its size is counted too. */
export function callbackMetrics() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const started = process.hrtime.bigint();
    const channel = callbackChannel(req.originalUrl);
    res.once('finish', () => {
      const { outcome, reason } = callbackOutcome(res.statusCode);
      callbacksTotal.inc({ channel, outcome, reason });
      callbackAckSeconds.observe({ channel, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
