import { WecomCrypto, WecomCryptoError } from '@zs/channels';
import { InboundChatMessage } from '@zs/contracts';
import { redactText } from '@zs/platform';
import { WecomAibotSimulator } from '@zs/platform-sim';
import {
  AibotMessageError,
  parseAibotMessage,
  RESPONSE_URL_TTL_MS,
  STREAM_REPLY_TTL_MS,
  streamIdFor,
  stripLeadingMention,
  toInboundMessage,
} from './aibot-message';

const group = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    msgid: 'CAIQ1234',
    aibotid: 'aib-1',
    chatid: 'wrkSFfCgAAx',
    chattype: 'group',
    from: { userid: 'zhang.san' },
    response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc',
    msgtype: 'text',
    text: { content },
    ...extra,
  });

describe('parseAibotMessage', () => {
  it('reads a group text message and strips the leading @bot mention', () => {
    const m = parseAibotMessage(group('@招商助手 报线索 企业：某某公司'));
    expect(m).toMatchObject({
      msgId: 'CAIQ1234',
      aibotId: 'aib-1',
      chatType: 'group',
      chatId: 'wrkSFfCgAAx',
      userId: 'zhang.san',
      msgType: 'text',
      text: '报线索 企业：某某公司',
      responseUrl: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc',
    });
  });

  it('strips mentions followed by the four-per-em space WeCom inserts, and nothing else', () => {
    expect(stripLeadingMention('@招商助手\u2005帮助')).toBe('帮助');
    expect(stripLeadingMention('  @bot\u00a0 帮助')).toBe('帮助');
    expect(stripLeadingMention('帮助 @someone')).toBe('帮助 @someone');
    expect(stripLeadingMention('@bot')).toBe('');
  });

  it('keeps a 1:1 message as typed (no mention to strip) and needs no chatid', () => {
    const m = parseAibotMessage(
      JSON.stringify({ msgid: 'm1', aibotid: 'aib-1', chattype: 'single', from: { userid: 'li.si' }, msgtype: 'text', text: { content: '@不是机器人 你好' } }),
    );
    expect(m).toMatchObject({ chatType: 'single', chatId: undefined, text: '@不是机器人 你好' });
  });

  it('keeps a 64-bit numeric msgid exact', () => {
    const raw = '{"msgid": 4561255354251345929, "aibotid": "a", "chattype": "single", "from": {"userid": "u"}, "msgtype": "text", "text": {"content": "x"}}';
    expect(parseAibotMessage(raw).msgId).toBe('4561255354251345929');
  });

  it('reads transcribed voice and the text parts of mixed messages as text', () => {
    const base = { msgid: 'm', aibotid: 'a', chattype: 'single', from: { userid: 'u' } };
    expect(parseAibotMessage({ ...base, msgtype: 'voice', voice: { content: '帮助' } })).toMatchObject({ msgType: 'text', text: '帮助' });
    expect(
      parseAibotMessage({
        ...base,
        msgtype: 'mixed',
        mixed: { msg_item: [{ msgtype: 'text', text: { content: '报线索' } }, { msgtype: 'image', image: { url: 'https://x' } }, { msgtype: 'text', text: { content: '企业：甲' } }] },
      }),
    ).toMatchObject({ msgType: 'text', text: '报线索\n企业：甲' });
    expect(parseAibotMessage({ ...base, msgtype: 'image', image: { url: 'https://x' } })).toMatchObject({ msgType: 'image', text: '' });
  });

  it('recognises events and stream refreshes', () => {
    const base = { msgid: 'm', aibotid: 'a', from: { userid: 'u' } };
    expect(parseAibotMessage({ ...base, msgtype: 'event', event: { eventtype: 'enter_chat' } }).eventType).toBe('enter_chat');
    expect(parseAibotMessage({ ...base, msgtype: 'stream', stream: { id: 's' } }).streamRefresh).toBe(true);
  });

  it.each([
    ['not JSON', '{"msgid":'],
    ['an array', '[]'],
    ['no msgid', JSON.stringify({ msgtype: 'text', from: { userid: 'u' }, text: { content: 'x' } })],
    ['no sender', JSON.stringify({ msgid: 'm', msgtype: 'text', text: { content: 'x' } })],
    ['a group without chatid', JSON.stringify({ msgid: 'm', chattype: 'group', msgtype: 'text', from: { userid: 'u' }, text: { content: 'x' } })],
    ['an unknown chattype', JSON.stringify({ msgid: 'm', chattype: 'channel', msgtype: 'text', from: { userid: 'u' }, text: { content: 'x' } })],
    ['text without content', JSON.stringify({ msgid: 'm', msgtype: 'text', from: { userid: 'u' }, text: {} })],
    ['a response_url that is not http', group('x', { response_url: 'javascript:alert(1)' })],
    ['an over-long msgid', group('x', { msgid: 'x'.repeat(200) })],
  ])('refuses %s', (_what, raw) => {
    expect(() => parseAibotMessage(raw)).toThrow(AibotMessageError);
  });
});

describe('toInboundMessage', () => {
  const receivedAt = 1_750_000_000_000;

  it('answers a callback through its response_url, falling back to a push to the group', () => {
    const m = parseAibotMessage(group('@招商助手 帮助'));
    const msg = toInboundMessage(m, { botId: 'aib-1', receivedAt, via: { kind: 'callback' }, canPush: true });
    expect(() => InboundChatMessage.parse(msg)).not.toThrow();
    expect(msg).toMatchObject({
      platform: 'wecom-aibot',
      msgId: 'CAIQ1234',
      senderId: 'zhang.san',
      chatType: 'group',
      chatId: 'wrkSFfCgAAx',
      text: '帮助',
      botId: 'aib-1',
      replyTo: { channel: 'wecom-aibot-response', botId: 'aib-1', expiresAt: receivedAt + RESPONSE_URL_TTL_MS },
      replyFallback: { channel: 'wecom-aibot-push', botId: 'aib-1', chatId: 'wrkSFfCgAAx' },
    });
  });

  it('has no push fallback for a bot without a long connection', () => {
    const msg = toInboundMessage(parseAibotMessage(group('帮助')), { botId: 'aib-1', receivedAt, via: { kind: 'callback' }, canPush: false });
    expect(msg.replyFallback).toBeUndefined();
  });

  it('answers a long-connection message on its stream (echoing req_id), falling back to a push to the person', () => {
    const m = parseAibotMessage({ msgid: 'm9', aibotid: 'aib-1', chattype: 'single', from: { userid: 'li.si' }, msgtype: 'text', text: { content: '帮助' } });
    const msg = toInboundMessage(m, { botId: 'aib-1', receivedAt, via: { kind: 'long-connection', reqId: 'req-77' }, canPush: true });
    expect(() => InboundChatMessage.parse(msg)).not.toThrow();
    expect(msg.replyTo).toEqual({
      channel: 'wecom-aibot-stream',
      botId: 'aib-1',
      reqId: 'req-77',
      streamId: streamIdFor('aib-1', 'm9'),
      expiresAt: receivedAt + STREAM_REPLY_TTL_MS,
    });
    expect(msg.replyFallback).toEqual({ channel: 'wecom-aibot-push', botId: 'aib-1', userId: 'li.si' });
  });

  it('derives the same stream id for a redelivered message', () => {
    expect(streamIdFor('b', 'm')).toBe(streamIdFor('b', 'm'));
    expect(streamIdFor('b', 'm')).not.toBe(streamIdFor('b', 'm2'));
  });
});

describe('AI bot callback crypto (receiveid "")', () => {
  const token = 'QDG6eK';
  const key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

  it('opens what the simulator seals, signature included', async () => {
    const sim = new WecomAibotSimulator({ bots: [{ botId: 'aib-1', token, encodingAesKey: key }] });
    const { json } = sim.buildMessage('aib-1', { from: 'u1', content: '报线索', chatType: 'group', chatId: 'wr1' });
    const sealed = sim.sealCallback('aib-1', JSON.stringify(json), '1409659813', '1372623149');
    const crypto = new WecomCrypto(token, key, '');
    expect(crypto.verifySignature(sealed.query.msg_signature, sealed.query.timestamp, sealed.query.nonce, sealed.encrypt)).toBe(true);
    expect(parseAibotMessage(crypto.decrypt(JSON.parse(sealed.body).encrypt))).toMatchObject({ userId: 'u1', text: '报线索', chatId: 'wr1' });
  });

  it('refuses a self-built app ciphertext (receiveid = corpId) with -40005', () => {
    // PROTOCOLS.md set B: a valid app message for receiveid wx5823bf96d3bd56c7.
    const encrypt =
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
    const crypto = new WecomCrypto(token, key, '');
    expect(crypto.verifySignature('477715d11cdb4164915debcba66cb864d751f3e6', '1409659813', '1372623149', encrypt)).toBe(true);
    try {
      crypto.decrypt(encrypt);
      throw new Error('decrypted');
    } catch (e) {
      expect(e).toBeInstanceOf(WecomCryptoError);
      expect((e as WecomCryptoError).code).toBe(-40005);
    }
  });
});

describe('response_url in logs', () => {
  it('is scrubbed of its response_code', () => {
    const line = redactText('POST https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=Zx81secret failed');
    expect(line).not.toContain('Zx81secret');
    expect(line).toContain('response_code=[REDACTED]');
  });
});
