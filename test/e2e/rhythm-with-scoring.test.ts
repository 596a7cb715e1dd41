import { repliesTo, runScheduleAndWait, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * The three halves of the product together, every service running: a stage typed in chat moves the
 * ledger, scoring's read model and the scheduler's; the scheduler's data-due reminder asks scoring who
 * has not reported and reaches only those units; its ranking notice is scoring's publishing.
 */
const COUNTIES = ['heshan', 'ziyang', 'anhua', 'taojiang', 'yuanjiang', 'nanxian', 'datonghu', 'gaoxin'];

describe('the rhythm with scoring and the ledger', () => {
  let sys: TestSystem;
  const api = (path: string, method = 'GET', body?: unknown) => sys.admin(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const scheduleOfKind = async (kind: string) => (await api('/api/schedules')).body.find((s: { kind: string }) => s.kind === kind);
  const runSummary = async (runId: string) => (await sys.db.query(`SELECT status, reason, summary FROM schedule_runs WHERE id = $1`, [runId])).rows[0];
  const officialsOf = async (unitKey: string): Promise<string[]> =>
    (
      await sys.db.query(`SELECT m.name FROM members m JOIN units u ON u.id = m.unit_id WHERE u.profile_key = $1 AND m.role = 'official' ORDER BY m.name`, [unitKey])
    ).rows.map((r: { name: string }) => r.name);

  beforeAll(async () => {
    sys = await startSystem({ extraEnv: async () => ({ SCHEDULER_QUIET_HOURS: 'off' }) });
  }, 240000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('a stage typed in chat reaches the ledger, scoring and the scheduler', async () => {
    const user = 'heshan.wanglei';
    await sys.sim.sendText(user, '报线索 企业：湖南澜湾储能科技有限公司 行业：新能源 投资额：6亿元 联系人：周经理 13912345670 内容：拟建储能电池生产基地');
    const registered = await waitFor(() => repliesTo(sys.sim, user).find((t) => t.includes('湖南澜湾储能')), 30000, 'the registration reply');
    const code = /[A-Z]{2}-\d{4}-\d{6}/.exec(registered)?.[0];
    expect(code).toBeTruthy();

    const before = repliesTo(sys.sim, user).length;
    await sys.sim.sendText(user, `签约 ${code} 5亿 2026-11-01`);
    const signed = await waitFor(() => repliesTo(sys.sim, user)[before], 30000, 'the stage reply');
    expect(signed).toContain('签约');

    const scoring = await waitFor(
      async () => (await sys.db.query(`SELECT stage, signed_amount_wan::float AS signed FROM scoring_leads WHERE code = $1 AND stage = 'signed'`, [code])).rows[0],
      20000,
      "scoring's read model at 签约",
    );
    expect(scoring).toEqual({ stage: 'signed', signed: 50000 });
    const scheduler = await waitFor(
      async () => (await sys.db.query(`SELECT stage FROM scheduler_lead_activity WHERE code = $1 AND stage = 'signed'`, [code])).rows[0],
      20000,
      "the scheduler's read model at 签约",
    );
    expect(scheduler.stage).toBe('signed');
  });

  it('the data-due reminder reaches the officials of units that have not reported, and no one of a unit that has', async () => {
    // October's figures: 赫山区 reports every indicator asked of it; the other counties report nothing.
    const status = await api('/api/reporting-status/2026-10');
    expect(status.status).toBe(200);
    const heshan = status.body.missing.find((u: { unit: string }) => u.unit === 'heshan');
    expect(heshan.missingIndicators.length).toBeGreaterThan(0);
    const values = heshan.missingIndicators.map((i: { key: string }) => ({ unit: 'heshan', indicator: i.key, value: 100 }));
    expect((await api('/api/actuals/2026-10', 'PUT', { values })).status).toBe(200);

    const dataDue = await scheduleOfKind('data-due');
    // Fired on 5 November: the period that has just closed is October.
    const run = await runScheduleAndWait(sys, dataDue.id, { asOf: '2026-11-05T01:00:00Z' });
    expect(run.status).toBe('done');
    const reached = new Set(run.pushes.map((p: { memberName: string }) => p.memberName));
    const heshanOfficials = await officialsOf('heshan');
    const ziyangOfficials = await officialsOf('ziyang');
    expect(heshanOfficials.length).toBeGreaterThan(0);
    expect(ziyangOfficials.length).toBeGreaterThan(0);
    for (const n of heshanOfficials) expect(reached.has(n)).toBe(false);
    for (const n of ziyangOfficials) expect(reached.has(n)).toBe(true);
    const summary = (await runSummary(run.id)).summary;
    expect(summary.period).toBe('2026-10');
  });

  it("the ranking-notice schedule publishes the quarter through scoring's publishing", async () => {
    const targets = COUNTIES.flatMap((unit) => [
      { unit, indicator: 'out-province-capital', value: 100000 },
      { unit, indicator: 'fdi-actual', value: 1000 },
      { unit, indicator: 'foreign-trade', value: 50000 },
    ]);
    expect((await api('/api/targets/2026', 'PUT', { targets })).status).toBe(200);
    const actuals = COUNTIES.flatMap((unit, i) => [
      { unit, indicator: 'out-province-capital', value: 80000 - i * 5000 },
      { unit, indicator: 'fdi-actual', value: 700 - i * 40 },
      { unit, indicator: 'foreign-trade', value: 40000 - i * 2000 },
    ]);
    expect((await api('/api/actuals/2026-Q3', 'PUT', { values: actuals })).status).toBe(200);
    expect((await api('/api/rankings/2026-Q3')).body.status).toBe('draft');

    const notice = await scheduleOfKind('ranking-notice');
    // Fired in October: the quarter that has just closed is the third.
    const run = await runScheduleAndWait(sys, notice.id, { asOf: '2026-10-10T01:00:00Z' });
    expect(run.status).toBe('done');
    const published = await api('/api/rankings/2026-Q3');
    expect(published.body).toMatchObject({ status: 'published', version: 1 });
    const counties = published.body.groups.find((g: { group: string }) => g.group === 'counties').rows;
    expect(counties[0].unit).toBe('heshan'); // the highest completion on every indicator
    expect((await runSummary(run.id)).summary.period).toBe('2026-Q3');
  });
});
