/**
 * Rewards (Yiyang §九) as the finance office would check them: who is paid, how much, for which
 * project, and the reason on the payment list. Cases added for mutation testing (docs/testing.md);
 * expected lines written out by hand from the profile's reward clauses.
 */
import { loadProfile } from '../policy/load-profile';
import type { PolicyProfile, Reward } from '../policy/profile.schema';
import type { LedgerProject } from './ledger-metrics';
import type { GroupRanking } from './ranking';
import { computeRewards } from './rewards';

const yiyang = loadProfile('yiyang');
const units = new Map(yiyang.units.map((u) => [u.key, { name: u.name, kind: u.kind }]));
const infoReward = yiyang.rewards.find((r) => r.key === 'info-unit-major-project')!;
const INFO_TEXT = '市直资源信息责任单位提供有效招商资源信息（按照首次接触的原则）并转化为成果的，每成功落地一个重大产业项目奖励20万元';
const withRewards = (rewards: Reward[]): PolicyProfile => ({ ...yiyang, rewards });
/** Beijing wall-clock time → ms since epoch. */
const BJ = (local: string) => Date.parse(`${local}+08:00`);

/** A major project first reported by the industry bureau and owned (landed) by Heshan. */
const project = (over: Partial<LedgerProject>): LedgerProject => ({
  leadId: 'L1', ownerUnitKey: 'heshan', firstContactUnitKey: 'dept-industry', tier: 'major',
  stageDates: { started: BJ('2026-06-01T10:00:00') }, signedAmountWan: 100000, plannedAmountWan: 100000, capitalInPlaceWan: 0, ...over,
});
const perProject = (projects: LedgerProject[], reward: Reward = infoReward, year = 2026) =>
  computeRewards(withRewards([reward]), year, undefined, projects, units).map((l) => [l.unit, l.amountWan, l.leadId, l.reason]);

describe('rewards per landed major project (Yiyang §九.2), by first contact', () => {
  it('the payment line names the project, the year, the unit that landed it and the clause', () => {
    expect(perProject([project({ code: 'YY-7' })])).toEqual([
      ['dept-industry', 20, 'L1', `首次接触并提供信息的重大产业项目 YY-7 2026年落地（已移交赫山区落地，按首次接触计）：${INFO_TEXT}`],
    ]);
  });

  it('a project without a code and not transferred: no code and no transfer remark in the reason', () => {
    expect(perProject([project({ ownerUnitKey: 'dept-industry' })])).toEqual([
      ['dept-industry', 20, 'L1', `首次接触并提供信息的重大产业项目 2026年落地：${INFO_TEXT}`],
    ]);
  });

  it('a project landed by a unit no longer in the profile is named by its key', () => {
    expect(perProject([project({ ownerUnitKey: 'old-county' })])[0][3]).toBe(`首次接触并提供信息的重大产业项目 2026年落地（已移交old-county落地，按首次接触计）：${INFO_TEXT}`);
  });

  it('the year is counted in Beijing time: a project started just after midnight on 1 January is that year\'s', () => {
    const newYear = project({ stageDates: { started: BJ('2026-01-01T00:00:00') } });
    const earlyMorning = project({ leadId: 'L2', stageDates: { started: BJ('2026-01-01T03:00:00') } });
    const lastEvening = project({ leadId: 'L3', stageDates: { started: BJ('2026-12-31T22:00:00') } });
    const nextYear = project({ leadId: 'L4', stageDates: { started: BJ('2027-01-01T01:00:00') } });
    const lastYear = project({ leadId: 'L5', stageDates: { started: BJ('2025-12-31T23:00:00') } });
    const all = [newYear, earlyMorning, lastEvening, nextYear, lastYear];
    expect(perProject(all).map((l) => l[2])).toEqual(['L1', 'L2', 'L3']);
    expect(perProject(all, infoReward, 2027).map((l) => l[2])).toEqual(['L4']);
    expect(perProject(all, infoReward, 2025).map((l) => l[2])).toEqual(['L5']);
  });

  it('a project terminated during the year earns nothing; one terminated after the year still earns its reward', () => {
    const stoppedInYear = project({ stageDates: { started: BJ('2026-03-01T10:00:00'), terminated: BJ('2026-11-01T10:00:00') } });
    const stoppedNextYear = project({ leadId: 'L2', stageDates: { started: BJ('2026-03-01T10:00:00'), terminated: BJ('2027-02-01T10:00:00') } });
    const stoppedAtMidnight = project({ leadId: 'L3', stageDates: { started: BJ('2026-03-01T10:00:00'), terminated: BJ('2027-01-01T00:00:00') } });
    expect(perProject([stoppedInYear, stoppedNextYear, stoppedAtMidnight]).map((l) => l[2])).toEqual(['L2', 'L3']);
  });

  it('without a landed stage in the profile, a project lands when it starts (开工), producing included', () => {
    const { landedStage: _omit, ...noStage } = infoReward;
    const signedOnly = project({ stageDates: { signed: BJ('2026-02-01T10:00:00') } });
    const started = project({ leadId: 'L2', stageDates: { started: BJ('2026-05-01T10:00:00') } });
    const producing = project({ leadId: 'L3', stageDates: { producing: BJ('2026-09-01T10:00:00') } });
    expect(perProject([signedOnly, started, producing], noStage as Reward).map((l) => l[2])).toEqual(['L2', 'L3']);
  });

  it('a reward that counts signing as landing pays for a project signed this year', () => {
    const signedOnly = project({ stageDates: { signed: BJ('2026-02-01T10:00:00') } });
    expect(perProject([signedOnly], { ...infoReward, landedStage: 'signed' }).map((l) => l[2])).toEqual(['L1']);
  });

  it('a reward credited to the landing unit (not by first contact) pays the owner and does not claim first contact', () => {
    const ownerReward: Reward = { ...infoReward, key: 'landing-unit', appliesTo: ['county'], requiresFirstContact: false, description: '落地单位每个重大项目奖励20万元' };
    expect(perProject([project({})], ownerReward)).toEqual([
      ['heshan', 20, 'L1', '重大产业项目 2026年落地：落地单位每个重大项目奖励20万元'],
    ]);
  });
});

describe('rank rewards (Yiyang §九.1): the annual top three', () => {
  const row = (rank: number, unit: string, unitName: string, score: number) => ({
    rank, unit, unitName, score, indicators: {}, progress: null, timeProgress: 100, gap: null, band: null, gapToAbove: null,
  });
  const counties: GroupRanking = { group: 'counties', groupName: '区县（市）', rows: [row(1, 'heshan', '赫山区', 88.5), row(2, 'anhua', '安化县', 80), row(3, 'ziyang', '资阳区', 79), row(4, 'nanxian', '南县', 70)] };

  it('the payment line gives the year, the group, the rank, the score and the clause', () => {
    const lines = computeRewards(yiyang, 2026, [counties], [], units);
    expect(lines.map((l) => [l.unit, l.unitName, l.amountWan, l.rule, l.reason])).toEqual([
      ['heshan', '赫山区', 60, 'county-rank-1', '2026年度区县（市）考核排名第1名（88.5分）：年度考核排名第一的区县（市）奖励60万元'],
      ['anhua', '安化县', 50, 'county-rank-2', '2026年度区县（市）考核排名第2名（80分）：年度考核排名第二的区县（市）奖励50万元'],
      ['ziyang', '资阳区', 40, 'county-rank-3', '2026年度区县（市）考核排名第3名（79分）：年度考核排名第三的区县（市）奖励40万元'],
    ]);
  });

  it('before the annual ranking is published only per-project rewards are paid', () => {
    const lines = computeRewards(yiyang, 2026, undefined, [project({})], units);
    expect(lines.map((l) => [l.unit, l.amountWan, l.rule])).toEqual([['dept-industry', 20, 'info-unit-major-project']]);
  });

  it('a rank-based commendation without money puts nobody on the payment list', () => {
    const honour: Reward = { key: 'county-first-honour', appliesTo: ['county'], basis: 'rank', rankingGroup: 'counties', rank: 1, description: '年度第一通报表扬', source: '测试' } as Reward;
    expect(computeRewards(withRewards([honour]), 2026, [counties], [], units)).toEqual([]);
  });

  it('a per-project reward that also names a ranking group and rank still pays only per project', () => {
    const mixed: Reward = { ...infoReward, rankingGroup: 'counties', rank: 1 };
    const lines = computeRewards(withRewards([mixed]), 2026, [counties], [project({})], units);
    expect(lines.map((l) => [l.unit, l.leadId])).toEqual([['dept-industry', 'L1']]);
  });
});
