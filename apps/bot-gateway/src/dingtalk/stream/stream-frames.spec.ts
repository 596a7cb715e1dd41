import { callbackAck, interpretFrame, TOPIC_ROBOT } from './stream-frames';

const frame = (type: string, headers: Record<string, unknown>, data: unknown) => JSON.stringify({ specVersion: '1.0', type, headers, data });

describe('DingTalk Stream frames', () => {
  it('echoes a SYSTEM ping with its headers and data', () => {
    const headers = { contentType: 'application/json', messageId: 'ping-1', time: '1690000000000', topic: 'ping' };
    const a = interpretFrame(frame('SYSTEM', headers, '{"opaque":"abc"}'));
    expect(a).toEqual({ kind: 'pong', reply: { code: 200, headers, message: 'OK', data: '{"opaque":"abc"}' } });
  });

  it('turns SYSTEM disconnect into a reconnect with its reason', () => {
    const a = interpretFrame(frame('SYSTEM', { messageId: 'd1', topic: 'disconnect' }, '{"reason":"persistent connection is timeout"}'));
    expect(a).toEqual({ kind: 'disconnect', reason: 'persistent connection is timeout' });
    expect(interpretFrame(frame('SYSTEM', { messageId: 'd2', topic: 'disconnect' }, 'not json'))).toEqual({ kind: 'disconnect', reason: 'server asked to reconnect' });
  });

  it('hands over a robot CALLBACK with the ACK the protocol wants', () => {
    const data = { msgId: 'msgA==', text: { content: ' 你好' } };
    const a = interpretFrame(frame('CALLBACK', { messageId: 'm-1', topic: TOPIC_ROBOT, contentType: 'application/json' }, JSON.stringify(data)));
    expect(a).toEqual({
      kind: 'robot-message',
      messageId: 'm-1',
      payload: data,
      ack: { code: 200, headers: { messageId: 'm-1', contentType: 'application/json' }, message: 'OK', data: '{"response":null}' },
    });
    expect(JSON.parse(callbackAck('x').data)).toEqual({ response: null });
  });

  it('accepts the legacy robot topic too', () => {
    expect(interpretFrame(frame('CALLBACK', { messageId: 'm-2', topic: 'bot_got_msg' }, '{}')).kind).toBe('robot-message');
  });

  it('passes an unreadable robot payload on as undefined (the handler rejects it, and it is still ACKed)', () => {
    const a = interpretFrame(frame('CALLBACK', { messageId: 'm-3', topic: TOPIC_ROBOT }, '{broken'));
    expect(a.kind).toBe('robot-message');
    expect((a as { payload: unknown }).payload).toBeUndefined();
  });

  it('acknowledges callbacks and events it does not handle', () => {
    const cb = interpretFrame(frame('CALLBACK', { messageId: 'c-1', topic: '/v1.0/card/instances/callback' }, '{}'));
    expect(cb).toMatchObject({ kind: 'ack-only', ack: { code: 200, headers: { messageId: 'c-1' } } });
    const ev = interpretFrame(frame('EVENT', { messageId: 'e-1', topic: '*' }, '{}'));
    expect(ev).toMatchObject({ kind: 'ack-only', ack: { code: 200, headers: { messageId: 'e-1' } } });
    expect(JSON.parse((ev as { ack: { data: string } }).ack.data)).toEqual({ status: 'SUCCESS', message: 'OK' });
  });

  it('treats other SYSTEM topics as notices', () => {
    expect(interpretFrame(frame('SYSTEM', { messageId: 's', topic: 'CONNECTED' }, ''))).toEqual({ kind: 'notice', topic: 'CONNECTED' });
    expect(interpretFrame(frame('SYSTEM', { messageId: 's', topic: 'KEEPALIVE' }, ''))).toEqual({ kind: 'notice', topic: 'KEEPALIVE' });
  });

  it('refuses garbage without throwing', () => {
    for (const raw of ['', 'null', '[]', '{"type":"CALLBACK"}', frame('CALLBACK', { topic: TOPIC_ROBOT }, '{}'), frame('WHAT', { messageId: 'x', topic: 'y' }, ''), frame('SYSTEM', { topic: 'ping' }, '')]) {
      expect(interpretFrame(raw).kind).toBe('invalid');
    }
  });
});
