import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

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
    // Names that share no more than their suffix: names differing in one digit would be near
    // matches (possible duplicates, pg_trgm) that wait for 确认新企业 instead of registering.
    const distinct = (i: number) => Array.from({ length: 4 }, (_, k) => String.fromCharCode(0x5b00 + i * 4 + k)).join('');
    const companies = Array.from({ length: total }, (_, i) => `样例${distinct(i)}科技有限公司`);
    const count = async (sql: string) => (await sys.db.query(sql)).rows[0].n as number;
    const answered = () =>
      sys.sim.delivered().filter((d) => d.kind === 'app' && d.status === 'delivered' && companies.some((c) => d.content.includes(c)));
    const send = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        const text = `报线索 企业：${companies[i]} 行业：新材料 投资额：${1000 + i}万元 内容：第${i}号样例项目`;
        return sys.sim.sendText(members[i % members.length], text);
      });

    // First half: kill lead-intake while it is registering them.
    const firstHalf = send(0, total / 2);
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM leads`)) >= 10, 30000, 'first leads registered');
    await sys.mesh.stop('lead-intake', 'SIGKILL');
    const leadsAtCrash = await count(`SELECT count(*)::int AS n FROM leads`);
    expect((await Promise.all(firstHalf)).every((r) => r.acked)).toBe(true);

    // Second half arrives while lead-intake is down: the gateway still accepts it durably.
    const secondHalf = send(total / 2, total);
    expect((await Promise.all(secondHalf)).every((r) => r.acked)).toBe(true);
    sys.mesh.start('lead-intake');

    // Kill notification while answers are going out.
    await waitFor(() => answered().length >= leadsAtCrash + 10, 60000, 'answers flowing again');
    await sys.mesh.stop('notification', 'SIGKILL');
    sys.mesh.start('notification');
    await Promise.all([sys.mesh.waitReady('lead-intake', 60000), sys.mesh.waitReady('notification', 60000)]);

    await waitFor(
      async () => (await sys.db.query(`SELECT count(*)::int AS n FROM leads`)).rows[0].n === total,
      90000,
      `${total} leads registered`,
    );
    await waitFor(() => answered().length >= total, 90000, `${total} answers delivered`);
    // Flush: an answer to a later message means any late duplicate would already be here.
    const marker = repliesTo(sys.sim, members[0]).length;
    await sys.sim.sendText(members[0], '帮助');
    await waitFor(() => repliesTo(sys.sim, members[0]).length > marker, 30000, 'the flush answer');

    const perCompany = await sys.db.query(`SELECT company_name, count(*)::int AS n FROM leads GROUP BY company_name`);
    expect(perCompany.rows).toHaveLength(total);
    expect(perCompany.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    // Exactly one answer per company: a retry after the crash must not reach a person twice.
    for (const c of companies) {
      expect(answered().filter((d) => d.content.includes(c))).toHaveLength(1);
    }
    const inbound = await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`);
    expect(inbound.rows[0].n).toBe(total + 1); // and the flush message
  }, 300000);
});
