import type { PolicyProfile } from '../policy/profile.schema';
import { parsePeriod } from './period';
import {
  bandFor,
  bottomUnits,
  DEFAULT_PROGRESS_BANDS,
  GroupRanking,
  RankGroupInput,
  rankGroup,
  RankingRow,
  rankingChanges,
  rankPeriod,
  RankedUnit,
  ScoredIndicator,
  scoredIndicators,
} from './ranking';

/**
 * Cases that kill mutations the city scenarios (scenarios.spec.ts) let survive, found with
 * `npm run mutation -- libs/domain/src/scoring/ranking.ts`: what a unit head reads in a ranking
 * notice (rank, score, points per indicator, why a unit is not ranked, its band) and what an
 * administrator reads when a ranking changes. Every expected number is worked out by hand in the
 * comment beside it.
 */
const q1 = parsePeriod('2026-Q1')!; // 时序进度 25 %
const nested = (o: Record<string, Record<string, number>>) => new Map(Object.entries(o).map(([k, v]) => [k, new Map(Object.entries(v))]));
const county = (key: string, flags?: string[]): RankedUnit => ({ key, name: `${key}县`, kind: 'county', flags });
const indicator = (key: string, name: string, over: Partial<ScoredIndicator> = {}): ScoredIndicator => ({
  key,
  name,
  weight: 100,
  appliesTo: ['county'],
  direction: 'higher-better',
  method: { kind: 'capped-ratio', capPercent: 120 },
  missing: 'zero',
  ...over,
});
const input = (over: Partial<RankGroupInput>): RankGroupInput => ({
  period: q1,
  group: { key: 'counties', name: '区县' },
  units: [],
  indicators: [],
  targets: new Map(),
  actuals: new Map(),
  tieBreakIndicators: [],
  progressMode: 'against-time-elapsed',
  bands: DEFAULT_PROGRESS_BANDS,
  ...over,
});
const scores = (g: GroupRanking) => g.rows.map((r) => [r.unit, r.rank, r.score]);
const rowOf = (g: GroupRanking, unit: string) => g.rows.find((r) => r.unit === unit)!;

describe('relative methods compare a unit with the best and worst of its own group', () => {
  it('the best value is taken among the units the indicator applies to and that are not exempt', () => {
    const units: RankedUnit[] = [county('a'), county('b'), county('c'), county('exempt'), { key: 'park', name: '高新区', kind: 'park' }];
    const g = rankGroup(
      input({
        units,
        indicators: [indicator('signed', '签约项目', { method: { kind: 'relative-to-best' } })],
        actuals: nested({ a: { signed: 80 }, b: { signed: 40 }, c: { signed: 20 }, exempt: { signed: 160 }, park: { signed: 200 } }),
        exemptions: new Map([['exempt', '受灾']]),
      }),
    );
    // best is a's 80 (not the park's 200, to which the indicator does not apply, nor the exempt county's 160):
    // a 80/80 = 100, b 40/80 = 50, c 20/80 = 25
    expect(scores(g)).toEqual([
      ['a', 1, 100],
      ['b', 2, 50],
      ['c', 3, 25],
      ['exempt', null, null],
      ['park', null, null],
    ]);
    expect(rowOf(g, 'park').unranked).toBe('无可计分指标（未下达目标或未报送）');
    expect(rowOf(g, 'exempt').unranked).toBe('免于排名：受灾');
  });

  it('功效系数法: a unit that has not reported sets the worst value as 0 only under the zero rule', () => {
    const efficacy = { kind: 'efficacy-coefficient' as const, floorPercent: 60 };
    const units = [county('a'), county('b'), county('d')];
    const actuals = nested({ a: { events: 100 }, b: { events: 50 } });
    const zero = rankGroup(input({ units, actuals, indicators: [indicator('events', '招商活动', { method: efficacy, missing: 'zero' })] }));
    // best 100, worst 0 (d): a 60 + 40 × 1 = 100, b 60 + 40 × 0.5 = 80, d 60 + 0 = 60
    expect(scores(zero)).toEqual([
      ['a', 1, 100],
      ['b', 2, 80],
      ['d', 3, 60],
    ]);
    const excluded = rankGroup(input({ units, actuals, indicators: [indicator('events', '招商活动', { method: efficacy, missing: 'exclude' })] }));
    // best 100, worst 50 (d left out): a 100, b 60; d has nothing to be scored on
    expect(scores(excluded)).toEqual([
      ['a', 1, 100],
      ['b', 2, 60],
      ['d', null, null],
    ]);
    expect(rowOf(excluded, 'd').indicators.events).toEqual({ value: null, target: null, completion: null, points: null, excluded: '未报送' });
  });

  it('功效系数法, lower is better: the lowest value is the best', () => {
    const g = rankGroup(
      input({
        units: [county('a'), county('b'), county('c')],
        indicators: [indicator('complaints', '投诉', { direction: 'lower-better', method: { kind: 'efficacy-coefficient', floorPercent: 60 } })],
        actuals: nested({ a: { complaints: 10 }, b: { complaints: 20 }, c: { complaints: 30 } }),
      }),
    );
    // best 10, worst 30: a 100, b 60 + 40 × 0.5 = 80, c 60
    expect(scores(g)).toEqual([
      ['a', 1, 100],
      ['b', 2, 80],
      ['c', 3, 60],
    ]);
  });

  it('when every unit of the group is exempt, the cells still show the full points (no one to compare with)', () => {
    const g = rankGroup(
      input({
        units: [county('a')],
        indicators: [indicator('events', '招商活动', { weight: 40, method: { kind: 'efficacy-coefficient', floorPercent: 60 } })],
        actuals: nested({ a: { events: 5 } }),
        exemptions: new Map([['a', '新设园区']]),
      }),
    );
    expect(g.rows[0]).toMatchObject({ rank: null, score: null, unranked: '免于排名：新设园区' });
    expect(g.rows[0].indicators.events).toEqual({ value: 5, target: null, completion: null, points: 40 });
  });
});

describe('what a ranking row shows for each indicator and why a unit is not ranked', () => {
  const indicators = [
    indicator('capital', '到位资金', { weight: 60, missing: 'exclude' }),
    indicator('events', '招商活动', { weight: 40, missing: 'unranked' }),
    indicator('trips', '外出招商', { weight: 20, missing: 'unranked', method: { kind: 'points', perUnit: 1, maxPoints: 10 } }),
  ];
  const targets = nested({
    a: { capital: 100, events: 0 },
    b: { capital: 100, events: 10 },
    c: { capital: 100, events: 10 },
    d: { capital: 100, events: 10 },
  });
  const actuals = nested({
    a: { capital: 30, events: 5, trips: 10 },
    b: { events: 5, trips: 5 },
    c: { capital: 50 },
    d: { capital: 50, trips: 3 },
  });
  const g = rankGroup(input({ units: [county('d'), county('c'), county('a'), county('b')], indicators, targets, actuals, exemptions: new Map([['d', '驻点帮扶']]) }));

  it('ranked units first by score, then the unranked ones in key order', () => {
    // b: events 50 % × 40 = 20, trips 5/10 × 20 = 10, capital not reported (left out): 30 ÷ 60 = 50
    // a: capital 30 % × 60 = 18, trips 20, events without a target (left out): 38 ÷ 80 = 47.5
    expect(scores(g)).toEqual([
      ['b', 1, 50],
      ['a', 2, 47.5],
      ['c', null, null],
      ['d', null, null],
    ]);
    expect(rowOf(g, 'a')).toMatchObject({ progress: 47.5, timeProgress: 25, gap: 22.5, band: 'green', gapToAbove: 2.5 });
  });

  it('each cell shows the value, the target, the completion and the points, or why it was left out', () => {
    expect(rowOf(g, 'a').indicators).toEqual({
      capital: { value: 30, target: 100, completion: 30, points: 18 },
      events: { value: 5, target: 0, completion: null, points: null, excluded: '未下达目标' },
      // a points method compares with no target: no completion
      trips: { value: 10, target: null, completion: null, points: 20 },
    });
    expect(rowOf(g, 'b').indicators.capital).toEqual({ value: null, target: 100, completion: null, points: null, excluded: '未报送' });
  });

  it('a unit missing indicators under the unranked rule is told which, in indicator order', () => {
    expect(rowOf(g, 'c').unranked).toBe('缺报（招商活动、外出招商），不参与排名');
  });

  it('an exemption is the reason given even when data is also missing', () => {
    expect(rowOf(g, 'd').unranked).toBe('免于排名：驻点帮扶');
  });
});

describe('progress against time or against the whole year', () => {
  const run = (progressMode: RankGroupInput['progressMode']) =>
    rankGroup(
      input({
        units: [county('a')],
        indicators: [indicator('capital', '到位资金')],
        targets: nested({ a: { capital: 100 } }),
        actuals: nested({ a: { capital: 80 } }),
        progressMode,
        bands: { greenFrom: 0, yellowFrom: -10 },
      }),
    ).rows[0];
  it('against time elapsed: 80 % done in the first quarter is 55 points ahead', () => {
    expect(run('against-time-elapsed')).toMatchObject({ progress: 80, gap: 55, band: 'green' });
  });
  it('absolute: 80 % done is 20 points short of the whole, whatever the quarter', () => {
    expect(run('absolute')).toMatchObject({ progress: 80, gap: -20, band: 'red' });
  });
});

describe('bands', () => {
  const bands = { greenFrom: 0, yellowFrom: -10 };
  it('each band starts exactly at its bound, with a rounding tolerance', () => {
    expect(bandFor(0, bands)).toBe('green');
    expect(bandFor(-1e-9, bands)).toBe('green');
    expect(bandFor(-0.1, bands)).toBe('yellow');
    expect(bandFor(-10, bands)).toBe('yellow');
    expect(bandFor(-10 - 1e-9, bands)).toBe('yellow');
    expect(bandFor(-10.1, bands)).toBe('red');
  });
  it('a profile without bands: on time green, up to 10 points behind yellow, further behind red', () => {
    const profile = {
      indicators: [
        { key: 'capital', name: '到位资金', unit: '万元', direction: 'higher-better', appliesTo: ['county'] },
      ],
      scoring: {
        rankingGroups: [{ key: 'counties', name: '区县', unitKinds: ['county'] }],
        weights: { capital: 100 },
        capPercent: 120,
        progressMode: 'against-time-elapsed',
        tieBreakIndicators: [],
        missingData: 'zero',
      },
    } as unknown as PolicyProfile;
    const [g] = rankPeriod(profile, q1, {
      units: [county('a'), county('b'), county('c'), { key: 'park', name: '高新区', kind: 'park' }],
      targets: nested({ a: { capital: 100 }, b: { capital: 100 }, c: { capital: 100 } }),
      actuals: nested({ a: { capital: 25 }, b: { capital: 15 }, c: { capital: 14 } }),
    });
    // gaps against 25 % elapsed: 0, −10, −11; the park is not in the counties' group
    expect(g.rows.map((r) => [r.unit, r.gap, r.band])).toEqual([
      ['a', 0, 'green'],
      ['b', -10, 'yellow'],
      ['c', -11, 'red'],
    ]);
  });
});

describe('the scored indicators of a profile', () => {
  it('only weighted indicators are scored; method and missing-data rule fall back to the profile', () => {
    const profile = {
      indicators: [
        { key: 'capital', name: '到位资金', unit: '万元', direction: 'higher-better', appliesTo: ['county'] },
        {
          key: 'trips',
          name: '外出招商',
          unit: '次',
          direction: 'higher-better',
          appliesTo: ['department'],
          method: { kind: 'points', perUnit: 1, maxPoints: 10 },
          missing: 'unranked',
          requiresFlags: ['investment-task'],
        },
        { key: 'visits', name: '季度互访', unit: '次', direction: 'higher-better', appliesTo: ['county'] },
      ],
      scoring: { weights: { capital: 60, trips: 40 }, capPercent: 150, missingData: 'exclude' },
    } as unknown as PolicyProfile;
    expect(scoredIndicators(profile)).toEqual([
      { key: 'capital', name: '到位资金', weight: 60, appliesTo: ['county'], direction: 'higher-better', method: { kind: 'capped-ratio', capPercent: 150 }, missing: 'exclude', requiresFlags: undefined },
      { key: 'trips', name: '外出招商', weight: 40, appliesTo: ['department'], direction: 'higher-better', method: { kind: 'points', perUnit: 1, maxPoints: 10 }, missing: 'unranked', requiresFlags: ['investment-task'] },
    ]);
  });
});

describe('ties', () => {
  // weights 40/30/30, targets 100 each; tie-break on x, then y
  const indicators = [indicator('x', '甲', { weight: 40 }), indicator('y', '乙', { weight: 30 }), indicator('z', '丙', { weight: 30 })];
  const keys = ['west', 'zeta', 'north', 'east', 'south'];
  const targets = nested(Object.fromEntries(keys.map((k) => [k, { x: 100, y: 100, z: 100 }])));
  const actuals = nested({
    north: { x: 50, y: 40, z: 60 }, // 20 + 12 + 18 = 50
    south: { x: 50, y: 60, z: 40 }, // 20 + 18 + 12 = 50, equal on x, ahead on y
    east: { x: 20, y: 20, z: 20 }, // 20
    west: { x: 20, y: 20, z: 20 }, // 20, equal on everything
    zeta: { x: 10, y: 10, z: 10 }, // 10
  });
  const g = rankGroup(input({ units: keys.map((k) => county(k)), indicators, targets, actuals, tieBreakIndicators: ['x', 'y'] }));

  it('the second tie-break indicator decides when the first is equal', () => {
    expect(scores(g).slice(0, 2)).toEqual([
      ['south', 1, 50],
      ['north', 2, 50],
    ]);
  });

  it('units still tied share a rank, are listed by key, and the next rank is skipped', () => {
    expect(g.rows.map((r) => [r.unit, r.rank, r.gapToAbove])).toEqual([
      ['south', 1, null],
      ['north', 2, 0],
      ['east', 3, 30],
      ['west', 3, 30],
      ['zeta', 5, 10],
    ]);
  });

  it('the bottom two takes in every unit tied at its edge', () => {
    expect(bottomUnits(g, 2)).toEqual(['east', 'west', 'zeta']);
  });
});

describe('bottom units', () => {
  it('an unranked unit is never among the bottom units, even when the group has fewer ranked units than n', () => {
    const g = rankGroup(
      input({
        units: [county('a'), county('b'), county('exempt')],
        indicators: [indicator('capital', '到位资金')],
        targets: nested({ a: { capital: 100 }, b: { capital: 100 }, exempt: { capital: 100 } }),
        actuals: nested({ a: { capital: 60 }, b: { capital: 30 }, exempt: { capital: 0 } }),
        exemptions: new Map([['exempt', '受灾']]),
      }),
    );
    expect(bottomUnits(g, 3)).toEqual(['a', 'b']);
  });
});

describe('what changed between two versions of a ranking', () => {
  const row = (unit: string, unitName: string, rank: number | null, score: number | null, unranked?: string): RankingRow => ({
    rank,
    unit,
    unitName,
    score,
    indicators: {},
    progress: null,
    timeProgress: 25,
    gap: null,
    band: null,
    gapToAbove: null,
    ...(unranked ? { unranked } : {}),
  });
  const group = (rows: RankingRow[]): GroupRanking => ({ group: 'counties', groupName: '区县', rows });

  it('a group that was not ranked before: every unit is new, unranked ones with dashes', () => {
    expect(rankingChanges([], [group([row('a', '安化县', 1, 90), row('b', '桃江县', null, null, '免于排名：受灾')])])).toEqual([
      '区县：安化县 新增（第1名，90分）',
      '区县：桃江县 新增（第—名，—分）',
    ]);
  });

  it('a unit that only moved down a rank is listed; an unchanged one is not', () => {
    const before = [group([row('a', '安化县', 1, 90), row('b', '桃江县', 2, 80)])];
    const after = [group([row('a', '安化县', 1, 90), row('b', '桃江县', 3, 80)])];
    expect(rankingChanges(before, after)).toEqual(['区县：桃江县 第2名 80分 → 第3名 80分']);
  });

  it('a unit that stays unranked for another reason is listed', () => {
    const before = [group([row('b', '桃江县', null, null, '免于排名：受灾')])];
    const after = [group([row('b', '桃江县', null, null, '缺报（到位资金），不参与排名')])];
    expect(rankingChanges(before, after)).toEqual(['区县：桃江县 第—名 —分 → 第—名 —分']);
  });
});
