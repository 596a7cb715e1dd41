import { runScheduleAndWait, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * "Run now with a preview": the scheduler computes, as of an instant, who a run would reach and
 * with what, by the run's own build step, and sends, publishes and records nothing. A real run
 * right after reaches exactly the people the preview named. Scoring is not started, so kinds that
 * need its answers say so (503) instead of guessing.
 */
describe('schedule preview', () => {
  let sys: TestSystem;
  const api = async (path: string, method = 'GET', body?: unknown) => sys.admin(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const MARK = '预览测试-请于周五前报送本月招商线索';
  const withMark = () => sys.sim.delivered().filter((d) => String(d.content ?? '').includes(MARK));
  const count = async (sql: string, params: unknown[] = []) => (await sys.db.query(sql, params)).rows[0].n as number;

  beforeAll(async () => {
    sys = await startSystem({
      services: ['bot-gateway', 'notification', 'scheduler'],
      extraEnv: async () => ({ SCHEDULER_QUIET_HOURS: 'off' }),
    });
  }, 240000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('previews recipients and messages without sending or recording; a real run then reaches the same people', async () => {
    const robot = await api('/api/robots', 'POST', { platform: 'wecom', name: '赫山区招商群', webhookKey: 'preview-robot-key-0001' });
    expect(robot.status).toBe(201);
    const created = await api('/api/schedules', 'POST', {
      name: '线索报送提醒（预览测试）',
      cron: '0 9 1 1 *',
      message: MARK,
      audience: { units: ['heshan'], roles: ['head', 'deputy', 'official'], robots: [robot.body.id] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const pushesBefore = await count(`SELECT count(*)::int AS n FROM schedule_pushes`);

    const asOf = '2026-11-02T01:00:00.000Z';
    const preview = await api(`/api/schedules/${id}/preview`, 'POST', { asOf });
    expect(preview.status).toBe(200);
    const p = preview.body;
    expect(p).toMatchObject({ scheduleId: id, kind: 'custom', asOf, truncated: false, heldUntil: null });
    expect(p.total).toBeGreaterThan(1);
    expect(p.recipients).toHaveLength(p.total);
    expect(p.items).toBe(p.total);
    expect(new Set(p.recipients.map((r: { unitName: string }) => r.unitName))).toEqual(new Set(['赫山区']));
    expect(p.messages).toHaveLength(1);
    expect(p.messages[0]).toMatchObject({ title: '线索报送提醒（预览测试）', recipients: p.total });
    expect(p.messages[0].text).toContain(MARK);
    expect(p.robots).toEqual([{ robotId: robot.body.id, platform: 'wecom', title: '线索报送提醒（预览测试）', text: expect.stringContaining(MARK) }]);

    // A bounded list still counts everyone.
    const one = await api(`/api/schedules/${id}/preview`, 'POST', { limit: 1 });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ total: p.total, truncated: true });
    expect(one.body.recipients).toHaveLength(1);

    // Nothing was recorded or sent: no run, no push, nothing at the platform.
    expect(await count(`SELECT count(*)::int AS n FROM schedule_runs WHERE schedule_id = $1`, [id])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM schedule_pushes`)).toBe(pushesBefore);
    expect((await api(`/api/schedules/${id}/runs`)).body).toEqual([]);
    expect(withMark()).toEqual([]);
    expect((await api('/api/schedules')).body.find((s: { id: string }) => s.id === id).lastFiredAt).toBeNull();

    // The real run right after reaches exactly the previewed people, and the robot.
    const run = await runScheduleAndWait(sys, id, { asOf });
    expect(run.status).toBe('done');
    const ran = run.pushes.filter((x: { memberId: string | null }) => x.memberId).map((x: { memberId: string }) => x.memberId).sort();
    expect(ran).toEqual(p.recipients.map((r: { memberId: string }) => r.memberId).sort());
    expect(run.pushes.filter((x: { robotId: string | null }) => x.robotId).map((x: { robotId: string }) => String(x.robotId))).toEqual([String(robot.body.id)]);
    expect(run.summary).toMatchObject({ recipients: p.total, items: p.items, robots: 1 });
    // Each reachable person gets one message with the text (the preview sent none before it).
    const reachable = p.recipients.filter((r: { channel: string | null }) => r.channel).length;
    await waitFor(() => withMark().filter((d) => d.kind === 'app').length >= reachable, 20000, 'the run to be delivered');
    expect(withMark().filter((d) => d.kind === 'app')).toHaveLength(reachable);
  });

  it('a ranking notice is previewed without publishing; kinds that need scoring answer 503 while it is down', async () => {
    const list = (await api('/api/schedules')).body;
    const notice = list.find((s: { kind: string }) => s.kind === 'ranking-notice');
    const r = await api(`/api/schedules/${notice.id}/preview`, 'POST', { asOf: '2026-10-10T01:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 0, summary: { wouldPublish: true, period: expect.any(String) } });
    expect(await count(`SELECT count(*)::int AS n FROM schedule_runs WHERE schedule_id = $1`, [notice.id])).toBe(0);

    const dataDue = list.find((s: { kind: string }) => s.kind === 'data-due');
    const d = await api(`/api/schedules/${dataDue.id}/preview`, 'POST', { asOf: '2026-10-10T01:00:00Z' });
    expect(d.status).toBe(503);
    expect(JSON.stringify(d.body)).toMatch(/评分服务/);
    expect(await count(`SELECT count(*)::int AS n FROM schedule_runs WHERE schedule_id = $1`, [dataDue.id])).toBe(0);
  });

  it('refuses a bad body and an unknown schedule', async () => {
    const list = (await api('/api/schedules')).body;
    expect((await api(`/api/schedules/${list[0].id}/preview`, 'POST', { asOf: '明天' })).status).toBe(400);
    expect((await api(`/api/schedules/${list[0].id}/preview`, 'POST', { limit: 0 })).status).toBe(400);
    expect((await api('/api/schedules/999999/preview', 'POST', {})).status).toBe(404);
  });
});
