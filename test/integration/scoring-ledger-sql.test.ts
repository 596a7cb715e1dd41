import crypto from 'crypto';
import { DataSource } from 'typeorm';
import { LeadSnapshot } from '@zs/contracts';
import { cumulativeWindowMs, LedgerProject, ledgerIndicators, listProfileIds, loadProfile, parsePeriod } from '@zs/domain';
import { createDatabaseFromTemplate, createDataSource, dropDatabase } from '@zs/persistence';
import { LeadReadModel } from '../../apps/scoring/src/read-model/lead-read-model';

/**
 * Against the real PostgreSQL: the read model's one-statement aggregate gives the same computed
 * indicators as the domain's definition (ledgerValue), for every computed indicator of the five
 * profiles, over quarters, months and years, with transfers, terminations and stage skips.
 */
describe('ledger-computed indicators: SQL aggregate = domain definition', () => {
  const url = `postgres://postgres@127.0.0.1:5432/zs_test_ledger_${crypto.randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  const profile = loadProfile('yiyang');
  const units = ['11', '12', '13', '14', '15'];
  const projects: LedgerProject[] = [];

  // Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed.
  let seed = 20260101;
  const rnd = () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];

  beforeAll(async () => {
    await createDatabaseFromTemplate(url);
    ds = createDataSource(url, 'ledger-sql-test', 4);
    await ds.initialize();
    const model = new LeadReadModel(ds, profile);
    const day = 86400000;
    for (let i = 1; i <= 600; i++) {
      const reg = Date.parse('2025-06-01T00:00:00+08:00') + Math.floor(rnd() * 540) * day + Math.floor(rnd() * day);
      const stages: Record<string, number> = {};
      const depth = Math.floor(rnd() * 5); // 0 lead … 4 producing
      let t = reg;
      for (const s of ['negotiating', 'signed', 'started', 'producing'].slice(0, depth)) {
        t += Math.floor(rnd() * 90) * day;
        if (rnd() < 0.8 || s === 'signed') stages[s] = t; // sometimes a stage is skipped (reported late)
      }
      if (rnd() < 0.1) stages.terminated = t + Math.floor(rnd() * 60) * day;
      const amount = Math.round(rnd() * rnd() * 200000);
      const owner = pick(units);
      const snap: LeadSnapshot = {
        leadId: String(i),
        code: `T-${i}`,
        companyName: `公司${i}`,
        ownerUnitId: owner,
        firstContactUnitId: rnd() < 0.2 ? pick(units) : owner,
        tier: amount >= 50000 ? 'major' : amount >= 5000 ? 'key' : 'general',
        projectTypes: [],
        industry: null,
        plannedAmountWan: amount || null,
        stage: 'lead',
        stageDates: stages,
        signedAmountWan: stages.signed ? Math.round(amount * (0.5 + rnd())) : null,
        capitalInPlaceWan: stages.signed ? Math.round(amount * rnd()) : null,
        registeredAt: reg,
        version: 1,
        updatedAt: reg,
      };
      await model.upsertSnapshot(snap);
      projects.push({
        leadId: snap.leadId,
        ownerUnitKey: owner,
        firstContactUnitKey: snap.firstContactUnitId,
        tier: snap.tier,
        stageDates: stages,
        signedAmountWan: snap.signedAmountWan,
        plannedAmountWan: snap.plannedAmountWan,
        capitalInPlaceWan: snap.capitalInPlaceWan,
      });
    }
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  const indicators = listProfileIds().flatMap((id) =>
    loadProfile(id)
      .indicators.filter((i) => i.computed)
      .map((i) => ({ key: `${id}:${i.key}`, computed: i.computed })),
  );

  it.each(['2025-Q4', '2026-Q1', '2026-03', '2026-Q3', '2026', '2025'])('%s', async (periodKey) => {
    expect(indicators.length).toBeGreaterThanOrEqual(12);
    const w = cumulativeWindowMs(parsePeriod(periodKey)!);
    const sql = await new LeadReadModel(ds, profile).computedIndicators(indicators, w);
    const domain = ledgerIndicators(indicators, projects, w);
    let compared = 0;
    let nonZero = 0;
    for (const unit of units) {
      for (const ind of indicators) {
        const expected = domain.get(unit)?.get(ind.key);
        const actual = sql.get(unit)?.get(ind.key);
        // The aggregate only sees units with a project signed before the window's end; the domain lists 0 for the others.
        if (actual === undefined) expect(expected === undefined || expected === 0).toBe(true);
        else expect(actual).toBeCloseTo(expected as number, 6);
        compared++;
        if (actual) nonZero++;
      }
    }
    expect(compared).toBe(units.length * indicators.length);
    expect(nonZero).toBeGreaterThan(10); // the data exercises the rules, not only zeros
  });
});
