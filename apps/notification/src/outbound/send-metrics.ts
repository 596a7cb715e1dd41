import { counter, histogram } from '@zs/platform';
import { PermanentSendError, RetryLaterError, TargetExpiredError } from '../channels/channel-sender';

/** One count per send attempt of an outbound message, by channel and result. */
export const sendsTotal = counter({
  name: 'zs_notification_sends_total',
  help: 'Send attempts by channel and result (sent|partial|throttled|expired|permanent_error|transient_error)',
  labelNames: ['channel', 'result'] as const,
});

/** The result label of a send attempt that threw. */
export function sendFailureResult(e: unknown): string {
  if (e instanceof RetryLaterError) return 'throttled';
  if (e instanceof TargetExpiredError) return 'expired';
  if (e instanceof PermanentSendError) return 'permanent_error';
  return 'transient_error';
}

/**
 * Each wait of an outbound message for a rate limit, by channel and by who asked for it
 * (`limiter`: our own sliding window had no free slot; `platform`: WeCom or DingTalk said "too fast").
 * The job is parked as delayed for `seconds` and does not spend an attempt; many limiter waits mean
 * the city's volume is near the platform's limits, platform waits mean our limits are set too high
 * or another system shares the robot.
 */
export const throttleWaitSeconds = histogram({
  name: 'zs_notification_throttle_wait_seconds',
  help: 'Rate-limit waits of outbound messages (count) and how long each was parked, by channel and by (limiter|platform)',
  labelNames: ['channel', 'by'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 600, 3600],
});
