import { toInboundChatMessage } from './dingtalk-inbound';

const robot = { clientId: 'dingapp1', clientSecret: 'secret', robotCode: 'dingapp1' };
const opts = { robot, receivedAt: 1_700_000_000_500, sessionWebhookOrigins: ['https://oapi.dingtalk.com'] };

function single(over: Record<string, unknown> = {}) {
  return {
    conversationId: 'cidP2P0001==',
    chatbotCorpId: 'dingcorp',
    chatbotUserId: '$:LWCP_v1:$bot',
    msgId: 'msgqEufncv9gVqy7ia60LYs3w==',
    senderNick: '王磊',
    isAdmin: false,
    senderStaffId: 'ds0103',
    sessionWebhookExpiredTime: 1_700_005_400_000,
    createAt: 1_700_000_000_000,
    senderCorpId: 'dingcorp',
    conversationType: '1',
    senderId: '$:LWCP_v1:$sender',
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc',
    text: { content: '  报线索 企业：某某公司 \n' },
    robotCode: 'dingapp1',
    msgtype: 'text',
    ...over,
  };
}

describe('DingTalk robot message → InboundChatMessage', () => {
  it('maps a 1:1 text: trimmed text, staffId sender, session reply with the OpenAPI 1:1 fallback', () => {
    const r = toInboundChatMessage(single(), opts);
    expect(r).toEqual({
      ok: true,
      warnings: [],
      message: {
        platform: 'dingtalk',
        msgId: 'msgqEufncv9gVqy7ia60LYs3w==',
        senderId: 'ds0103',
        senderName: '王磊',
        msgType: 'text',
        text: '报线索 企业：某某公司',
        chatType: 'single',
        chatId: 'cidP2P0001==',
        createdAt: 1_700_000_000_000,
        receivedAt: 1_700_000_000_500,
        botId: 'dingapp1',
        replyTo: { channel: 'dingtalk-session', robotCode: 'dingapp1', sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc', expiresAt: 1_700_005_400_000 },
        replyFallback: { channel: 'dingtalk-oto', robotCode: 'dingapp1', userIds: ['ds0103'] },
      },
    });
  });

  it('maps a group @-mention with the group as fallback (openConversationId = conversationId)', () => {
    const r = toInboundChatMessage(single({ conversationType: '2', conversationId: 'cidGroup==', conversationTitle: '招商群' }), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.chatType).toBe('group');
    expect(r.message.replyFallback).toEqual({ channel: 'dingtalk-group', robotCode: 'dingapp1', openConversationId: 'cidGroup==' });
  });

  it('never trusts a sessionWebhook outside the DingTalk origin: it answers through the OpenAPI instead', () => {
    const r = toInboundChatMessage(single({ sessionWebhook: 'https://evil.example/steal?session=abc' }), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.message.replyTo).toEqual({ channel: 'dingtalk-oto', robotCode: 'dingapp1', userIds: ['ds0103'] });
    expect(r.message.replyFallback).toBeUndefined();
    expect(r.warnings.join()).toContain('sessionWebhook ignored');
  });

  it('reads the words of a richText message', () => {
    const r = toInboundChatMessage(single({ msgtype: 'richText', text: undefined, content: { richText: [{ text: '报线索 ' }, { type: 'picture', downloadCode: 'x' }, { text: '企业：甲' }] } }), opts);
    expect(r.ok && r.message.msgType).toBe('text');
    expect(r.ok && r.message.text).toBe('报线索 企业：甲');
  });

  it('keeps other message types with empty text (lead-intake answers that it reads text only)', () => {
    const r = toInboundChatMessage(single({ msgtype: 'picture', text: undefined, content: { downloadCode: 'x' } }), opts);
    expect(r.ok && r.message.msgType).toBe('picture');
    expect(r.ok && r.message.text).toBe('');
  });

  it('falls back to senderId for people outside the organisation (no staffId)', () => {
    const r = toInboundChatMessage(single({ senderStaffId: undefined, conversationType: '2', conversationId: 'cidG==' }), opts);
    expect(r.ok && r.message.senderId).toBe('$:LWCP_v1:$sender');
  });

  it('warns when the message names another robotCode, and answers as the configured one', () => {
    const r = toInboundChatMessage(single({ robotCode: 'dingother' }), opts);
    expect(r.ok && r.message.botId).toBe('dingapp1');
    expect(r.ok && r.warnings.length).toBe(1);
  });

  it.each([
    ['not an object', 'hello'],
    ['an array', []],
    ['no msgId', single({ msgId: undefined })],
    ['a numeric msgId', single({ msgId: 42 })],
    ['an overlong msgId', single({ msgId: 'x'.repeat(129) })],
    ['an unknown conversationType', single({ conversationType: '3' })],
    ['a group without conversationId', single({ conversationType: '2', conversationId: undefined })],
    ['no sender at all', single({ senderStaffId: undefined, senderId: undefined })],
    ['no way to answer', single({ senderStaffId: undefined, sessionWebhook: undefined })],
  ])('refuses %s', (_what, raw) => {
    expect(toInboundChatMessage(raw, opts).ok).toBe(false);
  });

  it('accepts numeric conversationType and createAt given as a string', () => {
    const r = toInboundChatMessage(single({ conversationType: 1, createAt: '1700000000000' }), opts);
    expect(r.ok && r.message.chatType).toBe('single');
    expect(r.ok && r.message.createdAt).toBe(1_700_000_000_000);
  });
});
