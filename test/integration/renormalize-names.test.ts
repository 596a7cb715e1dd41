import crypto from 'crypto';
import { DataSource } from 'typeorm';
import { companyRegistryKey } from '@zs/domain';
import { createDataSource, dropDatabase, renormalizeCompanyKeys, runMigrations } from '@zs/persistence';
import { testDatabaseUrl } from '../support/harness';

/** Leads registered under an older normaliser get today's registry key; two that now fold together are reported, not merged. */
describe('renormalizing registry keys (npm run ledger:renormalize)', () => {
  const url = testDatabaseUrl(`renorm_${crypto.randomBytes(4).toString('hex')}`);
  let ds: DataSource;

  beforeAll(async () => {
    await runMigrations(url);
    ds = createDataSource(url, 'renormalize-test', 3);
    await ds.initialize();
    const [{ id: unit }] = await ds.query(`INSERT INTO units (name, kind) VALUES ('赫山区', 'county') RETURNING id`);
    const [{ id: member }] = await ds.query(`INSERT INTO members (name, unit_id, role) VALUES ('甲', $1, 'official') RETURNING id`, [unit]);
    const add = (code: string, name: string, key: string, at: string, lapsed = false) =>
      ds.query(
        `INSERT INTO leads (code, company_name, normalized_name, owner_unit_id, first_contact_unit_id, reporter_member_id, source_platform, source_msg_id, registered_at, lapsed_at)
         VALUES ($1, $2, $3, $4, $4, $5, 'wecom-app', $1, $6, $7)`,
        [code, name, key, unit, member, at, lapsed ? at : null],
      );
    // Keys as an older normaliser left them (city prefix and 有限公司 kept).
    await add('YY-2026-000001', '深圳市星河智能科技有限公司', '深圳市星河智能科技有限公司', '2026-01-05T02:00:00Z');
    await add('YY-2026-000002', '深圳星河智能科技有限公司', '深圳星河智能科技有限公司', '2026-02-05T02:00:00Z');
    await add('YY-2026-000003', '益阳市某某文旅发展有限公司', 'old-key-3', '2026-03-05T02:00:00Z', true);
    await add('YY-2026-000004', '株洲天元精工机械有限公司', companyRegistryKey('株洲天元精工机械有限公司'), '2026-03-06T02:00:00Z');
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  const keys = async () => (await ds.query(`SELECT code, normalized_name AS key FROM leads ORDER BY code`)).map((r: { code: string; key: string }) => [r.code, r.key]);

  it('reports without changing anything in a dry run', async () => {
    const before = await keys();
    const r = await renormalizeCompanyKeys(ds, { apply: false, batchSize: 2 });
    expect(r).toEqual({
      scanned: 4,
      changed: 2,
      collisions: [{ leadId: expect.any(String), code: 'YY-2026-000002', companyName: '深圳星河智能科技有限公司', newKey: companyRegistryKey('深圳星河智能科技有限公司'), keptBy: 'YY-2026-000001' }],
    });
    expect(await keys()).toEqual(before);
  });

  it('applies: the oldest live lead takes the key, a lapsed one is updated, the later duplicate is left for the office; a second run changes nothing', async () => {
    const r = await renormalizeCompanyKeys(ds, { apply: true, batchSize: 2 });
    expect(r.changed).toBe(2);
    expect(r.collisions.map((c) => c.code)).toEqual(['YY-2026-000002']);
    expect(await keys()).toEqual([
      ['YY-2026-000001', companyRegistryKey('深圳市星河智能科技有限公司')],
      ['YY-2026-000002', '深圳星河智能科技有限公司'],
      ['YY-2026-000003', companyRegistryKey('益阳市某某文旅发展有限公司')],
      ['YY-2026-000004', companyRegistryKey('株洲天元精工机械有限公司')],
    ]);
    const again = await renormalizeCompanyKeys(ds, { apply: true });
    expect(again.changed).toBe(0);
  });
});
