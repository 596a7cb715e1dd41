import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * `npm start` supervises what it starts: a service killed from outside (kill -9, the OOM killer)
 * is started again with backoff, and the system answers officials again without anyone stepping in.
 */
describe('the npm start supervisor', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startSystem({ supervise: true, wecomSim: { maxAttempts: 60, retryDelayMs: 500 } });
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('starts a service killed with SIGKILL again, and it answers the next lead', async () => {
    const member: string = (await sys.db.query(`SELECT wecom_user_id AS u FROM members WHERE wecom_user_id IS NOT NULL ORDER BY id LIMIT 1`)).rows[0].u;
    const before: number = sys.mesh.pid('lead-intake');
    expect(before).toBeGreaterThan(0);

    const exit = await sys.mesh.kill('lead-intake', 'SIGKILL');
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor(() => sys.logs.find((l) => l.startsWith('[supervisor] lead-intake: exited (signal SIGKILL)')), 10000, 'the supervisor noticing the crash');

    // A new process, not the old one still running; ready again on its port.
    const after = await waitFor(() => sys.mesh.pid('lead-intake'), 30000, 'lead-intake started again');
    expect(after).not.toBe(before);
    await sys.mesh.waitReady('lead-intake', 60000);
    expect(sys.mesh.restarts('lead-intake')).toBe(1);

    const r = await sys.sim.sendText(member, '报线索 企业：监督重启验证科技有限公司 行业：电子信息 投资额：3000万元 内容：重启后的第一条线索');
    expect(r.acked).toBe(true);
    await waitFor(async () => (await sys.db.query(`SELECT count(*)::int AS n FROM leads WHERE company_name = '监督重启验证科技有限公司'`)).rows[0].n === 1, 60000, 'the lead registered');
    const reply = await waitFor(() => repliesTo(sys.sim, member).find((c) => c.includes('监督重启验证科技有限公司')), 60000, 'the answer');
    expect(reply).toContain('监督重启验证科技有限公司');
  }, 240000);

  it('does not start a service again that was stopped on purpose', async () => {
    await sys.mesh.stop('scheduler', 'SIGTERM');
    // The supervisor logs every restart decision; a deliberate stop makes none.
    await sys.mesh.waitReady('bot-gateway', 10000);
    expect(sys.logs.some((l) => l.startsWith('[supervisor] scheduler:'))).toBe(false);
    expect(sys.mesh.pid('scheduler')).toBeUndefined();
    expect(sys.mesh.restarts('scheduler')).toBe(0);
  }, 60000);
});
