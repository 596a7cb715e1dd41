import { connect, NatsConnection } from 'nats';
import { isWorkingDay, localDate, localParts } from '@zs/domain';
import { freePort, repliesTo, runScheduleAndWait, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * The scheduler against the real services: three replicas on one PostgreSQL and NATS, schedules
 * changed through the admin API and the chat, slots that must fire once whatever happens to the
 * replicas. Scoring is deliberately not started: runs that need it must be recorded as failed.
 */
const TZ = 'Asia/Shanghai';
const REPLICAS = ['scheduler', 'scheduler#2', 'scheduler#3'];

describe('the scheduler', () => {
  let sys: TestSystem;
  let nc: NatsConnection;
  const memberId = async (userid: string): Promise<string> =>
    (await sys.db.query(`SELECT id::text AS id FROM members WHERE wecom_user_id = $1`, [userid])).rows[0].id;

  const api = async (path: string, method = 'GET', body?: unknown) =>
    sys.admin(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

  const runsOf = async (scheduleId: string) =>
    (
      await sys.db.query(
        `SELECT id::text AS id, slot_at AS "slotAt", status, claimed_by AS "claimedBy", attempts, reason, delay_ms AS "delayMs"
         FROM schedule_runs WHERE schedule_id = $1 ORDER BY slot_at NULLS LAST, id`,
        [scheduleId],
      )
    ).rows;

  /** What each scheduler replica has loaded, asked of all of them at once over NATS. */
  const replicaStates = async (): Promise<{ replica: string; schedules: Record<string, { version: number; enabled: boolean }> }[]> => {
    const out = [];
    const it = await nc.requestMany(`${sys.env.NAMESPACE}.scheduler.replicas.state`, '', { maxWait: 1000, maxMessages: 3 });
    for await (const m of it) out.push(JSON.parse(Buffer.from(m.data).toString('utf8')));
    return out;
  };

  const startReplica = async (name: string) => {
    if (name === 'scheduler') sys.mesh.start('scheduler');
    else sys.mesh.startReplica('scheduler', Number(name.split('#')[1]), await freePort());
    await sys.mesh.waitReady(name, 60000);
  };

  /** A six-field cron naming exactly one instant (its second, minute, hour, day, month) in Shanghai. */
  const cronAt = (at: Date) => {
    const p = localParts(at, TZ);
    return `${p.second} ${p.minute} ${p.hour} ${p.day} ${p.month} *`;
  };
  const secondsAhead = (s: number) => new Date(Math.ceil((Date.now() + s * 1000) / 1000) * 1000);

  const ask = async (userid: string, text: string) => {
    const before = repliesTo(sys.sim, userid).length;
    const sent = await sys.sim.sendText(userid, text);
    expect(sent.acked).toBe(true);
    return waitFor(() => repliesTo(sys.sim, userid)[before], 20000, `the bot's answer to ${userid}`);
  };

  beforeAll(async () => {
    sys = await startSystem({
      services: ['bot-gateway', 'lead-intake', 'notification', 'scheduler'],
      extraEnv: async () => ({ SCHEDULER_QUIET_HOURS: 'off', SCHEDULER_POLL_MS: '2000', SCHEDULER_LEASE_MS: '4000' }),
    });
    await startReplica('scheduler#2');
    await startReplica('scheduler#3');
    nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  }, 240000);

  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  it('seeds the city calendar from the profile and lists it with next firings', async () => {
    const r = await api('/api/schedules');
    expect(r.status).toBe(200);
    const review = r.body.find((s: { name: string }) => s.name.startsWith('月研判'));
    expect(review).toMatchObject({ kind: 'monthly-review', cron: '0 9 5 * *', timezone: TZ, enabled: true, workingDaysOnly: true });
    expect(review.audience.posts).toEqual(['vice-mayor-in-charge']);
    expect(review.nextFireAt).not.toBeNull();
    const kinds = r.body.map((s: { kind: string }) => s.kind);
    expect(kinds).toEqual(expect.arrayContaining(['quarterly-dispatch', 'annual-summary', 'data-due', 'quota-check', 'ranking-notice', 'stale-projects', 'interview-alerts']));
  });

  it('three replicas fire an every-two-seconds schedule once per slot; a pause reaches every replica at once', async () => {
    const wanglei = await memberId('heshan.wanglei');
    const created = await api('/api/schedules', 'POST', { name: '每两秒测试', cron: '*/2 * * * * *', message: '节拍测试', audience: { members: [wanglei] } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await waitFor(async () => (await runsOf(id)).filter((r: { status: string }) => r.status === 'done').length >= 6, 40000, 'six firings');

    const paused = await api(`/api/schedules/${id}`, 'PATCH', { enabled: false });
    expect(paused.body.enabled).toBe(false);
    await waitFor(async () => {
      const states = await replicaStates();
      return states.length === 3 && states.every((s) => s.schedules[id]?.enabled === false && s.schedules[id].version === paused.body.version);
    }, 10000, 'every replica to see the pause');
    const pausedAt = Date.now();

    const runs = await runsOf(id);
    const slots = runs.map((r: { slotAt: Date }) => new Date(r.slotAt).getTime());
    expect(new Set(slots).size).toBe(slots.length);
    for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBe(2000); // no slot skipped
    expect(runs.every((r: { status: string }) => r.status === 'done')).toBe(true);

    // One digest per person per day: the first firing reached 王磊, later ones wait for tomorrow's digest.
    await waitFor(() => repliesTo(sys.sim, 'heshan.wanglei').some((t) => t.includes('节拍测试')), 15000, 'the first push');
    const pushes = (await sys.db.query(`SELECT status, count(*)::int AS n FROM schedule_pushes WHERE member_id = $1 GROUP BY status`, [wanglei])).rows;
    expect(pushes.find((p: { status: string }) => p.status === 'sent')?.n).toBe(1);

    // Paused: no replica fires a slot after the pause.
    await waitFor(() => Date.now() > pausedAt + 4500, 10000, 'two slots to pass');
    const after = (await runsOf(id)).filter((r: { slotAt: Date }) => new Date(r.slotAt).getTime() > pausedAt);
    expect(after).toEqual([]);
    const audit = (await sys.db.query(`SELECT action, actor FROM schedule_audit WHERE schedule_id = $1 ORDER BY id`, [id])).rows;
    expect(audit).toEqual([
      { action: 'create', actor: 'admin-api' },
      { action: 'update', actor: 'admin-api' },
    ]);
  });

  it('fires the slot once when a replica is killed at the slot', async () => {
    const slot = secondsAhead(6);
    const created = await api('/api/schedules', 'POST', { name: '停机时点', cron: cronAt(slot), message: '实例停机测试', audience: { members: [await memberId('ziyang.yangfan')] } });
    const id = created.body.id;
    await waitFor(() => Date.now() >= slot.getTime() - 300, 10000, 'the moment before the slot');
    await sys.mesh.stop('scheduler', 'SIGKILL');
    await waitFor(async () => (await runsOf(id)).some((r: { status: string }) => r.status === 'done'), 15000, 'the slot to fire');
    const runs = await runsOf(id);
    expect(runs).toHaveLength(1);
    expect(new Date(runs[0].slotAt).toISOString()).toBe(slot.toISOString());
    expect(['scheduler-2', 'scheduler-3']).toContain(runs[0].claimedBy);
    await startReplica('scheduler');
  });

  it('a run whose replica died after claiming it is taken over and completed once', async () => {
    const yangfan = await memberId('anhua.wuhao');
    const created = await api('/api/schedules', 'POST', { name: '接管测试', cron: '0 0 1 1 *', message: '接管后送达', audience: { members: [yangfan] } });
    const id = created.body.id;
    // What a replica SIGKILLed right after its claim leaves behind: a running claim whose lease ran out.
    await sys.db.query(
      `INSERT INTO schedule_runs (schedule_id, slot_at, trigger, as_of, status, claimed_by, lease_until)
       VALUES ($1, now() - interval '1 second', 'slot', now(), 'running', 'scheduler-dead', now() - interval '1 second')`,
      [id],
    );
    await waitFor(async () => (await runsOf(id))[0]?.status === 'done', 20000, 'the takeover').catch(async (e) => {
      console.log(JSON.stringify(await runsOf(id)), sys.logs.filter((l) => l.startsWith('[scheduler')).slice(-25).join('\n'));
      throw e;
    });
    const [run] = await runsOf(id);
    expect(run.attempts).toBe(2);
    expect(run.claimedBy).toMatch(/^scheduler-[123]$/);
    await waitFor(() => repliesTo(sys.sim, 'anhua.wuhao').filter((t) => t.includes('接管后送达')).length === 1, 15000, 'one push');
  });

  it('after every replica was down across a slot: fires it once within grace, records it missed beyond grace', async () => {
    const slot = secondsAhead(5);
    const members = [await memberId('taojiang.hujun')];
    const late = await api('/api/schedules', 'POST', { name: '宽限内补发', cron: cronAt(slot), message: '补发测试', graceMinutes: 10, audience: { members } });
    const missed = await api('/api/schedules', 'POST', { name: '超出宽限', cron: cronAt(slot), message: '不应发送', graceMinutes: 0, audience: { members } });
    await Promise.all(REPLICAS.map((r) => sys.mesh.stop(r, 'SIGKILL')));
    await waitFor(() => Date.now() > slot.getTime() + 8000, 20000, 'the slot to pass with every replica down');
    await Promise.all(REPLICAS.map((r) => startReplica(r)));
    await waitFor(async () => (await runsOf(late.body.id))[0]?.status === 'done' && (await runsOf(missed.body.id))[0]?.status === 'missed', 20000, 'catch-up');
    const lateRuns = await runsOf(late.body.id);
    const missedRuns = await runsOf(missed.body.id);
    expect(lateRuns).toHaveLength(1);
    expect(lateRuns[0].delayMs).toBeGreaterThan(8000);
    expect(missedRuns).toHaveLength(1);
    expect(missedRuns[0].reason).toContain('宽限期');
    await waitFor(() => repliesTo(sys.sim, 'taojiang.hujun').some((t) => t.includes('补发测试')), 15000, 'the late push');
    expect(repliesTo(sys.sim, 'taojiang.hujun').some((t) => t.includes('不应发送'))).toBe(false);
  });

  it('follows the working-day calendar (调休) when asked to', async () => {
    const r = await api('/api/schedules', 'POST', { name: '工作日早报', cron: '0 9 * * *', workingDaysOnly: true, message: '早报', audience: { roles: ['admin'] } });
    expect(r.status).toBe(201);
    const next = new Date(r.body.nextFireAt);
    expect(isWorkingDay(localDate(next, TZ))).toBe(true);
    expect(localParts(next, TZ).hour).toBe(9);
    const every = await api('/api/schedules', 'POST', { name: '每日早报', cron: '0 9 * * *', message: '早报', audience: { roles: ['admin'] } });
    expect(new Date(every.body.nextFireAt).getTime()).toBeLessThanOrEqual(next.getTime());
  });

  it('trip quota reminders reach only the heads and deputies behind (益阳 §三); trips come from chat and the API', async () => {
    const today = localDate(new Date(), TZ);
    const head = await memberId('heshan.zhangwei');
    expect((await api('/api/trips', 'POST', { member: head, date: today, destination: '深圳', purpose: '拜访星河智能' })).status).toBe(201);
    const reply = await ask('heshan.limin', `外出招商 ${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日 深圳 拜访星河智能、华南光电`);
    expect(reply).toContain('已登记外出招商');
    const list = (await api('/api/schedules')).body;
    const quota = list.find((s: { kind: string }) => s.kind === 'quota-check');
    const run = await runScheduleAndWait(sys, quota.id);
    expect(run.status).toBe('done');
    const byName = new Map(run.pushes.map((p: { memberName: string; text: string }) => [p.memberName, p.text]));
    expect(byName.get('李敏')).toContain('已外出招商1次，距3次还差2次');
    expect(byName.has('张伟')).toBe(false); // head with one trip this quarter
    expect(byName.get('刘洋')).toContain('距1次还差1次');
    expect(byName.has('王磊')).toBe(false); // officials have no trip quota
  });

  it('records ranking-notice and data-due runs as failed, with the reason, when scoring does not answer', async () => {
    const list = (await api('/api/schedules')).body;
    for (const kind of ['ranking-notice', 'data-due']) {
      const s = list.find((x: { kind: string }) => x.kind === kind);
      const run = await runScheduleAndWait(sys, s.id, { asOf: '2026-10-10T01:00:00Z' });
      expect(run.status).toBe('failed');
      expect(run.reason).toMatch(/评分服务/);
      const history = await api(`/api/schedules/${s.id}/runs`);
      expect(history.body[0]).toMatchObject({ status: 'failed', trigger: 'manual' });
    }
  });

  it('stale key projects (from the ledger events) reach the owning unit and its leaders', async () => {
    const unit = (await sys.db.query(`SELECT id::text AS id FROM units WHERE profile_key = 'heshan'`)).rows[0].id;
    const movedAt = Date.now() - 40 * 86_400_000;
    const lead = {
      leadId: '9001', code: 'YY-2026-009001', companyName: '华南光电有限公司', ownerUnitId: unit, firstContactUnitId: unit, tier: 'key',
      projectTypes: [], industry: '电子信息', plannedAmountWan: 8000, stage: 'negotiating', stageDates: {}, signedAmountWan: null,
      capitalInPlaceWan: null, registeredAt: movedAt, version: 2, updatedAt: movedAt,
    };
    const js = nc.jetstream();
    await js.publish(`${sys.env.NAMESPACE}.events.lead.stage-changed`, Buffer.from(JSON.stringify({ lead, from: 'lead', to: 'negotiating', date: movedAt, byMemberId: null })), { msgID: 'lead-stage:9001:2' });
    await waitFor(async () => (await sys.db.query(`SELECT 1 FROM scheduler_lead_activity WHERE lead_id = '9001'`)).rowCount, 15000, 'the ledger read model');
    const stale = (await api('/api/schedules')).body.find((s: { kind: string }) => s.kind === 'stale-projects');
    const run = await runScheduleAndWait(sys, stale.id);
    expect(run.status).toBe('done');
    const names = run.pushes.filter((p: { text: string }) => p.text.includes('YY-2026-009001')).map((p: { memberName: string }) => p.memberName).sort();
    expect(names).toEqual(['张伟', '李敏', '王磊'].sort());
    expect(run.pushes[0].text).toContain('40天无进展更新');
  });

  it('administrators run the calendar from chat: 日程, 暂停, 恢复, 改期; others may not', async () => {
    expect(await ask('commerce.fanwenjing', '日程')).toContain('月研判');
    expect(await ask('commerce.fanwenjing', '暂停 月研判')).toContain('已暂停');
    const find = async () => (await api('/api/schedules')).body.find((s: { name: string }) => s.name.startsWith('月研判'));
    expect((await find()).enabled).toBe(false);
    expect(await ask('commerce.fanwenjing', '恢复 月研判')).toContain('已恢复');
    expect(await ask('commerce.fanwenjing', '改期 月研判 每月6日9点')).toContain('每月6日 09:00');
    expect((await find()).cron).toBe('0 9 6 * *');
    expect(await ask('commerce.fanwenjing', '改期 月研判 下周一上午10点')).toContain('发送一次');
    expect((await find()).onceAt).not.toBeNull();
    expect(await ask('heshan.wanglei', '暂停 月研判')).toContain('只有管理员');
    const audit = (await sys.db.query(`SELECT count(*)::int AS n FROM schedule_audit WHERE actor LIKE 'chat:member:%'`)).rows[0].n;
    expect(audit).toBe(4);
  });

  it('a meeting reminder says who convenes and when, and reaches the convener', async () => {
    const review = (await api('/api/schedules')).body.find((s: { name: string }) => s.name.startsWith('月研判'));
    const run = await runScheduleAndWait(sys, review.id);
    expect(run.status).toBe('done');
    const runId = run.id;
    const names = run.pushes.map((p: { memberName: string }) => p.memberName);
    expect(names).toEqual(expect.arrayContaining(['廖志明', '张伟', '范文静']));
    expect(names).not.toContain('王磊'); // officials are not called to the monthly review
    await waitFor(() => repliesTo(sys.sim, 'gov.liaozhiming').some((t) => t.includes('【会议提醒】月研判') && t.includes('召集：分管副市长')), 15000, 'the convener to be told');
    // The run history shows the push as delivered, from notification's delivery log.
    await waitFor(async () => {
      const history = await api(`/api/schedules/${review.id}/runs`);
      const run = history.body.find((r: { id: string }) => r.id === runId);
      return run?.pushes.find((p: { memberName: string }) => p.memberName === '廖志明')?.delivery === 'sent';
    }, 15000, 'the delivery log entry in the run history');
  });

  it('"run now" for a large audience answers 202 at once; the run continues durably, even when its replica is killed', async () => {
    const N = 4000;
    const unit = (await sys.db.query(`INSERT INTO units (name, kind, ranked, profile_key) VALUES ('大名单单位', 'county', false, 'big-unit') RETURNING id::text AS id`)).rows[0].id;
    await sys.db.query(`INSERT INTO members (name, unit_id, role) SELECT '大名单成员' || g, $1, 'official' FROM generate_series(1, $2) g`, [unit, N]);
    const created = await api('/api/schedules', 'POST', { name: '大名单提醒', cron: '0 0 1 1 *', message: '请报送数据', audience: { units: [unit] } });
    expect(created.status).toBe(201);
    const started = await api(`/api/schedules/${created.body.id}/run`, 'POST', {});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ runId: expect.any(String), scheduleId: created.body.id, status: 'running' });
    // Kill whichever replica took the run: its lease runs out and another replica completes it.
    const taker = (await sys.db.query(`SELECT claimed_by FROM schedule_runs WHERE id = $1`, [started.body.runId])).rows[0].claimed_by as string;
    const name = taker === 'scheduler-1' ? 'scheduler' : taker.replace('scheduler-', 'scheduler#');
    await sys.mesh.stop(name, 'SIGKILL');
    const run = await waitFor(
      async () => (await api(`/api/schedules/${created.body.id}/runs`)).body.find((r: { id: string; status: string }) => r.id === started.body.runId && r.status !== 'running'),
      90000,
      'the large run to finish',
    );
    expect(run.status).toBe('done');
    expect(run.summary).toMatchObject({ recipients: N, items: N });
    // the killed replica had only begun (4,000 members take far longer than the kill): another finished it
    expect(run.attempts).toBe(2);
    expect(run.claimedBy).not.toBe(taker);
    expect(run.pushCount).toBe(N);
    const perMember = (await sys.db.query(`SELECT count(*)::int AS n, count(DISTINCT member_id)::int AS d FROM schedule_pushes WHERE run_id = $1`, [started.body.runId])).rows[0];
    expect(perMember).toEqual({ n: N, d: N }); // each member once, whichever replica finished it
    await startReplica(name);
  });

  it('rejects bad input with clear 4xx answers', async () => {
    const bad = await api('/api/schedules', 'POST', { name: '坏的', cron: '61 9 * * *', message: 'x', audience: {} });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('无效');
    expect((await api('/api/schedules/999999', 'PATCH', { enabled: false })).status).toBe(404);
    expect((await api('/api/schedules/abc/run', 'POST', {})).status).toBe(400);
    expect((await api('/api/trips', 'POST', { member: '999999', date: '2026-11-20', destination: '深圳' })).status).toBe(400);
  });
});
