import crypto from 'crypto';
import { connect } from 'nats';
import { dingtalkCallbackSign, signDingtalkRobotUrl } from '@zs/channels';
import { namesFor, NotifyRequest } from '@zs/contracts';
import { DingtalkSimulator } from '@zs/platform-sim';
import { waitForDrained } from '../support/drain';
import { startSystem, TestSystem, waitFor } from '../support/harness';

const LEAD =
  '报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地';

interface DemoMember {
  staffId: string;
  unitName: string;
  mobile: string;
}

/**
 * People typing to the DingTalk app robot: through HTTP mode (signed callbacks, retried) and
 * Stream mode (the gateway's own WebSocket client, ACKs, redelivery, reconnects), answered
 * through the sessionWebhook, or through the OpenAPI once it expired.
 */
describe('DingTalk app robot, end to end', () => {
  let sys: TestSystem;
  let dt: DingtalkSimulator;
  let members: DemoMember[];
  const app = { clientId: 'dingtest0000000001', clientSecret: crypto.randomBytes(24).toString('hex'), robotCode: 'dingtest0000000001' };
  const customRobot = { token: crypto.randomBytes(32).toString('hex'), secret: `SEC${crypto.randomBytes(32).toString('hex')}` };
  const sessions: string[] = [];

  const replies = (staffId: string) => dt.repliesTo(staffId);
  const texts = (staffId: string) => replies(staffId).map((d) => d.content);

  beforeAll(async () => {
    dt = new DingtalkSimulator({
      apps: [app],
      streamRedeliverMs: 2000,
      pingIntervalMs: 1000,
      disconnectGraceMs: 1000,
      httpTimeoutMs: 5000,
      members: async () => (members ?? []).map((m) => ({ staffId: m.staffId, name: m.staffId, unitName: m.unitName, mobile: m.mobile })),
    });
    await dt.start();
    dt.addCustomRobot(customRobot.token, { name: '市招商工作群', secret: customRobot.secret });
    sys = await startSystem({
      extraEnv: async ({ gatewayUrl }) => {
        dt.setCallbackUrl(`${gatewayUrl}/dingtalk/callback`);
        return {
          DINGTALK_CLIENT_ID: app.clientId,
          DINGTALK_CLIENT_SECRET: app.clientSecret,
          DINGTALK_ROBOT_CODE: app.robotCode,
          DINGTALK_API_BASE: dt.baseUrl,
          DINGTALK_OAPI_BASE: dt.baseUrl,
          DINGTALK_HTTP_ENABLED: 'true',
          DINGTALK_STREAM_ENABLED: 'true',
          DINGTALK_STREAM_BACKOFF_BASE_MS: '200',
          DINGTALK_STREAM_BACKOFF_MAX_MS: '2000',
          DINGTALK_CUSTOM_ROBOTS: JSON.stringify({ 'city-group': { accessToken: customRobot.token, secret: customRobot.secret } }),
        };
      },
    });
    const r = await sys.db.query(
      `SELECT m.dingtalk_staff_id AS "staffId", u.name AS "unitName", m.mobile AS mobile FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.dingtalk_staff_id IS NOT NULL ORDER BY m.id`,
    );
    members = r.rows;
    await waitFor(() => dt.openStreamConnections(app.clientId).length === 1, 20000, 'the gateway Stream connection');
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    await dt?.stop();
  });

  const remember = (r: { sessionWebhook: string }) => sessions.push(new URL(r.sessionWebhook).searchParams.get('session') ?? '');

  /** Sends, waits for the next answer to that person, returns it. */
  const ask = async (staffId: string, text: string, mode: 'http' | 'stream') => {
    const before = replies(staffId).length;
    const sent = await dt.sendText(staffId, text, { mode });
    remember(sent);
    expect(sent.acked).toBe(true);
    return waitFor(() => replies(staffId)[before], 15000, `the answer to ${staffId}`);
  };

  const leadCount = async (like: string) => (await sys.db.query(`SELECT count(*)::int AS n FROM leads WHERE company_name LIKE $1`, [like])).rows[0].n as number;

  it('HTTP mode: registers the lead and answers once through the sessionWebhook, also when DingTalk retries', async () => {
    const a = members[0];
    const before = replies(a.staffId).length;
    const first = await dt.sendText(a.staffId, LEAD, { mode: 'http' });
    remember(first);
    expect(first).toMatchObject({ acked: true, attempts: 1, statuses: [200] });
    // Speed is the benchmark's business; the figure is printed for the record.
    // eslint-disable-next-line no-console
    console.log(`dingtalk figures: HTTP callback acknowledged in ${first.ackMs[0]} ms`);
    // DingTalk sends the same msgId again (its answer got lost on the way back).
    const retry = await dt.sendText(a.staffId, LEAD, { mode: 'http', msgId: first.msgId });
    expect(retry.acked).toBe(true);
    const answer = await waitFor(() => replies(a.staffId)[before], 15000, 'the answer');
    expect(answer.via).toBe('session');
    expect(answer.content).toMatch(/YY-\d{4}-\d{6}/);
    expect(answer.content).toContain(a.unitName);
    // Nothing left in any stream or queue: a duplicate answer would have gone out by now.
    await waitForDrained(sys.env);
    expect(texts(a.staffId).slice(before).filter((t) => /YY-\d{4}-\d{6}/.test(t))).toHaveLength(1);
    expect(await leadCount('深圳市星河智能科技%')).toBe(1);
    const row = await sys.db.query(`SELECT source_platform, source_msg_id FROM leads WHERE company_name LIKE '深圳市星河智能科技%'`);
    expect(row.rows[0]).toEqual({ source_platform: 'dingtalk', source_msg_id: first.msgId });
  });

  it('Stream mode: registers once and answers once when the ACK is lost and DingTalk pushes the message again', async () => {
    const b = members.find((m) => m.unitName !== members[0].unitName)!;
    const text = LEAD.replace('深圳市星河智能科技', '长沙市麓谷重工').replace('5亿元', '8000万元');
    const before = replies(b.staffId).length;
    const sent = await dt.sendText(b.staffId, text, { mode: 'stream', loseFirstAck: true });
    remember(sent);
    expect(sent).toMatchObject({ acked: true, attempts: 2 });
    const answer = await waitFor(() => replies(b.staffId)[before], 15000, 'the answer');
    expect(answer.via).toBe('session');
    expect(answer.content).toContain(b.unitName);
    await waitForDrained(sys.env);
    expect(texts(b.staffId).slice(before).filter((t) => t.includes('长沙市麓谷重工'))).toHaveLength(1);
    expect(await leadCount('长沙市麓谷重工%')).toBe(1);
  });

  it('takes a message that arrives both ways (HTTP and Stream, same msgId) once', async () => {
    const c = members[2];
    const text = LEAD.replace('深圳市星河智能科技', '益阳市双通道测试').replace('5亿元', '3000万元');
    const before = replies(c.staffId).length;
    const msgId = dt.nextMsgId();
    const [h, s] = await Promise.all([dt.sendText(c.staffId, text, { mode: 'http', msgId }), dt.sendText(c.staffId, text, { mode: 'stream', msgId })]);
    remember(h);
    remember(s);
    expect(h.acked && s.acked).toBe(true);
    await waitFor(() => replies(c.staffId)[before], 15000, 'the answer');
    await waitForDrained(sys.env);
    expect(texts(c.staffId).slice(before).filter((t) => t.includes('益阳市双通道测试'))).toHaveLength(1);
    expect(await leadCount('益阳市双通道测试%')).toBe(1);
  });

  it('Stream mode: answers pings, and after SYSTEM disconnect reconnects with a fresh ticket and keeps working', async () => {
    await waitFor(() => dt.pongs >= 1, 10000, 'a ping echoed');
    expect(dt.badPongs).toBe(0);
    const ticketsBefore = dt.ticketsIssued(app.clientId);
    expect(dt.disconnect(app.clientId)).toBe(1);
    await waitFor(() => dt.ticketsIssued(app.clientId) === ticketsBefore + 1 && dt.openStreamConnections(app.clientId).length === 1, 15000, 'a new connection');
    expect(dt.rejectedTickets).toBe(0);
    const reply = await ask(members[3].staffId, '帮助', 'stream');
    expect(reply.content).toContain('报线索');
  });

  it('Stream mode: comes back after the network drops the connection', async () => {
    const ticketsBefore = dt.ticketsIssued(app.clientId);
    dt.dropConnections(app.clientId);
    await waitFor(() => dt.ticketsIssued(app.clientId) > ticketsBefore && dt.openStreamConnections(app.clientId).length === 1, 15000, 'a new connection');
    const reply = await ask(members[3].staffId, '帮助', 'stream');
    expect(reply.via).toBe('session');
  });

  it('answers through the OpenAPI 1:1 message when the sessionWebhook expired', async () => {
    const d = members[4];
    const before = replies(d.staffId).length;
    // A sessionWebhook about to expire (inside notification's safety margin).
    const sent = await dt.sendText(d.staffId, '帮助', { mode: 'http', sessionWebhookTtlMs: 5000 });
    remember(sent);
    const answer = await waitFor(() => replies(d.staffId)[before], 20000, 'the fallback answer');
    expect(answer).toMatchObject({ via: 'oto', robotCode: app.robotCode, userIds: [d.staffId] });
    expect(answer.content).toContain('报线索');
    // The delivery log is written right after DingTalk accepted the message.
    const log = await waitFor(async () => {
      const r = await sys.db.query(`SELECT channel, status FROM delivery_log WHERE dedup_key = $1`, [`reply:dingtalk:${sent.msgId}`]);
      return r.rows.length ? r.rows : undefined;
    }, 10000, 'the delivery log');
    expect(log).toEqual([{ channel: 'dingtalk-oto', status: 'sent' }]);
  });

  it('answers a group @-mention in the group, through the OpenAPI group message once the sessionWebhook expired', async () => {
    const e = members[5];
    const group = dt.listGroups()[0].openConversationId;
    const before = dt.groupMessages(group).length;
    const sent = await dt.sendText(e.staffId, '帮助', { mode: 'stream', group, sessionWebhookTtlMs: 5000 });
    remember(sent);
    const answer = await waitFor(() => dt.groupMessages(group)[before], 20000, 'the group answer');
    expect(answer).toMatchObject({ via: 'group', conversationId: group, conversationType: '2' });
    expect(answer.content).toContain('报线索');
  });

  it('sends a notice through the signed custom robot webhook, with @-mentions', async () => {
    const { NAMESPACE } = sys.env;
    const nc = await connect({ servers: sys.env.NATS_URL.split(',') });
    const req: NotifyRequest = {
      dedupKey: `test:custom-robot:${crypto.randomBytes(4).toString('hex')}`,
      target: { channel: 'dingtalk-custom-robot', robotId: 'city-group', mentionMobiles: [members[0].mobile] },
      format: 'markdown',
      title: '线索报送提醒',
      content: '### 线索报送提醒\n请各单位本周五前报送线索。',
      requestedAt: Date.now(),
    };
    await nc.jetstream().publish(namesFor(NAMESPACE).subjects.notifySend, Buffer.from(JSON.stringify(req)), { msgID: req.dedupKey });
    await nc.close();
    const got = await waitFor(() => dt.customRobotMessages('市招商工作群')[0], 15000, 'the custom robot message');
    expect(got).toMatchObject({ msgtype: 'markdown', title: '线索报送提醒', atMobiles: [members[0].mobile] });
    expect(got.content).toContain(`@${members[0].mobile}`);
  });

  describe('bad input on POST /dingtalk/callback', () => {
    const valid = () => dt.buildRobotMessage(members[0].staffId, '帮助');
    const signed = (ts = Date.now()) => ({ timestamp: String(ts), sign: dingtalkCallbackSign(app.clientSecret, ts) });
    const inboundCount = async () => (await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE platform = 'dingtalk'`)).rows[0].n as number;

    it('answers every bad request with a clean 4xx and processes none of them', async () => {
      const before = await inboundCount();
      const body = JSON.stringify(valid());
      const json = { 'content-type': 'application/json' };
      const cases: Array<[string, { headers: Record<string, string>; body: string | Buffer }, number]> = [
        ['no signature headers', { headers: json, body }, 401],
        ['only a timestamp', { headers: { ...json, timestamp: String(Date.now()) }, body }, 401],
        ['a wrong signature', { headers: { ...json, ...signed(), sign: dingtalkCallbackSign('another-secret', Date.now()) }, body }, 403],
        ['a signature URL-encoded like the webhook one', { headers: { ...json, timestamp: String(1690362102194), sign: signDingtalkRobotUrl(app.clientSecret, 1690362102194).sign }, body }, 403],
        ['a timestamp two hours old (correctly signed)', { headers: { ...json, ...signed(Date.now() - 2 * 3600_000) }, body }, 403],
        ['a timestamp two hours ahead (correctly signed)', { headers: { ...json, ...signed(Date.now() + 2 * 3600_000) }, body }, 403],
        ['a timestamp that is not a number', { headers: { ...json, timestamp: 'yesterday', sign: 'abc=' }, body }, 403],
        ['malformed JSON', { headers: { ...json, ...signed() }, body: '{"msgId": "x", ' }, 400],
        ['JSON that is not a robot message', { headers: { ...json, ...signed() }, body: '{"hello":"world"}' }, 400],
        ['an array', { headers: { ...json, ...signed() }, body: '[1,2,3]' }, 400],
        ['invalid UTF-8', { headers: { ...json, ...signed() }, body: Buffer.concat([Buffer.from('{"msgId":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) }, 400],
        ['an oversized body', { headers: { ...json, ...signed() }, body: JSON.stringify({ ...valid(), text: { content: '长'.repeat(40000) } }) }, 413],
        ['an empty body', { headers: { ...json, ...signed() }, body: '' }, 400],
      ];
      for (const [what, req, status] of cases) {
        const r = await dt.sendRawCallback(req);
        expect({ what, status: r.status }).toEqual({ what, status });
        expect(() => JSON.parse(r.body)).not.toThrow();
      }
      // A good message after all that is processed, and it is the only new one.
      await ask(members[0].staffId, '帮助', 'http');
      expect(await inboundCount()).toBe(before + 1);
      const health = await fetch(`${sys.gatewayUrl}/health/ready`);
      expect(health.status).toBe(200);
    });

    it('accepts a correctly signed raw callback and answers 200 {} at once', async () => {
      const msg = valid();
      const r = await dt.sendRawCallback({ headers: { 'content-type': 'application/json', ...signed() }, body: JSON.stringify(msg) });
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({});
      // eslint-disable-next-line no-console
      console.log(`dingtalk figures: raw signed callback answered in ${r.ms} ms`);
    });
  });

  it('never writes a secret to the logs', async () => {
    // Its own traffic, so that the logs hold what could leak: a Stream reconnect (a new
    // ticket), a message each way and a sessionWebhook answer.
    const ticketsBefore = dt.ticketsIssued(app.clientId);
    dt.dropConnections(app.clientId);
    await waitFor(() => dt.ticketsIssued(app.clientId) > ticketsBefore && dt.openStreamConnections(app.clientId).length === 1, 15000, 'a new connection');
    await ask(members[6].staffId, '帮助', 'stream');
    await ask(members[6].staffId, '帮助', 'http');
    const all = sys.logs.join('\n');
    expect(all).toContain('DingTalk Stream connected');
    const tickets = dt.issuedTickets();
    expect(tickets.length).toBeGreaterThanOrEqual(2);
    for (const secret of [app.clientSecret, customRobot.token, customRobot.secret, ...sessions.filter(Boolean), ...tickets]) {
      expect(all).not.toContain(secret);
    }
  });
});
