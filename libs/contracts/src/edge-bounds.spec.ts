import {
  boundedPlatformTime,
  cleanUserText,
  isSafeHeaderValue,
  isSingleRecipient,
  NO_LOOK_ALIKES,
  normalizeDisplayName,
  WECOM_USER_ID,
} from './edge-bounds';
import { InboundChatMessage } from './messages';

const NOW = Date.UTC(2026, 5, 1);
const base: InboundChatMessage = {
  platform: 'wecom-app',
  msgId: '4561255354251345929',
  senderId: 'heshan.zhangwei',
  msgType: 'text',
  text: '帮助',
  chatType: 'single',
  createdAt: NOW,
  receivedAt: NOW,
  replyTo: { channel: 'wecom-app', userIds: ['heshan.zhangwei'] },
};

describe('recipient ids', () => {
  it.each(['@all', 'a|b', '', ' a', 'a b', '_x', 'x'.repeat(65), 'a\u0000b'])('%j is not one WeCom userid', (id) => {
    expect(WECOM_USER_ID.test(id)).toBe(false);
    expect(isSingleRecipient('wecom', id)).toBe(false);
  });
  it.each(['heshan.zhangwei', 'ZhangWei', '13800000001', 'a-b_c@d.e'])('%j is one WeCom userid', (id) => {
    expect(isSingleRecipient('wecom', id)).toBe(true);
  });
  it('refuses lists and @all for DingTalk too', () => {
    expect(isSingleRecipient('dingtalk', '@all')).toBe(false);
    expect(isSingleRecipient('dingtalk', 'a,b')).toBe(false);
    expect(isSingleRecipient('dingtalk', '$:LWCP_v1:$abc+/=')).toBe(true);
  });
});

describe('the inbound contract (regressions from the hostile-input probe)', () => {
  it('accepts an ordinary message', () => {
    expect(InboundChatMessage.safeParse(base).success).toBe(true);
  });
  it.each<[string, Partial<InboundChatMessage>]>([
    ['@all as the sender', { senderId: '@all', replyTo: { channel: 'wecom-app', userIds: ['@all'] } }],
    ['a list as the sender', { senderId: 'a|b', replyTo: { channel: 'wecom-app', userIds: ['a|b'] } }],
    ['a reply to someone else', { replyTo: { channel: 'wecom-app', userIds: ['someone.else'] } }],
    ['a reply to two people', { replyTo: { channel: 'wecom-app', userIds: ['heshan.zhangwei', 'x'] } }],
    ['a NUL in the text', { text: 'a\u0000b' }],
    ['a control character in the msgId', { msgId: 'a\r\nb' }],
    ['an over-long msgId', { msgId: '9'.repeat(129) }],
    ['an odd msgType', { msgType: 'text\nX-Evil: 1' }],
    ['a create time in year 275760', { createdAt: 8.64e15 }],
    ['a negative create time', { createdAt: -1 }],
  ])('refuses %s', (_what, change) => {
    expect(InboundChatMessage.safeParse({ ...base, ...change }).success).toBe(false);
  });
});

describe('bounding what a person or a clock can send', () => {
  it('keeps a plausible platform time and replaces an impossible one', () => {
    expect(boundedPlatformTime(NOW - 60_000, NOW)).toBe(NOW - 60_000);
    for (const bad of [undefined, 0, -5, 1e20, 8.64e15 + 1, NaN, NOW + 2 * 86400_000, 1.5]) expect(boundedPlatformTime(bad, NOW)).toBe(NOW);
  });
  it('removes NUL and other control characters, keeps lines and tabs', () => {
    expect(cleanUserText('报线索\u0000 企业：甲\u0007\n行业：乙\t丙')).toBe('报线索 企业：甲\n行业：乙\t丙');
    expect(cleanUserText('a\ud800b')).toBe('a\ufffdb');
  });
  it('only lets visible ASCII into a NATS header', () => {
    expect(isSafeHeaderValue('wecom-app:123')).toBe(true);
    for (const bad of ['', 'a\r\nb', 'a\u0000', '中文', 'x'.repeat(257)]) expect(isSafeHeaderValue(bad)).toBe(false);
  });
});

describe('unit and member names', () => {
  it('are normalised: NFKC, trimmed, inner spaces collapsed', () => {
    expect(normalizeDisplayName('  赫山区  ')).toBe('赫山区');
    expect(normalizeDisplayName('ＡＢ  园区')).toBe('AB 园区');
  });
  it.each(['赫山\u200b区', '赫山区\u202e', '赫山\ufeff区', '赫\u2066山区', '赫山\u00ad区', '赫山\u0007区'])('%j is refused as a look-alike', (name) => {
    expect(NO_LOOK_ALIKES.test(normalizeDisplayName(name) as string)).toBe(false);
  });
  it('accepts ordinary names', () => {
    expect(NO_LOOK_ALIKES.test('益阳高新区·东部新区')).toBe(true);
  });
});
