/**
 * A hand-worked scenario per city. Every expected number below was worked out by hand from the
 * profile's weights and methods (comments show the sums), not read back from the engine.
 */
import { loadProfile } from '../policy/load-profile';
import type { PolicyProfile } from '../policy/profile.schema';
import { evaluateLadder } from './ladder';
import { LedgerProject, ledgerIndicators } from './ledger-metrics';
import { cumulativeWindowMs, parsePeriod } from './period';
import { bottomUnits, GroupRanking, indicatorApplies, rankingChanges, rankPeriod, RankedUnit } from './ranking';
import { computeRewards } from './rewards';

const nested = (o: Record<string, Record<string, number>>) =>
  new Map(Object.entries(o).map(([k, v]) => [k, new Map(Object.entries(v))]));
const rankedUnits = (p: PolicyProfile): RankedUnit[] => p.units.filter((u) => u.ranked).map((u) => ({ key: u.key, name: u.name, kind: u.kind }));
const T = (iso: string) => Date.parse(`${iso}T12:00:00+08:00`);
const ranksOf = (g: GroupRanking) => Object.fromEntries(g.rows.map((r) => [r.unit, r.rank]));

describe('Yiyang (§九 §十): quarterly progress ranking, ladder and rewards', () => {
  const p = loadProfile('yiyang');
  const q1 = parsePeriod('2026-Q1')!;
  const counties = ['heshan', 'ziyang', 'anhua', 'taojiang', 'yuanjiang', 'nanxian', 'datonghu', 'gaoxin'];
  const target = { 'out-province-capital': 100000, 'fdi-actual': 1000, 'major-projects-landed': 4, 'foreign-trade': 50000 };
  const targets = nested(Object.fromEntries(counties.map((c) => [c, target])));
  const actuals = nested({
    heshan: { 'out-province-capital': 30000, 'fdi-actual': 300, 'major-projects-landed': 1, 'foreign-trade': 15000 },
    ziyang: { 'out-province-capital': 20000, 'fdi-actual': 200, 'major-projects-landed': 1, 'foreign-trade': 10000 },
    anhua: { 'out-province-capital': 10000, 'fdi-actual': 100, 'foreign-trade': 5000 },
    nanxian: { 'out-province-capital': 20000, 'fdi-actual': 200, 'major-projects-landed': 1, 'foreign-trade': 10000 },
    datonghu: { 'out-province-capital': 200000 },
    gaoxin: { 'out-province-capital': 25000, 'fdi-actual': 250, 'major-projects-landed': 1, 'foreign-trade': 12500 },
  });
  const exemptions = new Map([['taojiang', '汛期受灾，经市政府同意本季度免于排名']]);
  const [countyRanking] = rankPeriod(p, q1, { units: rankedUnits(p), targets, actuals, exemptions });

  it('ranks counties by weighted, capped completion against the annual target', () => {
    const row = (u: string) => countyRanking.rows.find((r) => r.unit === u)!;
    // heshan: 40×0.30 + 25×0.30 + 20×0.25 + 15×0.30 = 12 + 7.5 + 5 + 4.5 = 29
    expect(row('heshan')).toMatchObject({ rank: 2, score: 29, progress: 29, timeProgress: 25, gap: 4, band: 'green' });
    // datonghu: 200 % capped at 120 % → 40 × 1.2 = 48; nothing else reported → 0 (missing counts as zero)
    expect(row('datonghu')).toMatchObject({ rank: 1, score: 48 });
    expect(row('datonghu').indicators['out-province-capital']).toMatchObject({ completion: 200, points: 48 });
    // ziyang and nanxian: 8 + 5 + 5 + 3 = 21, equal on both tie-break indicators → same rank, next is 6
    expect(ranksOf(countyRanking)).toMatchObject({ gaoxin: 3, ziyang: 4, nanxian: 4, anhua: 6, yuanjiang: 7, taojiang: null });
    // anhua: 4 + 2.5 + 0 + 1.5 = 8 → 17 points behind time → red; ziyang −4 → yellow
    expect(row('anhua')).toMatchObject({ score: 8, gap: -17, band: 'red', gapToAbove: 13 });
    expect(row('ziyang')).toMatchObject({ band: 'yellow', gapToAbove: 4 });
    expect(row('taojiang').unranked).toContain('汛期受灾');
    expect(bottomUnits(countyRanking, 2).sort()).toEqual(['anhua', 'yuanjiang']);
  });

  it('breaks ties on the profile tie-break indicators before sharing a rank', () => {
    const a2 = nested({ ...Object.fromEntries([...actuals].map(([k, v]) => [k, Object.fromEntries(v)])) });
    // ziyang: 40×0.2125 + 5 + 5 + 15×(8333.33÷50000) = 8.5 + 5 + 5 + 2.5 = 21, but ahead on the first tie-break indicator
    a2.get('ziyang')!.set('out-province-capital', 21250).set('foreign-trade', 8333.33334);
    const [g] = rankPeriod(p, q1, { units: rankedUnits(p), targets, actuals: a2, exemptions });
    expect(ranksOf(g)).toMatchObject({ ziyang: 4, nanxian: 5 });
  });

  it('quarterly interviews after two bottom-two quarters across the year boundary; annual rungs', () => {
    const q4: GroupRanking = {
      group: 'counties',
      groupName: '区县（市）',
      rows: ['heshan', 'ziyang', 'nanxian', 'gaoxin', 'datonghu', 'taojiang', 'anhua', 'yuanjiang'].map((u, i) => ({
        rank: i + 1, unit: u, unitName: u, score: 80 - i, indicators: {}, progress: null, timeProgress: 100, gap: null, band: null, gapToAbove: null,
      })),
    };
    const history = (k: string) => (k === '2025-Q4' ? [q4] : k === '2026-Q1' ? [countyRanking] : undefined);
    const actions = evaluateLadder(p.accountability, q1, history);
    expect(actions.map((a) => [a.action, a.unit, a.period, a.convenerPost, a.intervieweeRole, a.deadline])).toEqual([
      ['quarterly-interview', 'anhua', '2026-Q1', 'vice-mayor-in-charge', 'deputy', '2026-04-15'],
      ['quarterly-interview', 'yuanjiang', '2026-Q1', 'vice-mayor-in-charge', 'deputy', '2026-04-15'],
    ]);
    expect(actions[0].reason).toContain('连续两个季度');
    // only one bad quarter: nothing
    expect(evaluateLadder(p.accountability, q1, (k) => (k === '2026-Q1' ? [countyRanking] : undefined))).toEqual([]);

    const year = (order: string[]): GroupRanking => ({ ...q4, rows: order.map((u, i) => ({ ...q4.rows[0], unit: u, unitName: u, rank: i + 1 })) });
    const y2025 = year(['heshan', 'ziyang', 'nanxian', 'gaoxin', 'datonghu', 'taojiang', 'anhua', 'yuanjiang']);
    const y2026 = year(['heshan', 'ziyang', 'nanxian', 'gaoxin', 'datonghu', 'anhua', 'taojiang', 'yuanjiang']);
    const annual = evaluateLadder(p.accountability, parsePeriod('2026')!, (k) => (k === '2025' ? [y2025] : k === '2026' ? [y2026] : undefined));
    expect(annual.map((a) => `${a.action}:${a.unit}`).sort()).toEqual([
      'admonition:yuanjiang', // last in 2025 and 2026
      'annual-interview:taojiang',
      'annual-interview:yuanjiang',
      'duty-adjustment:yuanjiang', // bottom two both years (taojiang was not bottom two in 2025… it was 6th of 8)
    ]);
    // a rule switched off by an administrator is not evaluated
    const off = p.accountability.map((r) => (r.key === 'admonition' ? { ...r, enabled: false } : r));
    expect(evaluateLadder(off, parsePeriod('2026')!, (k) => (k === '2025' ? [y2025] : [y2026])).some((a) => a.action === 'admonition')).toBe(false);
  });

  it('rewards: 60/50/40 万元 to the top counties, 10 万元 to top service units, 20 万元 per landed major project by first contact', () => {
    const annual = rankPeriod(p, parsePeriod('2026')!, {
      units: rankedUnits(p),
      targets: nested({
        heshan: target, ziyang: target, anhua: target,
        'svc-taxation': { 'green-channel-on-time': 100, 'service-satisfaction': 100 },
        'svc-customs': { 'green-channel-on-time': 100, 'service-satisfaction': 100 },
        'svc-water-supply': { 'green-channel-on-time': 100, 'service-satisfaction': 100 },
        'svc-telecom': { 'green-channel-on-time': 100, 'service-satisfaction': 100 },
      }),
      actuals: nested({
        heshan: { 'out-province-capital': 100000 },
        ziyang: { 'out-province-capital': 90000 },
        anhua: { 'out-province-capital': 80000 },
        'svc-taxation': { 'green-channel-on-time': 100, 'service-satisfaction': 95 },
        'svc-customs': { 'green-channel-on-time': 98, 'service-satisfaction': 95 },
        'svc-water-supply': { 'green-channel-on-time': 90, 'service-satisfaction': 95 },
        'svc-telecom': { 'green-channel-on-time': 80, 'service-satisfaction': 80 },
      }),
    });
    const units = new Map(p.units.map((u) => [u.key, { name: u.name, kind: u.kind }]));
    const projects: LedgerProject[] = [
      // first reported by the industry bureau, transferred to and started by Heshan in 2026
      { leadId: '1', code: 'YY-1', ownerUnitKey: 'heshan', firstContactUnitKey: 'dept-industry', tier: 'major', stageDates: { signed: T('2026-02-01'), started: T('2026-05-01') }, signedAmountWan: 80000, plannedAmountWan: 80000, capitalInPlaceWan: 1000 },
      // reported by a county itself: no information-unit reward
      { leadId: '2', ownerUnitKey: 'anhua', firstContactUnitKey: 'anhua', tier: 'major', stageDates: { started: T('2026-03-01') }, signedAmountWan: 60000, plannedAmountWan: 60000, capitalInPlaceWan: 0 },
      // landed in 2025, or only signed: not this year's reward
      { leadId: '3', ownerUnitKey: 'ziyang', firstContactUnitKey: 'svc-taxation', tier: 'major', stageDates: { started: T('2025-11-01') }, signedAmountWan: 60000, plannedAmountWan: 60000, capitalInPlaceWan: 0 },
      { leadId: '4', ownerUnitKey: 'ziyang', firstContactUnitKey: 'dept-finance', tier: 'major', stageDates: { signed: T('2026-06-01') }, signedAmountWan: 60000, plannedAmountWan: 60000, capitalInPlaceWan: 0 },
      // a key-tier project is not a major one
      { leadId: '5', ownerUnitKey: 'ziyang', firstContactUnitKey: 'dept-finance', tier: 'key', stageDates: { started: T('2026-06-01') }, signedAmountWan: 6000, plannedAmountWan: 6000, capitalInPlaceWan: 0 },
    ];
    const lines = computeRewards(p, 2026, annual, projects, units);
    expect(lines.map((l) => [l.unit, l.amountWan])).toEqual([
      ['heshan', 60], // 40 × 1.0 = 40 points
      ['ziyang', 50], // 36
      ['anhua', 40], // 32
      ['dept-industry', 20],
      // service: 60×1.00+40×0.95 = 98; 60×0.98+38 = 96.8; 60×0.90+38 = 92; telecom 80
      ['svc-taxation', 10],
      ['svc-customs', 10],
      ['svc-water-supply', 10],
    ]);
    expect(lines.find((l) => l.unit === 'dept-industry')?.reason).toContain('按首次接触计');
  });

  it('says what changed between two versions of a ranking', () => {
    const a2 = nested({ ...Object.fromEntries([...actuals].map(([k, v]) => [k, Object.fromEntries(v)])) });
    a2.get('anhua')!.set('out-province-capital', 40000); // 16 + 2.5 + 1.5 = 20 → rank 6 still, score 8 → 20
    const after = rankPeriod(p, q1, { units: rankedUnits(p), targets, actuals: a2, exemptions });
    const changes = rankingChanges(rankPeriod(p, q1, { units: rankedUnits(p), targets, actuals, exemptions }), after);
    expect(changes).toEqual(['区县（市）：安化县 第6名 8分 → 第6名 20分']);
  });
});

describe('Zhuzhou (§十七): counties and parks together, ledger-computed major projects and capital', () => {
  const p = loadProfile('zhuzhou');
  const units = rankedUnits(p);
  const [a, b] = units;
  it('computes from the ledger and ranks with reported events and FDI', () => {
    const w = cumulativeWindowMs(parsePeriod('2026-Q2')!);
    const projects: LedgerProject[] = [
      { leadId: '1', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'major', stageDates: { signed: T('2026-04-10') }, signedAmountWan: 120000, plannedAmountWan: 120000, capitalInPlaceWan: 30000 },
      { leadId: '2', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-05-10') }, signedAmountWan: 8000, plannedAmountWan: 8000, capitalInPlaceWan: 2000 },
      // signed last year: not this year's
      { leadId: '3', ownerUnitKey: b.key, firstContactUnitKey: b.key, tier: 'major', stageDates: { signed: T('2025-12-10') }, signedAmountWan: 200000, plannedAmountWan: 200000, capitalInPlaceWan: 50000 },
    ];
    const computed = ledgerIndicators(p.indicators, projects, w);
    expect(Object.fromEntries(computed.get(a.key)!)).toEqual({ 'major-projects': 1, 'capital-in-place': 32000 });
    expect(Object.fromEntries(computed.get(b.key)!)).toEqual({ 'major-projects': 0, 'capital-in-place': 0 });
    const tg = { 'major-projects': 2, 'capital-in-place': 64000, 'investment-events': 10, 'fdi-actual': 1000 };
    const actuals = nested({ [a.key]: { ...Object.fromEntries(computed.get(a.key)!), 'investment-events': 5, 'fdi-actual': 500 }, [b.key]: { 'investment-events': 10, 'fdi-actual': 1000 } });
    const [g] = rankPeriod(p, parsePeriod('2026-Q2')!, { units: [a, b], targets: nested({ [a.key]: tg, [b.key]: tg }), actuals });
    // a: 40×0.5 + 30×0.5 + 15×0.5 + 15×0.5 = 50; b: 0 + 0 + 15 + 15 = 30. Half-year time progress 50 → a on time.
    expect(g.rows.map((r) => [r.unit, r.rank, r.score, r.gap, r.band])).toEqual([
      [a.key, 1, 50, 0, 'green'],
      [b.key, 2, 30, -20, 'red'],
    ]);
  });
});

describe('Hengyang (§20): rates, capped at 100 %, absolute progress', () => {
  const p = loadProfile('hengyang');
  const [a, b] = rankedUnits(p);
  it('start rate and capital rate from the ledger, progress against 100 %', () => {
    const w = cumulativeWindowMs(parsePeriod('2026')!);
    const projects: LedgerProject[] = [
      { leadId: '1', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-02-01'), started: T('2026-06-01') }, signedAmountWan: 10000, plannedAmountWan: 10000, capitalInPlaceWan: 6000 },
      { leadId: '2', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-03-01') }, signedAmountWan: 10000, plannedAmountWan: 10000, capitalInPlaceWan: 2000 },
      { leadId: '3', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-03-01'), terminated: T('2026-04-01') }, signedAmountWan: 50000, plannedAmountWan: 50000, capitalInPlaceWan: 0 },
    ];
    const c = ledgerIndicators(p.indicators, projects, w).get(a.key)!;
    expect(c.get('start-rate')).toBe(50); // 1 of 2 live signed projects started
    expect(c.get('capital-in-place-rate')).toBe(40); // 8000 ÷ 20000
    const full = Object.fromEntries(p.indicators.filter((i) => p.scoring.weights[i.key]).map((i) => [i.key, 100]));
    const actuals = nested({ [a.key]: { ...full, 'start-rate': 50, 'capital-in-place-rate': 40 }, [b.key]: { ...full, 'tax-contribution': 150 } });
    const [g] = rankPeriod(p, parsePeriod('2026')!, { units: [a, b], targets: nested({ [a.key]: full, [b.key]: full }), actuals });
    // a: 100 − 15×0.5 − 20×0.6 = 80.5; b: 150 % of tax capped at 100 % → 100
    expect(g.rows.map((r) => [r.unit, r.rank, r.score, r.gap, r.band])).toEqual([
      [b.key, 1, 100, 0, 'green'],
      [a.key, 2, 80.5, -19.5, 'red'],
    ]);
  });
});

describe('Yongzhou (targets, 三率): signed projects ≥ 5000 万元 and ≥ 10 亿元 counted from the ledger', () => {
  const p = loadProfile('yongzhou');
  const [a] = rankedUnits(p);
  it('counts by amount threshold over the year to date', () => {
    const w = cumulativeWindowMs(parsePeriod('2026-03')!);
    const projects: LedgerProject[] = [
      { leadId: '1', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'major', stageDates: { signed: T('2026-01-05'), producing: T('2026-03-20') }, signedAmountWan: 120000, plannedAmountWan: 120000, capitalInPlaceWan: 0 },
      { leadId: '2', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-02-05') }, signedAmountWan: 6000, plannedAmountWan: 6000, capitalInPlaceWan: 0 },
      { leadId: '3', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'general', stageDates: { signed: T('2026-02-05') }, signedAmountWan: 3000, plannedAmountWan: 3000, capitalInPlaceWan: 0 },
      { leadId: '4', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-04-05') }, signedAmountWan: 9000, plannedAmountWan: 9000, capitalInPlaceWan: 0 },
    ];
    const c = ledgerIndicators(p.indicators, projects, w).get(a.key)!;
    expect(c.get('signed-projects-5000')).toBe(2);
    expect(c.get('projects-10yi')).toBe(1);
    // producing counts as started: 1 of 3 signed
    expect(c.get('start-rate')).toBeCloseTo(33.33, 1);
    expect(c.get('production-rate')).toBeCloseTo(33.33, 1);
  });

  it('ranks with the computed 三率 and reported FDI against the targets', () => {
    const w = cumulativeWindowMs(parsePeriod('2026-03')!);
    const projects: LedgerProject[] = [
      { leadId: '1', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'major', stageDates: { signed: T('2026-01-05'), producing: T('2026-03-20') }, signedAmountWan: 120000, plannedAmountWan: 120000, capitalInPlaceWan: 0 },
      { leadId: '2', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'key', stageDates: { signed: T('2026-02-05') }, signedAmountWan: 6000, plannedAmountWan: 6000, capitalInPlaceWan: 0 },
      { leadId: '3', ownerUnitKey: a.key, firstContactUnitKey: a.key, tier: 'general', stageDates: { signed: T('2026-02-05') }, signedAmountWan: 3000, plannedAmountWan: 3000, capitalInPlaceWan: 0 },
    ];
    const computed = ledgerIndicators(p.indicators, projects, w).get(a.key)!;
    const actuals = nested({ [a.key]: { ...Object.fromEntries(computed), 'fdi-actual': 500 } });
    const targets = nested({ [a.key]: { 'signed-projects-5000': 10, 'projects-10yi': 1, 'fdi-actual': 2000, 'start-rate': 60, 'capital-in-place-rate': 50, 'production-rate': 30 } });
    const [g] = rankPeriod(p, parsePeriod('2026-03')!, { units: [a], targets, actuals });
    // 30×2/10 + 20×1/1 + 20×500/2000 + 10×33.3/60 + 10×0/50 + 10×33.3/30 = 6 + 20 + 5 + 5.56 + 0 + 11.11 = 47.67
    expect(g.rows[0]).toMatchObject({ rank: 1, score: 47.67, progress: 47.7, timeProgress: 25, gap: 22.7, band: 'green' });
  });
});

describe('Zhangye (§16 §18): lagging units supervised, assumed triggers can be switched off', () => {
  const p = loadProfile('zhangye');
  const units = rankedUnits(p);
  it('the bottom two of a quarter get joint supervision; the annual bottom two an interview', () => {
    const tg = { 'capital-in-place': 1000, 'major-projects': 4, 'demonstration-projects': 1 };
    const targets = nested(Object.fromEntries(units.map((u) => [u.key, tg])));
    const actuals = nested(Object.fromEntries(units.map((u, i) => [u.key, { 'capital-in-place': 100 * (i + 1) }])));
    const q = parsePeriod('2026-Q2')!;
    const ranking = rankPeriod(p, q, { units, targets, actuals });
    const actions = evaluateLadder(p.accountability, q, (k) => (k === q.key ? ranking : undefined));
    expect(actions.map((a) => [a.action, a.unit, a.assumed])).toEqual([
      ['lagging-joint-supervision', units[1].key, true],
      ['lagging-joint-supervision', units[0].key, true],
    ]);
    const off = p.accountability.map((r) => ({ ...r, enabled: false }));
    expect(evaluateLadder(off, q, () => ranking)).toEqual([]);
    const y = parsePeriod('2026')!;
    const yr = rankPeriod(p, y, { units, targets, actuals });
    expect(evaluateLadder(p.accountability, y, () => yr).map((a) => [a.action, a.convenerPost])).toEqual([
      ['ineffective-unit-interview', 'mayor'],
      ['ineffective-unit-interview', 'mayor'],
    ]);
  });
});

describe('missing data rules', () => {
  const p = loadProfile('yiyang');
  const q = parsePeriod('2026-Q1')!;
  const units = rankedUnits(p).filter((u) => u.key === 'heshan' || u.key === 'ziyang');
  const target = { 'out-province-capital': 100, 'fdi-actual': 100, 'major-projects-landed': 4, 'foreign-trade': 100 };
  const targets = nested({ heshan: target, ziyang: target });
  const actuals = nested({ heshan: { 'out-province-capital': 50, 'fdi-actual': 50, 'major-projects-landed': 2, 'foreign-trade': 50 }, ziyang: { 'out-province-capital': 50 } });
  const withRule = (rule: 'zero' | 'exclude' | 'unranked') => ({ ...p, scoring: { ...p.scoring, missingData: rule } });
  it('zero: a missing value counts as 0', () => {
    expect(rankPeriod(withRule('zero'), q, { units, targets, actuals })[0].rows.find((r) => r.unit === 'ziyang')?.score).toBe(20);
  });
  it('exclude: left out and the other weights scaled up', () => {
    expect(rankPeriod(withRule('exclude'), q, { units, targets, actuals })[0].rows.find((r) => r.unit === 'ziyang')?.score).toBe(50);
  });
  it('unranked: listed without a rank, with the reason', () => {
    const row = rankPeriod(withRule('unranked'), q, { units, targets, actuals })[0].rows.find((r) => r.unit === 'ziyang')!;
    expect(row.rank).toBeNull();
    expect(row.unranked).toContain('缺报');
  });
  it('an indicator without a target is left out, not divided by zero', () => {
    const row = rankPeriod(p, q, { units, targets: nested({ heshan: { 'out-province-capital': 100 } }), actuals })[0].rows.find((r) => r.unit === 'heshan')!;
    expect(row.score).toBe(50);
    expect(row.indicators['fdi-actual'].excluded).toBe('未下达目标');
  });
});

describe('Zhangye §4: department indicators apply only to departments with an investment task (unit flags)', () => {
  const p = loadProfile('zhangye');
  it('flags select the departments', () => {
    const ind = p.indicators.find((i) => i.key === 'dept-projects')!;
    const withTask = p.units.find((u) => u.key === 'industry')!;
    const without = p.units.find((u) => u.key === 'discipline')!;
    expect(indicatorApplies(ind, withTask)).toBe(true);
    expect(indicatorApplies(ind, without)).toBe(false);
    expect(p.targets?.find((t) => t.key === 'dept-project')?.requiresFlags).toEqual(['investment-task']);
  });
  it('a flagged indicator is not scored for a unit without the flag', () => {
    const prof = { ...p, scoring: { ...p.scoring, rankingGroups: [{ key: 'depts', name: '市直部门', unitKinds: ['department' as const], source: '§4' }], weights: { 'dept-projects': 50, 'dept-capital-rate': 50 } } };
    const units = [
      { key: 'industry', name: '市工信局', kind: 'department' as const, flags: ['investment-task'] },
      { key: 'discipline', name: '市纪委监委', kind: 'department' as const, flags: [] },
    ];
    const t = { 'dept-projects': 1, 'dept-capital-rate': 50 };
    const [g] = rankPeriod(prof, parsePeriod('2026')!, { units, targets: nested({ industry: t, discipline: t }), actuals: nested({ industry: { 'dept-projects': 1, 'dept-capital-rate': 25 }, discipline: { 'dept-projects': 3 } }) });
    // industry: 50 × 1 + 50 × 0.5 = 75; discipline: nothing applies → not ranked
    expect(g.rows.map((r) => [r.unit, r.rank, r.score])).toEqual([['industry', 1, 75], ['discipline', null, null]]);
  });
});
