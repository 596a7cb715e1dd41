import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { signDingtalkRobotUrl, verifyDingtalkCallback } from '@zs/channels';
import { DingtalkSimulator, dingtalkSimUnionIdOf } from './dingtalk-simulator';

const APP = { clientId: 'dingsimspec', clientSecret: 'sim-spec-secret-0123456789' };

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('DingtalkSimulator', () => {
  let sim: DingtalkSimulator;
  let now = 1_700_000_000_000;

  beforeEach(async () => {
    now = Date.now();
    sim = new DingtalkSimulator({ apps: [APP], now: () => now, httpTimeoutMs: 1000, httpRetryDelayMs: 10 });
    await sim.start();
  });
  afterEach(async () => {
    await sim.stop();
  });

  describe('HTTP mode callbacks', () => {
    let server: http.Server;
    let seen: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
    let answer: (i: number) => number;

    beforeEach(async () => {
      seen = [];
      answer = () => 200;
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          seen.push({ headers: req.headers, body });
          res.writeHead(answer(seen.length), { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      sim.setCallbackUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/callback`);
    });
    afterEach(async () => {
      await new Promise((r) => server.close(r));
    });

    it('signs each callback as DingTalk does (verifiable with the app secret) and sends the robot message body', async () => {
      const r = await sim.sendText('ds0101', '你好', { mode: 'http' });
      expect(r.acked).toBe(true);
      const { headers, body } = seen[0];
      expect(verifyDingtalkCallback({ timestamp: headers.timestamp, sign: headers.sign }, APP.clientSecret, Date.now())).toEqual({ ok: true });
      const msg = JSON.parse(body);
      expect(msg).toMatchObject({ msgId: r.msgId, senderStaffId: 'ds0101', conversationType: '1', msgtype: 'text', text: { content: ' 你好' }, robotCode: APP.clientId });
      expect(msg.sessionWebhook).toBe(r.sessionWebhook);
      expect(msg.sessionWebhookExpiredTime).toBe(now + 90 * 60_000);
    });

    it('retries with the same msgId until it gets a 200', async () => {
      answer = (i) => (i < 3 ? 503 : 200);
      const r = await sim.sendText('ds0101', '你好', { mode: 'http' });
      expect(r).toMatchObject({ acked: true, attempts: 3, statuses: [503, 503, 200] });
      expect(new Set(seen.map((s) => JSON.parse(s.body).msgId)).size).toBe(1);
    });
  });

  describe('Stream gateway', () => {
    it('issues single-use tickets only for the right credentials and the robot topic', async () => {
      const bad = await post(`${sim.baseUrl}/v1.0/gateway/connections/open`, { clientId: APP.clientId, clientSecret: 'nope', subscriptions: [] });
      expect(bad.status).toBe(401);
      const open = await post(`${sim.baseUrl}/v1.0/gateway/connections/open`, {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
      });
      expect(open.status).toBe(200);
      const url = `${open.body.endpoint}?ticket=${open.body.ticket}`;
      const first = new WebSocket(url);
      await new Promise((resolve, reject) => first.once('open', resolve).once('error', reject));
      const second = new WebSocket(url);
      const status = await new Promise<number>((resolve) => second.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(401);
      expect(sim.rejectedTickets).toBe(1);
      first.close();
    });

    it('pushes a message again when the ACK does not come, with the same msgId', async () => {
      await sim.stop();
      sim = new DingtalkSimulator({ apps: [APP], streamRedeliverMs: 200, streamMaxDeliveries: 3, pingIntervalMs: 0 });
      await sim.start();
      const open = await post(`${sim.baseUrl}/v1.0/gateway/connections/open`, {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret,
        subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }],
      });
      const ws = new WebSocket(`${open.body.endpoint}?ticket=${open.body.ticket}`);
      const frames: Array<{ headers: { messageId: string }; data: string }> = [];
      ws.on('message', (d) => {
        const f = JSON.parse(String(d));
        frames.push(f);
        // ACK only the second push.
        if (frames.length === 2) ws.send(JSON.stringify({ code: 200, headers: { messageId: f.headers.messageId, contentType: 'application/json' }, message: 'OK', data: '{"response":null}' }));
      });
      await new Promise((r) => ws.once('open', r));
      const r = await sim.sendText('ds0101', '你好', { mode: 'stream' });
      expect(r).toMatchObject({ acked: true, attempts: 2 });
      expect(frames[0].headers.messageId).not.toBe(frames[1].headers.messageId);
      expect(JSON.parse(frames[0].data).msgId).toBe(JSON.parse(frames[1].data).msgId);
      ws.close();
    });
  });

  describe('ways out', () => {
    it('accepts a sessionWebhook reply until it expires, then answers errcode 300001', async () => {
      const msg = sim.buildRobotMessage('ds0101', '你好', { sessionWebhookTtlMs: 60_000 });
      const ok = await post(msg.sessionWebhook as string, { msgtype: 'text', text: { content: '收到' } });
      expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok' });
      expect(sim.repliesTo('ds0101').map((d) => d.content)).toEqual(['收到']);
      now += 61_000;
      const late = await post(msg.sessionWebhook as string, { msgtype: 'text', text: { content: '迟到' } });
      expect(late.body.errcode).toBe(300001);
    });

    it('verifies custom robot signatures (PROTOCOLS.md vector) and answers 310000 on a bad one', async () => {
      const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
      sim.addCustomRobot('tok1', { name: '测试群', secret });
      const ts = 1690362102194;
      now = ts + 1000;
      const s = signDingtalkRobotUrl(secret, ts);
      expect(s.sign).toBe('sEYyYxAlD2NFH91%2BAhjtdGBrQTxL4o9VzbtYGnH1NyY%3D');
      const body = { msgtype: 'text', text: { content: '通知' } };
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok1&timestamp=${ts}&sign=${s.sign}`, body)).body.errcode).toBe(0);
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok1&timestamp=${ts}&sign=AAAA`, body)).body).toEqual({ errcode: 310000, errmsg: 'sign not match' });
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok1`, body)).body.errcode).toBe(310000);
      now = ts + 3_600_001;
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok1&timestamp=${ts}&sign=${s.sign}`, body)).body.errcode).toBe(310000);
      expect((await post(`${sim.baseUrl}/robot/send?access_token=nope`, body)).body.errcode).toBe(300001);
      expect(sim.customRobotMessages('测试群')).toHaveLength(1);
    });

    it('allows 20 messages a minute per robot, then 130101 and a 10-minute throttle', async () => {
      sim.addCustomRobot('tok2', { name: '限流群' });
      const body = { msgtype: 'text', text: { content: 'x' } };
      const codes: number[] = [];
      for (let i = 0; i < 22; i++) codes.push((await post(`${sim.baseUrl}/robot/send?access_token=tok2`, body)).body.errcode as number);
      expect(codes.slice(0, 20).every((c) => c === 0)).toBe(true);
      expect(codes.slice(20)).toEqual([130101, 130101]);
      now += 61_000;
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok2`, body)).body.errcode).toBe(130101);
      now += 10 * 60_000;
      expect((await post(`${sim.baseUrl}/robot/send?access_token=tok2`, body)).body.errcode).toBe(0);
    });

    it('serves the OpenAPI: token, group and 1:1 robot messages with their error shapes', async () => {
      const tok = await post(`${sim.baseUrl}/v1.0/oauth2/accessToken`, { appKey: APP.clientId, appSecret: APP.clientSecret });
      expect(tok.body).toEqual({ accessToken: expect.any(String), expireIn: 7200 });
      const h = { 'x-acs-dingtalk-access-token': tok.body.accessToken as string };
      const group = sim.listGroups()[0].openConversationId;
      const g = await post(`${sim.baseUrl}/v1.0/robot/groupMessages/send`, { robotCode: APP.clientId, openConversationId: group, msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '标题', text: '## 内容' }) }, h);
      expect(g.status).toBe(200);
      expect(sim.groupMessages(group)[0]).toMatchObject({ via: 'group', msgtype: 'markdown', title: '标题', content: '## 内容' });
      const o = await post(`${sim.baseUrl}/v1.0/robot/oToMessages/batchSend`, { robotCode: APP.clientId, userIds: ['ds0101'], msgKey: 'sampleText', msgParam: '{"content":"你好"}' }, h);
      expect(o.body).toMatchObject({ invalidStaffIdList: [], flowControlledStaffIdList: [] });
      expect(sim.repliesTo('ds0101')[0]).toMatchObject({ via: 'oto', content: '你好' });
      const noToken = await post(`${sim.baseUrl}/v1.0/robot/oToMessages/batchSend`, {}, { 'x-acs-dingtalk-access-token': 'bad' });
      expect(noToken).toMatchObject({ status: 401, body: { code: 'InvalidAuthentication' } });
      const badGroup = await post(`${sim.baseUrl}/v1.0/robot/groupMessages/send`, { robotCode: APP.clientId, openConversationId: 'cidNope', msgKey: 'sampleText', msgParam: '{"content":"x"}' }, h);
      expect(badGroup).toMatchObject({ status: 400, body: { code: 'invalid.openConversationId' } });
      sim.revokeTokens();
      const revoked = await post(`${sim.baseUrl}/v1.0/robot/oToMessages/batchSend`, { robotCode: APP.clientId, userIds: ['ds0101'], msgKey: 'sampleText', msgParam: '{"content":"x"}' }, h);
      expect(revoked.status).toBe(401);
    });
  });

  describe('web sign-in (钉钉登录)', () => {
    const authorize = (extra: Record<string, string> = {}) => {
      const u = new URL('/oauth2/auth', sim.baseUrl);
      const q = { redirect_uri: 'http://console.example/api/auth/dingtalk/callback', response_type: 'code', client_id: APP.clientId, scope: 'openid', state: 'st4te', prompt: 'consent', ...extra };
      for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
      return u;
    };

    it('hands an authCode to the redirect_uri, exchanges it once for a token, and the token names the person by unionId', async () => {
      const page = await fetch(authorize({ client_id: 'unknown' }));
      expect(page.status).toBe(400);
      const picked = await fetch(authorize({ staffId: 'ds0101' }), { redirect: 'manual' });
      expect(picked.status).toBe(302);
      const back = new URL(picked.headers.get('location')!);
      expect(back.origin + back.pathname).toBe('http://console.example/api/auth/dingtalk/callback');
      expect(back.searchParams.get('state')).toBe('st4te');
      const code = back.searchParams.get('authCode')!;
      expect(back.searchParams.get('code')).toBeNull();
      const denied = await fetch(authorize({ deny: '1' }), { redirect: 'manual' });
      expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied');

      const wrongSecret = await post(`${sim.baseUrl}/v1.0/oauth2/userAccessToken`, { clientId: APP.clientId, clientSecret: 'nope', code, grantType: 'authorization_code' });
      expect(wrongSecret.status).toBe(400);
      const t = await post(`${sim.baseUrl}/v1.0/oauth2/userAccessToken`, { clientId: APP.clientId, clientSecret: APP.clientSecret, code, grantType: 'authorization_code' });
      expect(t.status).toBe(200);
      expect(t.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expireIn: 7200 });
      const again = await post(`${sim.baseUrl}/v1.0/oauth2/userAccessToken`, { clientId: APP.clientId, clientSecret: APP.clientSecret, code, grantType: 'authorization_code' });
      expect(again).toMatchObject({ status: 400, body: { code: 'invalidAuthCode' } });

      const me = await fetch(`${sim.baseUrl}/v1.0/contact/users/me`, { headers: { 'x-acs-dingtalk-access-token': String(t.body.accessToken) } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ unionId: dingtalkSimUnionIdOf('ds0101'), nick: 'ds0101', openId: expect.any(String) });
      const nobody = await fetch(`${sim.baseUrl}/v1.0/contact/users/me`, { headers: { 'x-acs-dingtalk-access-token': 'bad' } });
      expect(nobody.status).toBe(401);
    });
  });
});
