import crypto from 'crypto';
import { DataSource } from 'typeorm';
import { normalizeCompanyName } from '@zs/domain';
import { createDatabaseFromTemplate, createDataSource, dropDatabase, LeadRepository, LedgerRepository, seedCity } from '@zs/persistence';
import { testDatabaseUrl } from '../support/harness';

/** Against the real PostgreSQL: the database, not the application, decides who was first. */
describe('first-contact registry (首谈首报)', () => {
  const url = testDatabaseUrl(`race_${crypto.randomBytes(4).toString('hex')}`);
  let ds: DataSource;
  let reporters: Array<{ memberId: string; unitId: string }>;

  beforeAll(async () => {
    await createDatabaseFromTemplate(url);
    ds = createDataSource(url, 'race-test', 30);
    await ds.initialize();
    await seedCity(ds, 'yiyang', true);
    // One reporter from each of many different units.
    reporters = await ds.query(
      `SELECT DISTINCT ON (unit_id) id::text AS "memberId", unit_id::text AS "unitId" FROM members ORDER BY unit_id, id`,
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  const register = (companyName: string, r: { memberId: string; unitId: string }, i: number, creditCode: string | null = null) =>
    ds.transaction((em) =>
      new LeadRepository(em).registerFirstContact({
        cityCode: 'YY',
        companyName,
        normalizedName: normalizeCompanyName(companyName),
        creditCode,
        industry: '电子信息',
        amountWan: 50000,
        currency: 'CNY',
        tier: 'major',
        tierLabel: '重大',
        ownerUnitId: r.unitId,
        reporterMemberId: r.memberId,
        contactName: '王经理',
        contactPhone: '13912345678',
        content: '拟建生产基地',
        intendedArea: null,
        originRegion: null,
        sourcePlatform: 'wecom-app',
        sourceMsgId: `race-${companyName}-${i}`,
      }),
    );

  it('lets exactly one of many units reporting the same company at the same instant win', async () => {
    const spellings = ['深圳市星河智能科技有限公司', '深圳市星河智能科技股份有限公司', '深圳市星河智能科技（中国）有限公司', '深圳市星河智能科技 有限公司'];
    const outcomes = await Promise.all(reporters.map((r, i) => register(spellings[i % spellings.length], r, i)));
    const winners = outcomes.filter((o) => o.kind === 'registered');
    expect(winners).toHaveLength(1);
    const winner = winners[0].lead;
    for (const o of outcomes) expect(o.lead.id).toBe(winner.id);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM leads`);
    expect(n).toBe(1);
    expect(reporters.length).toBeGreaterThan(10);
  });

  it('treats the same credit code under another name as the same company', async () => {
    const first = await register('益阳某某新材料有限公司', reporters[0], 1000, '91350100M000100Y43');
    const second = await register('某某新材料（益阳）有限责任公司', reporters[1], 1001, '91350100M000100Y43');
    expect(first.kind).toBe('registered');
    expect(second).toMatchObject({ kind: 'already-registered', lead: { id: first.lead.id } });
  });

  it('numbers the winners of many concurrent registrations gaplessly, in the order they were numbered', async () => {
    const [{ before }] = await ds.query(`SELECT count(*)::int AS before FROM leads`);
    const names = reporters.map((_, i) => `并发登记测试${String.fromCharCode(0x4e00 + i * 37)}${String.fromCharCode(0x4e50 + i * 53)}有限公司`);
    const outcomes = await Promise.all(reporters.map((r, i) => register(names[i], r, 2000 + i)));
    expect(outcomes.every((o) => o.kind === 'registered')).toBe(true);
    const numbers = (await ds.query(`SELECT code FROM leads ORDER BY code`)).map((r: { code: string }) => Number(r.code.split('-')[2]));
    expect(numbers).toEqual(Array.from({ length: before + reporters.length }, (_, i) => i + 1));
  });

  it('refuses to commit a claim that was never given its number, and keeps no trace of it', async () => {
    const [{ before }] = await ds.query(`SELECT count(*)::int AS before FROM leads`);
    const r = reporters[2];
    await expect(
      ds.transaction((em) =>
        new LedgerRepository(em).insertUnnumbered({
          cityCode: 'YY',
          year: 2026,
          companyName: '未编号测试有限公司',
          normalizedName: normalizeCompanyName('未编号测试有限公司'),
          creditCode: null,
          industry: null,
          amountWan: null,
          currency: null,
          amountWanCny: null,
          amountMinWan: null,
          amountMaxWan: null,
          amountApproximate: false,
          amountOriginal: null,
          tier: null,
          tierLabel: null,
          ownerUnitId: r.unitId,
          reporterMemberId: r.memberId,
          contactName: null,
          contactPhone: null,
          content: null,
          intendedArea: null,
          originRegion: null,
          warnings: [],
          possibleDuplicateOf: null,
          complete: false,
          registeredAt: new Date(),
          sourcePlatform: 'wecom-app',
          sourceMsgId: 'unnumbered-1',
        }),
      ),
    ).rejects.toThrow(/without its number/);
    const [{ after }] = await ds.query(`SELECT count(*)::int AS after FROM leads`);
    expect(after).toBe(before);
  });
});
