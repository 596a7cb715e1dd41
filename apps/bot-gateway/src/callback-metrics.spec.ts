import { callbackAckSeconds, callbackChannel, callbackOutcome, callbacksTotal, countLongConnectionMessage } from './callback-metrics';

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

  it('counts long-connection messages in the callback series under their own channel, with an ack time', async () => {
    const started = process.hrtime.bigint();
    countLongConnectionMessage('dingtalk-stream', 'ok', started);
    countLongConnectionMessage('wecom-aibot-ws', 'unavailable', started);
    const totals = (await callbacksTotal.get()).values;
    expect(totals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { channel: 'dingtalk-stream', outcome: 'accepted', reason: 'ok' }, value: 1 }),
        expect.objectContaining({ labels: { channel: 'wecom-aibot-ws', outcome: 'refused', reason: 'unavailable' }, value: 1 }),
      ]),
    );
    const acks = (await callbackAckSeconds.get()).values.filter((v) => v.metricName === 'zs_callback_ack_seconds_count');
    expect(acks).toEqual(expect.arrayContaining([expect.objectContaining({ labels: { channel: 'dingtalk-stream', outcome: 'accepted' }, value: 1 })]));
  });
});
