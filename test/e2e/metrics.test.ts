import { ADMIN_TOKEN, repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';

const LEAD =
  '报线索 企业：湖南资江新材料有限公司 行业：新材料 投资额：3亿元 联系人：刘经理 13912340000 内容：拟建复合材料生产线';

/** One sample's value from a Prometheus text exposition: the sum over every series of `name` whose labels include `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      sum += Number(m[4]);
      found = true;
    }
  }
  return found ? sum : NaN;
}

/** An operator's Prometheus scraping the services while people report leads. */
describe('metrics and consume-loop health of the running services', () => {
  let sys: TestSystem;
  let member: string;
  const scrape = async (service: string) => {
    const res = await fetch(`http://127.0.0.1:${sys.mesh.port(service)}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  beforeAll(async () => {
    // The scheduler polls every 2 s so the schedule below fires within the test.
    sys = await startSystem({ extraEnv: async () => ({ SCHEDULER_QUIET_HOURS: 'off', SCHEDULER_POLL_MS: '2000', SCHEDULER_LEASE_MS: '4000' }) });
    const r = await sys.db.query(
      `SELECT m.wecom_user_id AS userid FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY m.id LIMIT 1`,
    );
    member = r.rows[0].userid;
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
  });

  it('every service serves process metrics labelled with its name', async () => {
    for (const service of sys.mesh.names()) {
      const text = await scrape(service);
      expect(sample(text, 'process_cpu_user_seconds_total', { service })).toBeGreaterThan(0);
      expect(sample(text, 'zs_jetstream_consume_loop_up')).not.toBe(0);
    }
  });

  it('a lead moves the callback, consumer and send counters, and a forged callback is counted as refused', async () => {
    const before = {
      accepted: sample(await scrape('bot-gateway'), 'zs_callbacks_total', { channel: 'wecom-app', outcome: 'accepted' }) || 0,
      handled: sample(await scrape('lead-intake'), 'zs_jetstream_messages_handled_total', { durable: 'lead-intake-inbound' }) || 0,
      sent: sample(await scrape('notification'), 'zs_notification_sends_total', { channel: 'wecom-app', result: 'sent' }) || 0,
    };
    const sent = await sys.sim.sendText(member, LEAD);
    expect(sent.acked).toBe(true);
    await waitFor(() => repliesTo(sys.sim, member).find((r) => /YY-\d{4}-\d{6}/.test(r)), 15000, 'the registration answer');

    const forged = await fetch(`${sys.gatewayUrl}/wecom/callback?msg_signature=0000&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n1`, {
      method: 'POST',
      body: '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
    });
    expect(forged.status).toBe(403);

    const gateway = await scrape('bot-gateway');
    expect(sample(gateway, 'zs_callbacks_total', { channel: 'wecom-app', outcome: 'accepted' })).toBeGreaterThan(before.accepted);
    expect(sample(gateway, 'zs_callbacks_total', { channel: 'wecom-app', outcome: 'refused', reason: 'signature_or_replay' })).toBe(1);
    expect(sample(gateway, 'zs_callback_ack_seconds_count', { channel: 'wecom-app', outcome: 'accepted' })).toBeGreaterThan(0);

    await waitFor(
      async () => sample(await scrape('lead-intake'), 'zs_jetstream_messages_handled_total', { durable: 'lead-intake-inbound' }) > before.handled,
      10000,
      'lead-intake counting the handled message',
    );
    await waitFor(
      async () => sample(await scrape('notification'), 'zs_notification_sends_total', { channel: 'wecom-app', result: 'sent' }) > before.sent,
      10000,
      'notification counting the sent answer',
    );
    const intake = await scrape('lead-intake');
    expect(sample(intake, 'zs_jetstream_consumer_pending', { durable: 'lead-intake-inbound' })).toBe(0);
    expect(sample(intake, 'zs_jetstream_dead_letters_total')).toBeNaN();
  });

  it('serves BullMQ queue depths, throttle waits, schedule firings with their delay, and the callback series', async () => {
    const notification = await scrape('notification');
    // Read from Redis at scrape time: a number for every state of the outbound queue, even when empty.
    for (const queue of ['outbound', 'evidence-fetch']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sample(notification, 'zs_bullmq_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
      }
    }
    expect(notification).toContain('# TYPE zs_notification_throttle_wait_seconds histogram');
    // The callback series (long connections count into it under their own channel: callback-metrics.spec.ts).
    expect(await scrape('bot-gateway')).toContain('# TYPE zs_callbacks_total counter');

    const memberId = (await sys.db.query(`SELECT id FROM members WHERE wecom_user_id = $1`, [member])).rows[0].id;
    const created = await sys.admin('/api/schedules', {
      method: 'POST',
      body: JSON.stringify({ name: '指标测试', cron: '*/2 * * * * *', message: '指标节拍', audience: { members: [memberId] } }),
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    try {
      await waitFor(
        async () => sample(await scrape('scheduler'), 'zs_schedule_firings_total', { trigger: 'slot', outcome: 'fired' }) >= 2,
        30000,
        'the scheduler counting two firings',
      );
      const scheduler = await scrape('scheduler');
      expect(sample(scheduler, 'zs_schedule_fire_delay_seconds_count', { trigger: 'slot' })).toBeGreaterThanOrEqual(2);
      expect(scheduler).toContain('# TYPE zs_schedule_fire_delay_seconds histogram');
    } finally {
      await sys.admin(`/api/schedules/${id}`, { method: 'PATCH', body: JSON.stringify({ enabled: false }) });
    }
  });

  it('Bull Board at /admin/queues: 401 without the administrator token, the board with it', async () => {
    const none = await fetch(`${sys.gatewayUrl}/admin/queues`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${sys.gatewayUrl}/admin/queues/api/queues`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);

    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const page = await fetch(`${sys.gatewayUrl}/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${sys.gatewayUrl}/admin/queues/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name)).toContain('outbound');
  });

  it('a service whose consume loop can no longer take messages turns unready, and says which', async () => {
    const ready = await fetch(`http://127.0.0.1:${sys.mesh.port('lead-intake')}/health/ready`);
    expect(ready.status).toBe(200);

    const { connect } = await import('nats');
    const nc = await connect({ servers: sys.env.NATS_URL });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.delete(`${sys.env.NAMESPACE.toUpperCase()}_CHAT_INBOUND`, 'lead-intake-inbound');
    } finally {
      await nc.close();
    }

    const body = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${sys.mesh.port('lead-intake')}/health/ready`);
        return res.status === 503 ? res.json() : undefined;
      },
      15000,
      'lead-intake to turn unready',
    );
    expect(JSON.stringify(body)).toContain('lead-intake-inbound');
    expect(sample(await scrape('lead-intake'), 'zs_jetstream_consume_loop_up', { durable: 'lead-intake-inbound' })).toBe(0);
    // Liveness is not readiness: the process answers, so an orchestrator replaces it rather than killing it blindly.
    expect((await fetch(`http://127.0.0.1:${sys.mesh.port('lead-intake')}/health/live`)).status).toBe(200);
  });
});
