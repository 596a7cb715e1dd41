import { leadForViewer, restrictedLeadView } from './lead-visibility';

const lead = {
  id: '7',
  code: 'YY-2026-000007',
  companyName: '深圳市星河智能科技有限公司',
  ownerUnitId: '3',
  ownerUnitName: '赫山区',
  registeredAt: '2026-03-04T17:30:00.000Z',
  reporterName: '张伟',
  contactName: '王经理',
  contactPhone: '13912345678',
  content: '拟建智能终端生产基地，联系王经理 13912345678',
  history: [{ stage: 'signed' }],
};

describe('what a unit administrator sees of a lead', () => {
  it('shows the whole lead to its own unit and to viewers without a unit', () => {
    expect(leadForViewer(lead, '3')).toBe(lead);
    expect(leadForViewer(lead, null)).toBe(lead);
  });

  it("shows another unit's lead only as registered by that unit on that day (China time)", () => {
    expect(leadForViewer(lead, '4')).toEqual({
      code: 'YY-2026-000007',
      companyName: '深圳市星河智能科技有限公司',
      ownerUnitId: '3',
      ownerUnitName: '赫山区',
      registeredAt: '2026-03-04T17:30:00.000Z',
      restricted: true,
      registeredNotice: '已由赫山区于2026-03-05登记',
    });
  });

  it('never carries the contact, phone, reporter, content or history', () => {
    const text = JSON.stringify(restrictedLeadView(lead));
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('王经理');
    expect(text).not.toContain('张伟');
    expect(text).not.toContain('history');
  });
});
