import { startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * Kill services mid-burst (SIGKILL: no graceful shutdown), restart them, and check that
 * every message WeCom got a 200 for is registered exactly once and answered exactly once.
 */
describe('durability under crashes', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem();
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('registers and answers every accepted message exactly once when lead-intake and notification crash', async () => {
    const members: string[] = (
      await sys.db.query(`SELECT wecom_user_id AS u FROM members WHERE wecom_user_id IS NOT NULL ORDER BY id LIMIT 30`)
    ).rows.map((r: { u: string }) => r.u);
    const total = 90;
    const companies = Array.from({ length: total }, (_, i) => `压测样例${String(i).padStart(3, '0')}科技有限公司`);
    const sends: Array<Promise<{ acked: boolean }>> = [];
    for (let i = 0; i < total; i++) {
      const text = `报线索 企业：${companies[i]} 行业：新材料 投资额：${1000 + i}万元 内容：第${i}号样例项目`;
      sends.push(sys.sim.sendText(members[i % members.length], text));
      if (i === 30) await sys.mesh.stop('lead-intake', 'SIGKILL');
      if (i === 50) await sys.mesh.stop('notification', 'SIGKILL');
      if (i === 60) sys.mesh.start('lead-intake');
      if (i === 70) sys.mesh.start('notification');
      await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(sends);
    expect(results.every((r) => r.acked)).toBe(true);
    await Promise.all([sys.mesh.waitReady('lead-intake', 60000), sys.mesh.waitReady('notification', 60000)]);

    await waitFor(
      async () => (await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n === total,
      90000,
      `${total} leads registered`,
    );
    const answered = () =>
      sys.sim.delivered().filter((d) => d.kind === 'app' && companies.some((c) => d.content.includes(c)));
    await waitFor(() => answered().length >= total, 90000, `${total} answers delivered`);

    const perCompany = await sys.db.query(`SELECT company_name, count(*)::int AS n FROM leads GROUP BY company_name`);
    expect(perCompany.rows).toHaveLength(total);
    expect(perCompany.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    // Exactly one answer per company: a retry after the crash must not reach a person twice.
    for (const c of companies) {
      expect(answered().filter((d) => d.content.includes(c))).toHaveLength(1);
    }
    const inbound = await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`);
    expect(inbound.rows[0].n).toBe(total);
  }, 300000);
});
