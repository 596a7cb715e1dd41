import { randomUUID } from 'node:crypto';
import { connect, NatsConnection } from 'nats';
import { namesFor, NotifyRequest } from '@zs/contracts';
import { ADMIN_TOKEN, startSystem, TestSystem, waitFor } from '../support/harness';
import { personalTokenFor } from '../support/admin-tokens';

/**
 * The delivery log in the admin API (issue 11, 群机器人与消息): a notice sent through notification
 * is found in GET /api/deliveries with its recipient and outcome (never its text), the filters
 * narrow the page, and only the city and leaders may read it.
 */
describe('GET /api/deliveries: the delivery log', () => {
  let sys: TestSystem;
  let nc: NatsConnection;
  const RECIPIENT = 'commerce.fanwenjing';
  const dedupKey = `e2e:deliveries:${randomUUID()}`;
  const TEXT = '交付日志测试通知：请于本周五前报送线索台账';

  const get = async (path: string, token = ADMIN_TOKEN) => {
    const res = await fetch(`${sys.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  };

  const tokenFor = (username: string, password: string) => personalTokenFor(sys.gatewayUrl, username, password, 'deliveries');

  beforeAll(async () => {
    sys = await startSystem({ services: ['bot-gateway', 'notification'] });
    nc = await connect({ servers: sys.env.NATS_URL });
  }, 180000);

  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  it('finds a sent notice by recipient, with its outcome and without its text', async () => {
    const req: NotifyRequest = { dedupKey, target: { channel: 'wecom-app', userIds: [RECIPIENT] }, format: 'text', content: TEXT, requestedAt: Date.now() };
    await nc.jetstream().publish(namesFor(sys.env.NAMESPACE).subjects.notifySend, Buffer.from(JSON.stringify(req)), { msgID: dedupKey });

    const page = await waitFor(async () => {
      const r = await get(`/api/deliveries?q=${encodeURIComponent('FanWenJing')}&status=sent&channel=wecom-app`);
      expect(r.status).toBe(200);
      return r.json.items.some((d: { dedupKey: string }) => d.dedupKey === dedupKey) ? r : undefined;
    }, 60000, 'the notice in the delivery log');
    const row = page.json.items.find((d: { dedupKey: string }) => d.dedupKey === dedupKey);
    expect(row).toMatchObject({ channel: 'wecom-app', target: RECIPIENT, status: 'sent', format: 'text', errcode: 0 });
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(new Date(row.createdAt).toISOString()).toBe(row.createdAt);
    expect(page.json.total).toBeGreaterThanOrEqual(1);
    expect(page.text).not.toContain(TEXT);
  });

  it('narrows the page by status, channel, time and recipient, and pages with limit/offset', async () => {
    const has = async (query: string) => ((await get(`/api/deliveries?${query}`)).json.items as { dedupKey: string }[]).some((d) => d.dedupKey === dedupKey);
    expect(await has('limit=500')).toBe(true);
    expect(await has('status=failed')).toBe(false);
    expect(await has('channel=wecom-group-robot')).toBe(false);
    expect(await has('q=nobody.here')).toBe(false);
    expect(await has(`to=${encodeURIComponent('2020-01-01T00:00:00Z')}`)).toBe(false);
    expect(await has(`from=${encodeURIComponent('2020-01-01T00:00:00Z')}&to=${encodeURIComponent('2100-01-01T00:00:00Z')}`)).toBe(true);
    // a wildcard in q is a literal character, not "anything"
    expect(await has('q=%25')).toBe(false);

    const all = (await get('/api/deliveries?limit=1')).json;
    expect(all.items).toHaveLength(1);
    expect((await get(`/api/deliveries?limit=1&offset=${all.total}`)).json.items).toHaveLength(0);

    for (const bad of ['status=lost', 'from=yesterday', 'limit=0', 'offset=-1', 'channel=DROP%20TABLE']) {
      expect([bad, (await get(`/api/deliveries?${bad}`)).status]).toEqual([bad, 400]);
    }
  });

  it('is read by leaders and refused to unit administrators', async () => {
    for (const a of [
      { username: 'heshan.deliveries', displayName: '赫山区招商办', password: 'deliveries-pass-unit', role: 'unit-admin', unit: '赫山区' },
      { username: 'leader.deliveries', displayName: '分管副市长', password: 'deliveries-pass-lead', role: 'leader' },
    ]) {
      expect((await sys.admin('/api/accounts', { method: 'POST', body: JSON.stringify(a) })).status).toBe(201);
    }
    const unit = await get('/api/deliveries', await tokenFor('heshan.deliveries', 'deliveries-pass-unit'));
    expect(unit.status).toBe(403);
    expect(unit.text).not.toContain(RECIPIENT);
    const leader = await get('/api/deliveries', await tokenFor('leader.deliveries', 'deliveries-pass-lead'));
    expect(leader.status).toBe(200);
    expect(leader.json.items.some((d: { dedupKey: string }) => d.dedupKey === dedupKey)).toBe(true);
  });
});
