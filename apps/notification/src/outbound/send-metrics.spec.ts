import { PermanentSendError, RetryLaterError, TargetExpiredError } from '../channels/channel-sender';
import { sendFailureResult } from './send-metrics';

describe('send result label', () => {
  it('tells throttling, an expired target and a permanent refusal apart from a transient failure', () => {
    expect(sendFailureResult(new RetryLaterError(1000, 'slow down'))).toBe('throttled');
    expect(sendFailureResult(new TargetExpiredError('gone'))).toBe('expired');
    expect(sendFailureResult(new PermanentSendError(60020, 'ip not allowed'))).toBe('permanent_error');
    expect(sendFailureResult(new Error('socket hang up'))).toBe('transient_error');
  });
});
