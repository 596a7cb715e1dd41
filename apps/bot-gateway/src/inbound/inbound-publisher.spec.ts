import { InboundChatMessage } from '@zs/contracts';
import { boundInbound } from './inbound-publisher';
import { toInboundChatMessage } from '../dingtalk/dingtalk-inbound';

const NOW = Date.UTC(2026, 5, 1, 8);
const msg = (over: Partial<InboundChatMessage>): InboundChatMessage => ({
  platform: 'wecom-aibot',
  msgId: 'm1',
  senderId: 'heshan.zhangwei',
  msgType: 'text',
  text: '帮助',
  chatType: 'single',
  createdAt: NOW,
  receivedAt: NOW,
  replyTo: { channel: 'wecom-aibot-push', botId: 'b', userId: 'heshan.zhangwei' },
  ...over,
});

describe('boundInbound: an accepted message can always be stored (regressions from the probe)', () => {
  it('removes NUL and control characters from the text and the sender name', () => {
    const b = boundInbound(msg({ text: '报线索\u0000企业\u0007', senderName: '张\u0000伟' }));
    expect(b.text).toBe('报线索企业');
    expect(b.senderName).toBe('张伟');
    expect(InboundChatMessage.safeParse(b).success).toBe(true);
  });

  it.each([8.64e15, 9.9e15, -1, 0, 1e20, NOW + 3 * 86400_000])('replaces the platform time %p by the receive time', (createdAt) => {
    const b = boundInbound(msg({ createdAt }));
    expect(b.createdAt).toBe(NOW);
    expect(InboundChatMessage.safeParse(b).success).toBe(true);
  });

  it('does not repair ids: @all as the sender stays invalid (a 400 at the edge)', () => {
    expect(InboundChatMessage.safeParse(boundInbound(msg({ senderId: '@all' }))).success).toBe(false);
  });
});

describe('DingTalk mapping bounds its fields', () => {
  const robot = { clientId: 'c', clientSecret: 's'.repeat(16), robotCode: 'rc' };
  const base = {
    msgId: 'msgAbc==',
    msgtype: 'text',
    text: { content: ' 帮助\u0000' },
    conversationType: '1',
    conversationId: 'cid1==',
    senderStaffId: 'ds0101',
    senderNick: '张\u0000三',
  };
  it.each([9.9e15, 1e20, '99999999999999999999', -5])('accepts createAt %p as the receive time, NUL removed', (createAt) => {
    const r = toInboundChatMessage({ ...base, createAt }, { robot, receivedAt: NOW, sessionWebhookOrigins: [] });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.message.createdAt).toBe(NOW);
      expect(r.message.text).toBe('帮助');
      expect(r.message.senderName).toBe('张三');
    }
  });
  it.each(['@all', 'a,b', 'a|b', 'x\ny'])('refuses the staffId %j', (senderStaffId) => {
    expect(toInboundChatMessage({ ...base, senderStaffId }, { robot, receivedAt: NOW, sessionWebhookOrigins: [] }).ok).toBe(false);
  });
});
