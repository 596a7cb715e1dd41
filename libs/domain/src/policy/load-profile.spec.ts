import cron from 'node-cron';
import { classifyTier } from '../lead/tier';
import {
  PolicyProfileError,
  findUnit,
  isQuotaForbidden,
  listProfileIds,
  loadDemoMembers,
  loadProfile,
  monthlyLeadQuotaFor,
  parsePolicyProfile,
} from './load-profile';
import { PolicyProfile, PolicyProfileSchema, cronProblem, demoMembersSchemaFor } from './profile.schema';

const IDS = ['yiyang', 'zhuzhou', 'hengyang', 'yongzhou', 'zhangye'];

/** Parses and returns the error message (or '' when the data is valid). */
function errorOf(data: unknown): string {
  try {
    parsePolicyProfile(data, '"test"');
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyProfileError);
    return (e as Error).message;
  }
}

describe('shipped policy profiles', () => {
  it('lists the five seed cities, Yiyang first', () => {
    expect(listProfileIds()).toEqual(IDS);
  });

  it.each(IDS)('%s loads and validates', (id) => {
    const p = loadProfile(id);
    expect(p.id).toBe(id);
    expect(p.timezone).toBe('Asia/Shanghai');
    expect(p.cityName).toMatch(/市$/);
    expect(p.cityCode).toMatch(/^[A-Z]{2,4}$/);
    expect(p.leadTiers.filter((t) => t.minAmountWan === 0)).toHaveLength(1);
    expect(p.units.find((u) => u.key === p.coordinatingUnitKey)?.name).toBe(p.coordinatingUnitName);
    expect(PolicyProfileSchema.safeParse(p).success).toBe(true);
  });

  it.each(IDS)('%s cadences are valid node-cron expressions', (id) => {
    for (const c of loadProfile(id).cadences) {
      expect(cronProblem(c.cron)).toBeNull();
      expect(cron.validate(c.cron)).toBe(true);
    }
  });

  it('uses distinct city codes', () => {
    const codes = IDS.map((id) => loadProfile(id).cityCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(loadProfile('yiyang').cityCode).toBe('YY');
  });

  it('throws for an unknown id, listing the known ones', () => {
    expect(() => loadProfile('changsha')).toThrow(/Unknown policy profile "changsha".*yiyang, zhuzhou, hengyang, yongzhou, zhangye/);
    expect(() => loadDemoMembers('changsha')).toThrow(/Known profiles/);
  });

  it('returns a fresh copy each time', () => {
    const a = loadProfile('yiyang');
    a.units.pop();
    a.leadTiers[0].minAmountWan = 99;
    const b = loadProfile('yiyang');
    expect(b.units).toHaveLength(a.units.length + 1);
    expect(b.leadTiers[0].minAmountWan).toBe(0);
  });

  it('tiers work with the lead module classifyTier', () => {
    const zy = loadProfile('zhangye');
    expect(classifyTier({ amountWan: 150000, currency: 'CNY' }, zy.leadTiers, zy.usdToCnyRate).label).toBe('重大');
    expect(classifyTier({ amountWan: 2000, currency: 'USD' }, zy.leadTiers, zy.usdToCnyRate).label).toBe('重点');
    expect(classifyTier({ amountWan: 800, currency: 'CNY' }, zy.leadTiers, zy.usdToCnyRate).label).toBe('一般');
    const hy = loadProfile('hengyang');
    expect(hy.leadTiers.every((t) => t.trackingCadence === 'weekly')).toBe(true);
  });
});

describe('Yiyang (seed 002)', () => {
  const p = loadProfile('yiyang');
  const namesOf = (kind: string) => p.units.filter((u) => u.kind === kind).map((u) => u.name);

  it('has the full annex of responsible units', () => {
    expect(namesOf('county')).toEqual([
      '赫山区', '资阳区', '安化县', '桃江县', '沅江市', '南县', '大通湖区', '益阳高新区',
    ]);
    expect(namesOf('park')).toEqual([
      '益阳龙岭产业开发区', '益阳长春经开区', '安化经开区', '桃江经开区',
      '灰山港产业开发区', '沅江高新区', '南县经开区', '大通湖产业开发区',
    ]);
    expect(namesOf('coordinator')).toEqual(['市商务局']);
    expect(namesOf('liaison')).toEqual(['市政府驻上海联络处', '市政府驻广州办事处']);
    expect(namesOf('service')).toEqual([
      '市发展改革委', '市人力资源社会保障局', '市自然资源和规划局', '市生态环境局', '市住房城乡建设局',
      '市水利局', '市农业农村局', '市文旅广体局', '市应急局', '市城管执法局', '市林业局', '市市场监管局',
      '市医保局', '市政务管理服务局', '市公积金中心', '市税务局', '人民银行益阳市中心支行（市外汇管理局）',
      '国网益阳供电公司', '电信益阳分公司', '益阳海关', '市消防救援支队', '市自来水公司',
    ]);
    expect(namesOf('department').length).toBeGreaterThanOrEqual(4);
    expect(p.units.find((u) => u.key === 'liaison-shanghai')?.regions).toEqual(['长三角']);
    expect(findUnit(p, '赫山')?.key).toBe('heshan');
    expect(findUnit(p, '市商务局')?.kind).toBe('coordinator');
  });

  it('has the §十 accountability ladder in four rungs', () => {
    expect(p.accountability.map((a) => [a.trigger, a.interviewerPost ?? null, a.intervieweeRole, a.actionType])).toEqual([
      [{ scope: 'quarter', rankFromBottom: 2, consecutive: 2, metric: 'progress' }, 'vice-mayor-in-charge', 'deputy', 'interview'],
      [{ scope: 'year', rankFromBottom: 2, consecutive: 1, metric: 'score' }, 'mayor', 'head', 'interview'],
      [{ scope: 'year', rankFromBottom: 2, consecutive: 2, metric: 'score' }, null, 'deputy', 'duty-adjustment'],
      [{ scope: 'year', rankFromBottom: 1, consecutive: 2, metric: 'score' }, null, 'deputy', 'admonishment'],
    ]);
    expect(p.accountability.every((a) => a.source === '§十' && a.rankingGroup === 'counties')).toBe(true);
    expect(p.accountability[1].action).toContain('表态发言');
    expect(p.accountability[3].action).toContain('诫勉');
  });

  it('has the §九 rewards, §三 trip quotas and §八 rhythm', () => {
    const county = p.rewards.filter((r) => r.rankingGroup === 'counties').map((r) => [r.rank, r.amountWan]);
    expect(county).toEqual([[1, 60], [2, 50], [3, 40]]);
    const service = p.rewards.filter((r) => r.rankingGroup === 'service').map((r) => r.amountWan);
    expect(service).toEqual([10, 10, 10]);
    const info = p.rewards.find((r) => r.basis === 'per-project');
    expect(info).toMatchObject({ amountWan: 20, tierKey: 'major', requiresFirstContact: true, source: '§九.2' });

    expect(p.quotas.map((q) => [q.appliesTo, q.measure, q.count, q.period])).toEqual([
      [['head'], 'outgoing-trips', 1, 'quarter'],
      [['deputy'], 'outgoing-trips', 3, 'quarter'],
    ]);
    expect(p.cadences.map((c) => c.kind)).toEqual(
      expect.arrayContaining(['monthly-review', 'quarterly-dispatch', 'annual-summary']),
    );
    expect(p.cadences.find((c) => c.kind === 'quarterly-dispatch')).toMatchObject({ chairPost: 'mayor', publishesNotice: true });
    expect(p.firstContact).toMatchObject({ enabled: true, transferAllowed: true, providerKeepsCredit: true });
    expect(isQuotaForbidden(p, 'head', 'outgoing-trips')).toBe(false);
  });

  it('ships demo members that reference real units', () => {
    const members = loadDemoMembers('yiyang');
    const count = (unitKey: string) => members.filter((m) => m.unitKey === unitKey).length;
    for (const u of p.units.filter((x) => x.kind === 'county' || x.kind === 'park')) {
      expect(count(u.key)).toBeGreaterThanOrEqual(2);
      expect(count(u.key)).toBeLessThanOrEqual(3);
    }
    expect(members.some((m) => m.unitKey === 'commerce' && m.role === 'admin')).toBe(true);
    expect(count('liaison-shanghai')).toBeGreaterThanOrEqual(1);
    expect(count('liaison-guangzhou')).toBeGreaterThanOrEqual(1);
    const serviceUnits = new Set(members.filter((m) => m.unitKey.startsWith('svc-')).map((m) => m.unitKey));
    expect(serviceUnits.size).toBeGreaterThanOrEqual(3);
    expect(members.filter((m) => m.role === 'leader').map((m) => m.leaderPost).sort()).toEqual(
      ['executive-vice-mayor', 'mayor', 'vice-mayor-in-charge'],
    );
    expect(new Set(members.map((m) => m.wecomUserId)).size).toBe(members.length);
    expect(new Set(members.map((m) => m.dingtalkStaffId)).size).toBe(members.length);
    expect(loadDemoMembers('zhangye')).toEqual([]);
  });

  it('rejects demo members with unknown units or duplicate ids', () => {
    const members = loadDemoMembers('yiyang');
    const bad = [...members, { ...members[0], unitKey: 'nowhere' }];
    const r = demoMembersSchemaFor(p).safeParse(bad);
    expect(r.success).toBe(false);
    const text = r.success ? '' : r.error.issues.map((i) => i.message).join('\n');
    expect(text).toMatch(/unknown unit key "nowhere"/);
    expect(text).toMatch(/duplicate wecomUserId "heshan.zhangwei"/);
    expect(text).toMatch(/duplicate dingtalkStaffId/);
  });
});

describe('Zhangye (seed 004)', () => {
  const p = loadProfile('zhangye');

  it('requires 10 valid leads a month from each liaison office', () => {
    const q = p.quotas.find((x) => x.appliesTo.includes('liaison'));
    expect(q).toMatchObject({ measure: 'valid-leads', count: 10, period: 'month', source: '§5' });
    const liaisons = p.units.filter((u) => u.kind === 'liaison');
    expect(liaisons.map((u) => u.name)).toEqual(['市政府驻北京联络处', '市政府驻上海联络处', '市政府驻兰州办事处']);
    for (const u of liaisons) expect(monthlyLeadQuotaFor(p, u.key)).toBe(10);
    expect(monthlyLeadQuotaFor(p, 'ganzhou')).toBeUndefined();
  });

  it('forbids trip-count quotas for city leaders (and anyone)', () => {
    expect(isQuotaForbidden(p, 'leader', 'outgoing-trips')).toBe(true);
    expect(isQuotaForbidden(p, 'leader', 'trip-days')).toBe(true);
    expect(isQuotaForbidden(p, 'head', 'outgoing-trips')).toBe(true);
    expect(isQuotaForbidden(p, 'liaison', 'valid-leads')).toBe(false);
    expect(p.forbiddenQuotas.map((f) => f.source)).toEqual(['§1', '§17']);

    const withTrips = structuredClone(p) as PolicyProfile;
    withTrips.quotas.push({
      key: 'leader-trips',
      name: '市级领导每季度外出招商2次',
      appliesTo: ['leader'],
      measure: 'outgoing-trips',
      count: 2,
      period: 'quarter',
      source: 'none',
    });
    expect(errorOf(withTrips)).toMatch(/quotas\.2: quota "leader-trips" is forbidden by "no-leader-trip-quota" \(§1\)/);
  });

  it('has first contact with transfer, §15 tiers and §16/§18 accountability', () => {
    expect(p.firstContact).toMatchObject({ enabled: true, transferAllowed: true, screeningUnitKey: 'investment-bureau' });
    expect(p.leadTiers.map((t) => [t.label, t.minAmountWan])).toEqual([['一般', 0], ['重点', 10000], ['重大', 100000]]);
    expect(p.accountability.map((a) => a.source)).toEqual(['§16', '§18']);
    expect(p.policyStatus).toBe('draft');
  });
});

describe('Yongzhou (seed 003) and Hengyang (seed 001)', () => {
  it('Yongzhou carries the yearly numeric targets', () => {
    const p = loadProfile('yongzhou');
    const t = Object.fromEntries((p.targets ?? []).map((x) => [x.key, x]));
    expect(t['fdi-total']).toMatchObject({ value: 3500, unit: '万美元', scope: 'city' });
    expect(t['fdi-hightech-share']).toMatchObject({ value: 30, unit: '%' });
    expect(t['signed-projects-5000']).toMatchObject({ value: 300, minProjectAmountWan: 5000 });
    expect(t['county-10yi-project']).toMatchObject({ scope: 'each', value: 1, minProjectAmountWan: 100000 });
    const quotas = Object.fromEntries(p.quotas.map((q) => [q.key, [q.count, q.period]]));
    expect(quotas['chain-events']).toEqual([4, 'year']);
    expect(quotas['yishang-events']).toEqual([5, 'year']);
    expect(quotas['chain-target-companies']).toEqual([20, 'year']);
  });

  it('Hengyang names the §20 indicators and tracks weekly', () => {
    const p = loadProfile('hengyang');
    const names = p.indicators.map((i) => i.name);
    for (const n of ['资金到位率', '项目开工率', '产业项目占比', '先进产能占比', '税收贡献', '就业岗位带动']) {
      expect(names).toContain(n);
    }
    expect(p.cadences.find((c) => c.kind === 'weekly-tracking')).toMatchObject({ cron: '0 9 * * 1', source: '§19' });
  });
});

describe('schema rejects broken profiles with readable messages', () => {
  const base = () => loadProfile('yiyang');

  it('two zero floors', () => {
    const p = base();
    p.leadTiers[1].minAmountWan = 0;
    expect(errorOf(p)).toMatch(/leadTiers: exactly one tier must have minAmountWan 0 \(found 2: general, key\)/);
  });

  it('no zero floor', () => {
    const p = base();
    p.leadTiers[0].minAmountWan = 100;
    expect(errorOf(p)).toMatch(/exactly one tier must have minAmountWan 0 \(found 0\)/);
  });

  it('weights not summing to 100', () => {
    const p = base();
    p.scoring.weights['fdi-actual'] = 30;
    expect(errorOf(p)).toMatch(/scoring\.weights: weights of indicators for unit kind "county" must sum to 100 \(found 105\)/);
  });

  it('weight for an unknown indicator', () => {
    const p = base();
    p.scoring.weights['ghost'] = 1;
    expect(errorOf(p)).toMatch(/weight for unknown indicator "ghost"/);
  });

  it('bad cron expressions', () => {
    const p = base();
    p.cadences[0].cron = '0 9 5 *';
    p.cadences[1].cron = '0 25 * * *';
    p.cadences[2].cron = '0 0 9 5 * * *';
    const msg = errorOf(p);
    expect(msg).toMatch(/cadences\.0\.cron: cron "0 9 5 \*" must have 5 or 6 fields \(found 4\)/);
    expect(msg).toMatch(/cadences\.1\.cron: .*hour value 25 is outside 0-23/);
    expect(msg).toMatch(/cadences\.2\.cron: .*found 7/);
  });

  it('duplicate unit keys and names, unknown references', () => {
    const p = base();
    p.units.push({ ...p.units[0] });
    p.rewards[0].rankingGroup = 'nobody';
    const msg = errorOf(p);
    expect(msg).toMatch(/duplicate unit key "heshan"/);
    expect(msg).toMatch(/duplicate unit name "赫山区"/);
    expect(msg).toMatch(/rewards\.0\.rankingGroup: unknown ranking group "nobody"/);
  });

  it('a missing source or an unknown field (shape errors are reported before cross-field checks)', () => {
    const p = base() as unknown as Record<string, any>;
    delete p.cadences[0].source;
    p.units[0].colour = 'red';
    const msg = errorOf(p);
    expect(msg).toMatch(/cadences\.0\.source: Required/);
    expect(msg).toMatch(/units\.0: Unrecognized key\(s\) in object: 'colour'/);
  });

  it('an assumed item without a note', () => {
    const p = base();
    delete p.leadTiers[0].note;
    expect(errorOf(p)).toMatch(/leadTiers\.0\.note: an item marked "assumed": true needs a note/);
  });

  it('cronProblem accepts node-cron forms', () => {
    for (const ok of ['*/5 * * * *', '0 0 9 * * mon-fri', '0 9 1 jan,jul *', '0 9 * * 7', '30 8 1-7 * 1']) {
      expect(cronProblem(ok)).toBeNull();
      expect(cron.validate(ok)).toBe(true);
    }
    expect(cronProblem('0 9 32 * *')).toMatch(/day-of-month value 32/);
    expect(cronProblem('0 9 * * fri-mon')).toMatch(/reversed/);
  });
});

describe('ledger vocabulary in the profile', () => {
  it('refuses a command word used twice or shadowing a fixed command', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PolicyProfileSchema } = require('./profile.schema');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw = JSON.parse(JSON.stringify(require('./profiles/yiyang.json')));
    raw.ledger.stages[1].commands = ['开工'];
    raw.ledger.capitalCommands = ['更正'];
    const r = PolicyProfileSchema.safeParse(raw);
    expect(r.success).toBe(false);
    const messages = r.error.issues.map((i: { message: string }) => i.message).join('\n');
    expect(messages).toContain('"开工" is used twice');
    expect(messages).toContain('"更正" is a fixed chat command');
  });
});
