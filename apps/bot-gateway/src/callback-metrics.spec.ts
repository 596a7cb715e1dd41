import { callbackChannel, callbackOutcome } from './callback-metrics';

describe('callback metrics labels', () => {
  it('names the channel from the callback path', () => {
    expect(callbackChannel('/wecom/callback?msg_signature=x')).toBe('wecom-app');
    expect(callbackChannel('/wecom/aibot/callback')).toBe('wecom-aibot');
    expect(callbackChannel('/dingtalk/callback')).toBe('dingtalk');
  });

  it('counts a 2xx as accepted and gives every refusal a reason', () => {
    expect(callbackOutcome(200)).toEqual({ outcome: 'accepted', reason: 'ok' });
    expect(callbackOutcome(403)).toEqual({ outcome: 'refused', reason: 'signature_or_replay' });
    expect(callbackOutcome(503)).toEqual({ outcome: 'refused', reason: 'unavailable' });
    expect(callbackOutcome(502)).toEqual({ outcome: 'refused', reason: 'server_error' });
    expect(callbackOutcome(418)).toEqual({ outcome: 'refused', reason: 'status_418' });
  });
});
