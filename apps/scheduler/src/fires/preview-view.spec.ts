import { schedulePreviewOf } from './preview-view';
import type { AddressedItem } from './run-executor';
import type { Recipient } from './audience';

const person = (memberId: string, name: string, wecom: string | null): Recipient =>
  ({ memberId, name, unitId: '1', unitName: '赫山区', unitKind: 'county', unitKey: 'heshan', role: 'head', post: null, wecomUserId: wecom, dingtalkStaffId: null }) as Recipient;
const item = (p: Recipient, text: string): AddressedItem => ({ item: { memberId: p.memberId, title: '提醒', text }, person: p, status: p.wecomUserId ? 'pending' : 'no-channel' });
const head = { scheduleId: '7', name: '提醒', kind: 'custom', asOf: new Date('2026-11-02T01:00:00Z'), heldUntil: null, summary: {} };

describe('schedulePreviewOf', () => {
  const a = person('1', '张伟', 'zw');
  const b = person('2', '李敏', null);
  const c = person('3', '王磊', 'wl');

  it('counts distinct people, items and the unreachable, and folds identical texts', () => {
    const v = schedulePreviewOf(head, [item(a, '甲'), item(a, '乙'), item(b, '甲'), item(c, '甲')], [], 200);
    expect(v).toMatchObject({ total: 3, items: 4, noChannel: 1, truncated: false, asOf: '2026-11-02T01:00:00.000Z' });
    expect(v.recipients.map((r) => [r.name, r.channel, r.items])).toEqual([
      ['张伟', 'wecom-app', 2],
      ['李敏', null, 1],
      ['王磊', 'wecom-app', 1],
    ]);
    expect(v.messages).toEqual([
      { title: '提醒', text: '甲', recipients: 3 },
      { title: '提醒', text: '乙', recipients: 1 },
    ]);
  });

  it('bounds the recipient list but not the totals', () => {
    const v = schedulePreviewOf(head, [item(a, '甲'), item(b, '甲'), item(c, '甲')], [], 2);
    expect(v.recipients).toHaveLength(2);
    expect(v).toMatchObject({ total: 3, truncated: true });
  });

  it('an empty build previews nobody', () => {
    expect(schedulePreviewOf(head, [], [], 200)).toMatchObject({ total: 0, items: 0, recipients: [], messages: [], truncated: false });
  });
});
