/**
 * The accountability ladder (约谈问责) as an official reads it: who is summoned, for which periods,
 * and the reason written on the notice. Cases added for mutation testing (docs/testing.md); the
 * rules are the city profiles' own (Yiyang §十, Zhangye §16), the reasons written out by hand.
 */
import { loadProfile } from '../policy/load-profile';
import type { AccountabilityRule } from '../policy/profile.schema';
import { evaluateLadder } from './ladder';
import { parsePeriod } from './period';
import type { GroupRanking } from './ranking';

/** A ranking in the given order (first = rank 1), names as the units are called. */
const ranking = (group: string, groupName: string, order: [string, string][]): GroupRanking => ({
  group,
  groupName,
  rows: order.map(([unit, unitName], i) => ({
    rank: i + 1, unit, unitName, score: 90 - i, indicators: {}, progress: null, timeProgress: 25, gap: null, band: null, gapToAbove: null,
  })),
});

const COUNTIES: [string, string][] = [
  ['heshan', '赫山区'], ['ziyang', '资阳区'], ['nanxian', '南县'], ['gaoxin', '益阳高新区'],
  ['datonghu', '大通湖区'], ['taojiang', '桃江县'], ['anhua', '安化县'], ['yuanjiang', '沅江市'],
];
const swap = (order: [string, string][], i: number, j: number) => {
  const o = [...order];
  [o[i], o[j]] = [o[j], o[i]];
  return o;
};
// Parks are ranked too; their ranking comes first in the history, and must not be read for counties.
const PARKS = ranking('parks', '省级工业园区', [['park-a', '甲园区'], ['park-b', '乙园区']]);

describe('accountability ladder: Yiyang (§十)', () => {
  const yiyang = loadProfile('yiyang');
  const quarterly = yiyang.accountability.filter((r) => r.key === 'quarterly-interview');

  it('a county two quarters in the bottom two is summoned, and the notice lists both quarters\' ranks, oldest first', () => {
    // 2025-Q4: anhua 7th, yuanjiang 8th; 2026-Q1: yuanjiang 7th, anhua 8th
    const q4 = ranking('counties', '区县（市）', COUNTIES);
    const q1 = ranking('counties', '区县（市）', swap(COUNTIES, 6, 7));
    const history = (k: string) => (k === '2025-Q4' ? [PARKS, q4] : k === '2026-Q1' ? [PARKS, q1] : undefined);
    const actions = evaluateLadder(quarterly, parsePeriod('2026-Q1')!, history);
    expect(actions).toEqual([
      {
        action: 'quarterly-interview',
        actionType: 'interview',
        period: '2026-Q1',
        unit: 'yuanjiang',
        unitName: '沅江市',
        convener: '市人民政府分管副市长',
        convenerPost: 'vice-mayor-in-charge',
        interviewee: '区县（市）人民政府（管委会）分管负责人',
        intervieweeRole: 'deputy',
        reason: '区县（市）连续两个季度任务完成进度排名后两位（2025年第四季度第8名、2026年第一季度第7名）：由市人民政府分管副市长约谈区县（市）人民政府（管委会）分管负责人',
        deadline: '2026-04-15',
        source: quarterly[0].source,
        assumed: false,
      },
      expect.objectContaining({
        unit: 'anhua',
        reason: '区县（市）连续两个季度任务完成进度排名后两位（2025年第四季度第7名、2026年第一季度第8名）：由市人民政府分管副市长约谈区县（市）人民政府（管委会）分管负责人',
      }),
    ]);
  });

  it('annual rungs: last two years running is an admonition, bottom two this year an interview by the mayor within 30 days', () => {
    const y2025 = ranking('counties', '区县（市）', COUNTIES);
    const y2026 = ranking('counties', '区县（市）', swap(COUNTIES, 5, 6)); // anhua 6th, taojiang 7th, yuanjiang 8th
    const history = (k: string) => (k === '2025' ? [PARKS, y2025] : k === '2026' ? [PARKS, y2026] : undefined);
    const actions = evaluateLadder(yiyang.accountability, parsePeriod('2026')!, history);
    expect(actions.map((a) => [a.action, a.unit, a.reason, a.deadline, a.convenerPost])).toEqual([
      ['annual-interview', 'taojiang', '区县（市）考核排名后两位（2026年度第7名）：由市长约谈区县（市）人民政府（管委会）主要负责人；主要负责人在全市招商引资工作年度总结会议上作表态发言', '2027-01-30', 'mayor'],
      ['annual-interview', 'yuanjiang', '区县（市）考核排名后两位（2026年度第8名）：由市长约谈区县（市）人民政府（管委会）主要负责人；主要负责人在全市招商引资工作年度总结会议上作表态发言', '2027-01-30', 'mayor'],
      ['duty-adjustment', 'yuanjiang', '区县（市）连续两年考核排名后两位（2025年度第8名、2026年度第8名）：提请市委对区县（市）人民政府（管委会）分管负责人调整分工', null, null],
      ['admonition', 'yuanjiang', '区县（市）连续两年考核排名末位（2025年度第8名、2026年度第8名）：提请市委对区县（市）人民政府（管委会）分管负责人进行诫勉', null, null],
    ]);
  });

  it('a monthly ranking summons nobody: the rungs are quarterly and annual', () => {
    const all = ranking('counties', '区县（市）', COUNTIES);
    expect(evaluateLadder(yiyang.accountability, parsePeriod('2026-12')!, () => [all])).toEqual([]);
    expect(evaluateLadder(yiyang.accountability, parsePeriod('2026-03')!, () => [all])).toEqual([]);
  });
});

describe('accountability ladder: Zhangye (§16), an assumed one-quarter trigger', () => {
  const zhangye = loadProfile('zhangye');

  it('a slow unit of one quarter is supervised; the notice says the quarter and that the trigger is assumed', () => {
    const q2 = ranking('counties-parks', '各县区、张掖经开区', [
      ['ganzhou', '甘州区'], ['linze', '临泽县'], ['gaotai', '高台县'], ['shandan', '山丹县'], ['minle', '民乐县'], ['sunan', '肃南裕固族自治县'], ['etdz', '张掖经开区'],
    ]);
    const actions = evaluateLadder(zhangye.accountability, parsePeriod('2026-Q2')!, (k) => (k === '2026-Q2' ? [q2] : undefined));
    expect(actions.map((a) => [a.unit, a.reason, a.deadline, a.assumed, a.intervieweeRole])).toEqual([
      ['sunan', '各县区、张掖经开区任务完成进度排名后两位（2026年第二季度第6名）：对滞后项目和工作推进缓慢的单位，由市招商局会同市委办、市政府办联合督导', '2026-07-30', true, 'unit'],
      ['etdz', '各县区、张掖经开区任务完成进度排名后两位（2026年第二季度第7名）：对滞后项目和工作推进缓慢的单位，由市招商局会同市委办、市政府办联合督导', '2026-07-30', true, 'unit'],
    ]);
  });
});

describe('accountability ladder: how the notice counts in Chinese', () => {
  const base: AccountabilityRule = {
    key: 'r', rankingGroup: 'g', appliesTo: ['county'], trigger: { scope: 'quarter', rankFromBottom: 1, consecutive: 1, metric: 'score' },
    action: '约谈', actionType: 'interview', interviewer: '市长', interviewee: '主要负责人', intervieweeRole: 'head', source: '测试',
  } as AccountabilityRule;
  const twelve = ranking('g', '组', Array.from({ length: 12 }, (_, i): [string, string] => [`u${i + 1}`, `单位${i + 1}`]));
  const reasonOfLast = (trigger: Partial<AccountabilityRule['trigger']>) =>
    evaluateLadder([{ ...base, trigger: { ...base.trigger, ...trigger } }], parsePeriod('2026-Q4')!, () => [twelve]).find((a) => a.unit === 'u12')?.reason;

  it.each([
    [2, '两'], [3, '三'], [4, '四'], [5, '五'], [6, '六'], [7, '七'], [8, '八'], [9, '九'], [10, '十'], [11, '11'],
  ])('the bottom %i are written 排名后%s位', (n, words) => {
    expect(reasonOfLast({ rankFromBottom: n as number })).toBe(`组考核排名后${words}位（2026年第四季度第12名）：约谈`);
  });

  it('the bottom one is written 排名末位, with no run for a single quarter', () => {
    expect(reasonOfLast({})).toBe('组考核排名末位（2026年第四季度第12名）：约谈');
  });

  it.each([
    [3, '三', '2026年第二季度第12名、2026年第三季度第12名、2026年第四季度第12名'],
    [4, '四', '2026年第一季度第12名、2026年第二季度第12名、2026年第三季度第12名、2026年第四季度第12名'],
    [5, '五', '2025年第四季度第12名、2026年第一季度第12名、2026年第二季度第12名、2026年第三季度第12名、2026年第四季度第12名'],
  ])('a run of %i quarters is written 连续%s个季度 and lists each quarter', (n, words, ranks) => {
    expect(reasonOfLast({ consecutive: n as number })).toBe(`组连续${words}个季度考核排名末位（${ranks}）：约谈`);
  });

  it.each([[6, '六'], [7, '七'], [8, '八'], [9, '九'], [10, '十']])('a run of %i quarters is written 连续%s个季度', (n, words) => {
    expect(reasonOfLast({ consecutive: n as number })?.split('（')[0]).toBe(`组连续${words}个季度考核排名末位`);
  });
});
