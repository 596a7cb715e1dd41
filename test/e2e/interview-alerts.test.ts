import { connect } from 'nats';
import { namesFor } from '@zs/contracts';
import { runScheduleAndWait, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * Interview alerts (约谈提醒) end to end on the real PostgreSQL, Redis and NATS: scoring raises
 * accountability actions when a quarter is published (its outbox publishes `accountabilityRaised`),
 * the scheduler alerts the people the ladder names once, with the deadline; its daily repeat covers
 * the actions still open and stops once the interview is recorded as held.
 */
const COUNTIES = ['heshan', 'ziyang', 'anhua', 'taojiang', 'yuanjiang', 'nanxian', 'datonghu', 'gaoxin'];
const TG = { 'out-province-capital': 100000, 'fdi-actual': 1000, 'foreign-trade': 50000 };

describe('interview alerts from accountability actions', () => {
  let sys: TestSystem;
  const api = (path: string, method = 'GET', body?: unknown) => sys.admin(path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const alertsTo = (userid: string, unitName: string) => sys.sim.messagesTo(userid).filter((m) => m.content.includes(`【约谈提醒】${unitName}`));
  const eventRuns = async (scheduleId: string) =>
    (
      await sys.db.query(
        `SELECT id::text AS id, status, event_key AS "eventKey", summary FROM schedule_runs WHERE schedule_id = $1 AND trigger = 'event' ORDER BY id`,
        [scheduleId],
      )
    ).rows;

  beforeAll(async () => {
    sys = await startSystem({
      services: ['bot-gateway', 'scoring', 'notification', 'scheduler'],
      extraEnv: async () => ({ SCHEDULER_QUIET_HOURS: 'off' }),
    });
  }, 240000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('raise: the people named are alerted once, with the deadline; held: the daily repeat stops', async () => {
    const schedule = (await api('/api/schedules')).body.find((s: { kind: string }) => s.kind === 'interview-alerts');
    expect(schedule).toBeTruthy();
    // Anhua and Yuanjiang last in 2025-Q4 and again in 2026-Q1: the vice-mayor in charge interviews their deputy heads.
    for (const year of ['2025', '2026']) {
      const targets = COUNTIES.flatMap((unit) => Object.entries(TG).map(([indicator, value]) => ({ unit, indicator, value })));
      expect((await api(`/api/targets/${year}`, 'PUT', { targets })).status).toBe(200);
    }
    for (const period of ['2025-Q4', '2026-Q1']) {
      const values = COUNTIES.flatMap((unit, i) =>
        Object.entries(TG).map(([indicator, v]) => ({ unit, indicator, value: unit === 'anhua' ? v / 10 : unit === 'yuanjiang' ? v / 20 : v - i * (v / 100) })),
      );
      expect((await api(`/api/actuals/${period}`, 'PUT', { values })).status).toBe(200);
    }
    expect((await api('/api/rankings/2025-Q4/publish', 'POST', {})).body.accountability).toEqual([]);
    const q1 = await api('/api/rankings/2026-Q1/publish', 'POST', {});
    expect(q1.status).toBe(200);
    expect(q1.body.accountability.map((a: { unit: string }) => a.unit).sort()).toEqual(['anhua', 'yuanjiang']);
    const anhua = q1.body.accountability.find((a: { unit: string }) => a.unit === 'anhua');

    // One event run per action, each done, each reaching the convener and the unit's deputy head.
    const runs = await waitFor(async () => {
      const r = await eventRuns(schedule.id);
      return r.length === 2 && r.every((x: { status: string }) => x.status === 'done') && r;
    }, 30000, 'the two alert runs');
    expect(runs.map((r: { eventKey: string }) => r.eventKey).sort()).toEqual(q1.body.accountability.map((a: { id: string }) => `accountability:${a.id}`).sort());
    const history = (await api(`/api/schedules/${schedule.id}/runs`)).body;
    const anhuaRun = history.find((r: { id: string }) => r.id === runs.find((x: { eventKey: string }) => x.eventKey === `accountability:${anhua.id}`).id);
    expect(anhuaRun).toMatchObject({ trigger: 'event', status: 'done' });
    expect(anhuaRun.pushes.map((p: { memberName: string }) => p.memberName).sort()).toEqual(['周丽', '廖志明'].sort());
    expect(anhuaRun.pushes[0].text).toContain('期限：2026年4月15日 前');

    await waitFor(() => alertsTo('gov.liaozhiming', '安化县').length >= 1 && alertsTo('anhua.zhouli', '安化县').length >= 1, 30000, 'the alerts to arrive');
    await waitFor(async () => {
      const h = (await api(`/api/schedules/${schedule.id}/runs`)).body.find((r: { id: string }) => r.id === anhuaRun.id);
      return h.pushes.every((p: { delivery: string }) => p.delivery === 'sent');
    }, 30000, 'the delivery log to show both alerts sent');
    expect(alertsTo('gov.liaozhiming', '安化县')).toHaveLength(1); // once: scoring sends none of its own
    expect(alertsTo('anhua.zhouli', '安化县')).toHaveLength(1);
    expect(alertsTo('gov.liaozhiming', '沅江市')).toHaveLength(1); // the convener of both is told of each
    expect(alertsTo('anhua.zhouli', '安化县')[0].content).toContain('期限：2026年4月15日 前');
    expect(alertsTo('anhua.huangzhiqiang', '安化县')).toHaveLength(0); // the head is not named by this rung

    // A redelivered event (same msg id past JetStream's window, or a replayed stream) alerts no one again.
    const redelivered = await sys.db.query(`SELECT count(*)::int AS n FROM schedule_runs WHERE event_key = $1`, [`accountability:${anhua.id}`]);
    expect(redelivered.rows[0].n).toBe(1);

    // The daily repeat, run as of tomorrow 9:00: both actions still open, both repeated.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const repeat = await runScheduleAndWait(sys, schedule.id, { asOf: tomorrow.toISOString() });
    expect(repeat.summary.repeated.sort()).toEqual(q1.body.accountability.map((a: { id: string }) => a.id).sort());
    expect(repeat.pushes.filter((p: { text: string }) => p.text.includes('【约谈提醒】安化县')).map((p: { memberName: string }) => p.memberName).sort()).toEqual(['周丽', '廖志明'].sort());

    // A second repeat the same day waits for tomorrow's digest (each person's digest of today went out).
    const waiting = await runScheduleAndWait(sys, schedule.id, { asOf: tomorrow.toISOString() });
    const pendingOf = async (runId: string, unitName: string) =>
      (await sys.db.query(`SELECT count(*)::int AS n FROM schedule_pushes WHERE run_id = $1 AND status = 'pending' AND text LIKE $2`, [runId, `【约谈提醒】${unitName}%`])).rows[0].n;
    expect(await pendingOf(waiting.id, '安化县')).toBe(2);

    // Held: the scheduler hears it, withdraws Anhua's waiting alerts and drops it from the repeat; Yuanjiang, still open, stays.
    expect((await api(`/api/accountability/${anhua.id}/held`, 'POST', { heldAt: '2026-04-10', note: '已约谈' })).body.status).toBe('held');
    await waitFor(async () => (await sys.db.query(`SELECT status FROM scheduler_accountability_actions WHERE action_id = $1`, [anhua.id])).rows[0]?.status === 'held', 20000, 'the scheduler to hear of the interview');
    expect(await pendingOf(waiting.id, '安化县')).toBe(0);
    expect(await pendingOf(waiting.id, '沅江市')).toBeGreaterThan(0);
    const after = await runScheduleAndWait(sys, schedule.id, { asOf: tomorrow.toISOString() });
    expect(after.summary.repeated).toEqual([q1.body.accountability.find((a: { unit: string }) => a.unit === 'yuanjiang').id]);
    expect(after.pushes.some((p: { text: string }) => p.text.includes('安化县'))).toBe(false);
    expect(after.pushes.some((p: { text: string }) => p.text.includes('【约谈提醒】沅江市'))).toBe(true);
  });

  it('a raise replayed long after it happened (a new consumer reading history) is recorded for the repeat, not alerted at once', async () => {
    const schedule = (await api('/api/schedules')).body.find((s: { kind: string }) => s.kind === 'interview-alerts');
    const unitId = (await sys.db.query(`SELECT id::text AS id FROM units WHERE profile_key = 'nanxian'`)).rows[0].id;
    const nc = await connect({ servers: sys.env.NATS_URL });
    try {
      const names = namesFor(sys.env.NAMESPACE);
      const event = {
        id: '990001', period: '2025-Q2', unit: 'nanxian', unitId, unitName: '南县', action: 'quarterly-interview', convener: '市人民政府分管副市长',
        convenerPost: 'vice-mayor-in-charge', interviewee: '分管负责人', intervieweeRole: 'deputy', reason: '连续两个季度排名后两位', deadline: '2025-07-15',
        status: 'open', raisedAt: Date.now() - 40 * 86_400_000,
      };
      await nc.jetstream().publish(names.subjects.accountabilityRaised, Buffer.from(JSON.stringify(event)), { msgID: 'accountability:990001' });
      await waitFor(async () => (await sys.db.query(`SELECT 1 FROM scheduler_accountability_actions WHERE action_id = '990001' AND status = 'open'`)).rowCount, 20000, 'the replayed action recorded');
    } finally {
      await nc.close();
    }
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM schedule_runs WHERE event_key = 'accountability:990001'`)).rows[0].n).toBe(0);
    const repeat = await runScheduleAndWait(sys, schedule.id, { asOf: new Date().toISOString() });
    expect(repeat.summary.repeated).toContain('990001');
  });

  it("an event left in scoring's outbox by a crash (committed, never published) is published by the sweep and alerted once", async () => {
    const schedule = (await api('/api/schedules')).body.find((s: { kind: string }) => s.kind === 'interview-alerts');
    const unitId = (await sys.db.query(`SELECT id::text AS id FROM units WHERE profile_key = 'datonghu'`)).rows[0].id;
    const event = {
      id: '990002', period: '2026-Q2', unit: 'datonghu', unitId, unitName: '大通湖区', action: 'quarterly-interview', convener: '市人民政府分管副市长',
      convenerPost: 'vice-mayor-in-charge', interviewee: '分管负责人', intervieweeRole: 'deputy', reason: '连续两个季度排名后两位', deadline: '2026-07-15',
      status: 'open', raisedAt: Date.now(),
    };
    await sys.db.query(
      `INSERT INTO scoring_outbox (subject_key, msg_id, payload, created_at) VALUES ('accountabilityRaised', 'accountability:990002', $1::jsonb, now() - interval '10 seconds')`,
      [JSON.stringify(event)],
    );
    const run = await waitFor(
      async () => (await sys.db.query(`SELECT id::text AS id, status FROM schedule_runs WHERE event_key = 'accountability:990002' AND status = 'done'`)).rows[0],
      30000,
      'the swept event to be alerted',
    );
    expect((await sys.db.query(`SELECT published_at FROM scoring_outbox WHERE msg_id = 'accountability:990002'`)).rows[0].published_at).not.toBeNull();
    const history = (await api(`/api/schedules/${schedule.id}/runs`)).body.find((r: { id: string }) => r.id === run.id);
    expect(history.pushes.map((p: { memberName: string }) => p.memberName)).toContain('廖志明');
    expect(history.pushes.every((p: { text: string }) => p.text.includes('期限：2026年7月15日 前'))).toBe(true);
  });

});
