import { counter } from '@zs/platform';
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
