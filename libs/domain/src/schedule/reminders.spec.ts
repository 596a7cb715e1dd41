import { loadProfile } from '../policy';
import {
  dataDueReminders,
  digestText,
  inQuietHours,
  interviewAlertItems,
  interviewRepeatsDue,
  meetingReminder,
  Person,
  quietHoursEnd,
  quotaShortfalls,
  staleProjectItems,
  staleProjects,
} from './reminders';

const TZ = 'Asia/Shanghai';
const person = (memberId: string, role: string, unitId: string, unitKind: string, post?: string): Person => ({
  memberId,
  name: `成员${memberId}`,
  unitId,
  unitName: `单位${unitId}`,
  unitKind,
  role,
  post: post ?? null,
});

describe('quota reminders', () => {
  const yiyang = loadProfile('yiyang');
  const zhangye = loadProfile('zhangye');

  it('Yiyang §三: heads need 1 trip and deputies 3 a quarter; only those behind are told', () => {
    const people = [person('1', 'head', 'u1', 'county'), person('2', 'deputy', 'u1', 'county'), person('3', 'official', 'u1', 'county'), person('4', 'head', 'u2', 'county')];
    const out = quotaShortfalls({
      quotas: yiyang.quotas,
      forbidden: yiyang.forbiddenQuotas,
      period: '2026-Q4',
      periodKind: 'quarter',
      people,
      memberCounts: { '1': 1, '2': 1, '4': 0 },
      unitCounts: {},
    });
    expect(out.map((s) => [s.memberId, s.done, s.required])).toEqual([
      ['4', 0, 1],
      ['2', 1, 3],
    ]);
    expect(out[1].text).toContain('已外出招商1次，距3次还差2次');
  });

  it('Zhangye §5: each liaison office 10 valid leads a month, and never a trip quota (§1, §17)', () => {
    const people = [person('1', 'official', 'l1', 'liaison'), person('2', 'official', 'l2', 'liaison'), person('3', 'head', 'c1', 'county')];
    const tripQuota = { key: 'sneaky-trips', name: '外出招商', appliesTo: ['head' as const], measure: 'outgoing-trips' as const, count: 2, period: 'month' as const, source: '§x' };
    const out = quotaShortfalls({
      quotas: [...zhangye.quotas, tripQuota],
      forbidden: zhangye.forbiddenQuotas,
      period: '2026-11',
      periodKind: 'month',
      people,
      memberCounts: {},
      unitCounts: { l1: 3, l2: 12 },
    });
    expect(out.map((s) => s.memberId)).toEqual(['1']);
    expect(out[0].text).toContain('已报送有效招商信息3条，距10条还差7条');
  });
});

describe('data-due reminders', () => {
  it('go to the units that have not reported, and a summary names both lists', () => {
    const r = dataDueReminders({
      name: '月度数据报送',
      period: '2026-10',
      units: [
        { unitId: 'a', unitName: '赫山区', reported: true },
        { unitId: 'b', unitName: '资阳区', reported: false },
      ],
    });
    expect(r.toUnits.map((u) => u.unitId)).toEqual(['b']);
    expect(r.toUnits[0].text).toContain('资阳区尚未报送2026年10月招商数据');
    expect(r.summary.text).toContain('已报送（1）：赫山区');
    expect(r.summary.text).toContain('未报送（1）：资阳区');
  });
});

describe('stale projects', () => {
  const hengyang = loadProfile('hengyang');
  const now = new Date('2026-11-29T01:00:00Z');
  const lead = (id: string, tier: string, days: number, stage = 'negotiating') => ({
    leadId: id,
    code: `HY${id}`,
    companyName: `公司${id}`,
    tier,
    ownerUnitId: 'u1',
    ownerUnitName: '单位u1',
    stage,
    lastMovedAt: now.getTime() - days * 86_400_000,
  });

  it('Hengyang tracks weekly: 8 days still is stale, 6 is not, producing is done', () => {
    const s = staleProjects([lead('1', 'key', 8), lead('2', 'key', 6), lead('3', 'major', 30, 'producing')], hengyang.leadTiers, now);
    expect(s.map((x) => [x.leadId, x.daysStill])).toEqual([['1', 8]]);
  });

  it('reach the owning unit and, for key projects, its head; for major ones also the vice mayor in charge', () => {
    const people = [person('1', 'official', 'u1', 'county'), person('2', 'head', 'u1', 'county'), person('3', 'official', 'u2', 'county'), person('9', 'leader', 'gov', 'department', 'vice-mayor-in-charge')];
    const stale = staleProjects([lead('1', 'key', 8), lead('2', 'major', 9)], hengyang.leadTiers, now);
    const items = staleProjectItems(stale, people, 'major');
    expect(items.filter((i) => i.text.includes('HY1')).map((i) => i.memberId)).toEqual(['1', '2']);
    expect(items.filter((i) => i.text.includes('HY2')).map((i) => i.memberId).sort()).toEqual(['1', '2', '9']);
  });
});

describe('meeting and interview alerts', () => {
  it('a meeting reminder says who convenes, when, and an agenda from the data', () => {
    const r = meetingReminder({
      name: '月研判',
      when: new Date('2026-12-05T01:00:00Z'),
      timezone: TZ,
      chair: '分管副市长',
      attendees: '市商务局、各区县（市）',
      laggingUnits: [{ unitName: '南县', progressPercent: 41.26 }],
      staleProjects: [{ leadId: '1', code: 'YY1', companyName: '星河智能', tier: 'key', tierLabel: '重点', ownerUnitId: 'u', ownerUnitName: '赫山区', stage: 'lead', lastMovedAt: 0, daysStill: 40 }],
    });
    expect(r.text).toContain('时间：2026年12月5日 09:00');
    expect(r.text).toContain('召集：分管副市长');
    expect(r.text).toContain('南县（41.3%）');
    expect(r.text).toContain('YY1 星河智能（重点，赫山区，40天未更新）');
  });

  it('an interview alert reaches the interviewee of the unit and the convener, with the deadline', () => {
    const people = [person('1', 'head', 'u1', 'county'), person('2', 'deputy', 'u1', 'county'), person('3', 'deputy', 'u2', 'county'), person('9', 'leader', 'gov', 'department', 'vice-mayor-in-charge'), person('8', 'leader', 'gov', 'department', 'mayor')];
    const items = interviewAlertItems(
      [{ period: '2026-Q3', unit: 'u1', action: '约谈分管负责人', convener: '市人民政府分管副市长', interviewee: '区县（市）人民政府分管负责人', reason: '连续两个季度排名后两位', deadline: '2026-10-25', status: 'open' }],
      people,
      TZ,
    );
    expect(items.map((i) => i.memberId)).toEqual(['2', '9']);
    expect(items[0].text).toContain('期限：2026年10月25日 前');
  });
  it("follows the profile's ladder (role and leader post) over the policy's words when the action names them", () => {
    const people = [person('1', 'head', 'u1', 'county'), person('2', 'deputy', 'u1', 'county'), person('3', 'head', 'u2', 'county'), person('9', 'leader', 'gov', 'department', 'vice-mayor-in-charge'), person('8', 'leader', 'gov', 'department', 'mayor')];
    const base = { period: '2026', unit: 'anhua', unitName: '安化县', action: 'annual-interview', reason: '年度考核排名后两位', deadline: '2027-01-30', status: 'open' };
    // words that would say "deputy" and "vice mayor", but the ladder says head and mayor
    const byLadder = interviewAlertItems([{ ...base, unitId: 'u1', convener: '市人民政府分管副市长', interviewee: '分管负责人', intervieweeRole: 'head', convenerPost: 'mayor' }], people, TZ);
    expect(byLadder.map((i) => i.memberId)).toEqual(['1', '8']);
    expect(byLadder[0].text).toContain('【约谈提醒】安化县');
    expect(byLadder[0].text).toContain('期限：2027年1月30日 前');
    // "unit": its head and deputy; no post: nobody convenes by post
    const unit = interviewAlertItems([{ ...base, unitId: 'u1', convener: '市委', interviewee: '区县政府', intervieweeRole: 'unit', convenerPost: null }], people, TZ);
    expect(unit.map((i) => i.memberId)).toEqual(['1', '2']);
    // a held action alerts no one
    expect(interviewAlertItems([{ ...base, unitId: 'u1', convener: '市长', interviewee: '主要负责人', status: 'held' }], people, TZ)).toEqual([]);
  });
});

describe('the daily interview-alert repeat', () => {
  it('repeats only open actions first alerted on an earlier local day', () => {
    // 9:00 in Shanghai on 12 November 2026
    const asOf = new Date('2026-11-12T01:00:00Z');
    const actions = [
      { id: 'old-open', status: 'open', raisedAt: '2026-11-10T03:00:00Z' },
      { id: 'late-yesterday', status: 'open', raisedAt: '2026-11-11T15:30:00Z' }, // 23:30 on the 11th in Shanghai
      { id: 'today', status: 'open', raisedAt: '2026-11-11T16:30:00Z' }, // 00:30 on the 12th in Shanghai: told today
      { id: 'held', status: 'held', raisedAt: '2026-11-01T03:00:00Z' },
    ];
    expect(interviewRepeatsDue(actions, asOf, TZ).map((a) => a.id)).toEqual(['old-open', 'late-yesterday']);
    expect(interviewRepeatsDue([], asOf, TZ)).toEqual([]);
  });
});

describe('digest and quiet hours', () => {
  it('merges a day of items into one message', () => {
    const d = digestText([{ title: 'a', text: '甲' }, { title: 'b', text: '乙' }], '2026-11-29');
    expect(d.text).toContain('共2条');
    expect(d.text).toContain('1. 甲');
    expect(digestText([{ title: 'a', text: '甲' }], 'x').text).toBe('甲');
  });

  it('knows quiet hours across midnight and when they end', () => {
    const q = { start: '22:00', end: '08:00' };
    const late = new Date('2026-11-29T15:30:00Z'); // 23:30 local
    expect(inQuietHours(late, TZ, q)).toBe(true);
    expect(inQuietHours(new Date('2026-11-29T01:00:00Z'), TZ, q)).toBe(false);
    expect(quietHoursEnd(late, TZ, q).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
