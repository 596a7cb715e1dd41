import type Redis from 'ioredis';
import { DingtalkSimulator } from '@zs/platform-sim';
import { utf8Bytes } from '@zs/channels';
import { PermanentSendError, RetryLaterError, SendContext, TargetExpiredError } from '../channels/channel-sender';
import type { RateLimiter } from '../rate-limit';
import { classifyOpenApi, classifyWebhook, DINGTALK_THROTTLE_MS } from './dingtalk-errors';
import { deriveTitle, planDingtalkParts, webhookBody } from './dingtalk-message';
import { DingtalkApiError, DingtalkOpenApi } from './dingtalk-openapi';
import { DingtalkApps, DingtalkCustomRobotSender, DingtalkGroupSender, DingtalkOtoSender, DingtalkSessionSender } from './dingtalk-senders';
import { EnvRobotCredentials } from './robot-credentials';

/** Enough of ioredis for the token cache: one store shared by "replicas". */
function fakeRedis(store = new Map<string, { v: string; until: number }>()) {
  return {
    store,
    async get(k: string): Promise<string | null> {
      const e = store.get(k);
      return e && e.until > Date.now() ? e.v : null;
    },
    async set(k: string, v: string, mode: string, ttl: number, nx?: string) {
      const live = store.get(k);
      if (nx === 'NX' && live && live.until > Date.now()) return null;
      store.set(k, { v, until: Date.now() + (mode === 'EX' ? ttl * 1000 : ttl) });
      return 'OK';
    },
    async del(k: string) {
      return store.delete(k) ? 1 : 0;
    },
  } as unknown as Redis & { store: Map<string, unknown> };
}

function ctx(alreadySentParts = 0): SendContext & { sent: number[] } {
  const sent: number[] = [];
  return { alreadySentParts, attempt: 1, sent, onPartSent: async (n) => void sent.push(n) };
}

const APP = { clientId: 'dingnotifyspec', clientSecret: 'notify-spec-secret-0123456789', robotCode: 'dingnotifyspec' };

describe('DingTalk message planning', () => {
  it('splits long text by UTF-8 bytes without losing or breaking a character', () => {
    const content = '招商引资线索登记'.repeat(1000) + '😀'.repeat(2000);
    const parts = planDingtalkParts({ format: 'text', content }, undefined, 5000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.text).join('')).toBe(content);
    for (const p of parts) expect(utf8Bytes(p.text)).toBeLessThanOrEqual(5000);
    expect(parts.every((p) => p.msgtype === 'text' && !p.at)).toBe(true);
  });

  it('gives markdown a title (its own, or the first line) and numbers the parts', () => {
    expect(deriveTitle('## **本周线索** 汇总\n正文')).toBe('本周线索 汇总');
    expect(deriveTitle('   \n')).toBe('招商助手通知');
    const one = planDingtalkParts({ format: 'markdown', content: '### 通报\n内容' });
    expect(one).toEqual([{ msgtype: 'markdown', title: '通报', text: '### 通报\n内容' }]);
    const many = planDingtalkParts({ format: 'markdown', title: '季度排名', content: 'x'.repeat(12000) }, undefined, 5000);
    expect(many.map((p) => p.title)).toEqual(['季度排名（1/3）', '季度排名（2/3）', '季度排名（3/3）']);
  });

  it('puts @-mentions on the last part only, in the text and in `at`', () => {
    const parts = planDingtalkParts({ format: 'text', content: '甲'.repeat(3000) }, { mobiles: ['13800000001'], userIds: ['ds0101', '@all'] }, 4000);
    const last = parts[parts.length - 1];
    expect(last.at).toEqual({ atMobiles: ['13800000001'], atUserIds: ['ds0101'], isAtAll: true });
    expect(last.text.endsWith('@13800000001 @ds0101 @所有人')).toBe(true);
    expect(parts.slice(0, -1).every((p) => !p.at)).toBe(true);
    expect(webhookBody(last)).toMatchObject({ msgtype: 'text', at: { atMobiles: ['13800000001'], atUserIds: ['ds0101'], isAtAll: true } });
  });

  it('renders a structured message as DingTalk markdown', () => {
    const parts = planDingtalkParts({
      format: 'markdown',
      content: 'fallback',
      rich: { title: '一季度排名', blocks: [{ kind: 'paragraph', text: '各单位得分如下' }, { kind: 'list', items: ['赫山区 95', '资阳区 90'] }] },
    });
    expect(parts[0].title).toBe('一季度排名');
    expect(parts[0].text).toContain('赫山区 95');
  });
});

describe('DingTalk error classification', () => {
  it('reads HTTP 200 webhook answers by errcode', () => {
    expect(classifyWebhook(200, { errcode: 0, errmsg: 'ok' })).toEqual({ ok: true });
    const fast = classifyWebhook(200, { errcode: 130101, errmsg: 'send too fast' });
    expect(!fast.ok && fast.error).toBeInstanceOf(RetryLaterError);
    expect(!fast.ok && (fast.error as RetryLaterError).delayMs).toBe(DINGTALK_THROTTLE_MS);
    const sign = classifyWebhook(200, { errcode: 310000, errmsg: 'sign not match' });
    expect(!sign.ok && sign.error).toEqual(expect.objectContaining({ errcode: 310000, scope: 'channel' }));
    expect(!sign.ok && sign.error).toBeInstanceOf(PermanentSendError);
    const gone = classifyWebhook(200, { errcode: 300001, errmsg: 'token is not exist' });
    expect(!gone.ok && gone.error).toBeInstanceOf(PermanentSendError);
    for (const [status, body] of [[200, {}], [200, { errcode: -1, errmsg: 'busy' }], [502, {}]] as const) {
      const r = classifyWebhook(status, body);
      expect(!r.ok && r.error).toBeInstanceOf(DingtalkApiError);
    }
  });

  it('reads OpenAPI answers by status and code', () => {
    expect(classifyOpenApi({ status: 200, body: { processQueryKey: 'x' } })).toEqual({ ok: true });
    const cases: Array<[number, string, unknown, string?]> = [
      [400, 'invalidParameter.robotCode.notExsit', PermanentSendError, 'channel'],
      [400, 'invalid.openConversationId', PermanentSendError, 'recipient'],
      [400, 'invalidParameter.msgParam.tooLong', PermanentSendError, 'message'],
      [403, 'Forbidden.AccessDenied.AccessTokenPermissionDenied', PermanentSendError, 'channel'],
      [403, 'Forbidden.AccessDenied.QpsLimitForApi', RetryLaterError],
      [429, 'Throttling', RetryLaterError],
      [403, '130101', RetryLaterError],
      [401, 'InvalidAuthentication', DingtalkApiError],
      [500, 'ServiceUnavailable', DingtalkApiError],
    ];
    for (const [status, code, cls, scope] of cases) {
      const r = classifyOpenApi({ status, body: { code, message: 'm' } });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error).toBeInstanceOf(cls as never);
      if (scope) expect((r.error as PermanentSendError).scope).toBe(scope);
    }
  });
});

describe('DingTalk senders against the simulator', () => {
  let sim: DingtalkSimulator;
  let now = Date.now();

  beforeEach(async () => {
    now = Date.now();
    sim = new DingtalkSimulator({
      apps: [APP],
      now: () => now,
      members: async () => [
        { staffId: 'ds0101', name: '张伟', unitName: '赫山区', mobile: '13800000001' },
        { staffId: 'ds0102', name: '李敏', unitName: '赫山区' },
      ],
    });
    await sim.start();
  });
  afterEach(async () => {
    await sim.stop();
  });

  const api = (redis: Redis) => new DingtalkOpenApi(sim.baseUrl, APP, redis, 'spec', 5000);

  describe('sessionWebhook', () => {
    it('answers through the sessionWebhook while it is valid', async () => {
      const m = sim.buildRobotMessage('ds0101', '帮助');
      const s = new DingtalkSessionSender([new URL(sim.baseUrl).origin], 5000);
      const c = ctx();
      const r = await s.send({ channel: 'dingtalk-session', robotCode: APP.robotCode, sessionWebhook: m.sessionWebhook as string, expiresAt: m.sessionWebhookExpiredTime as number }, { format: 'text', content: '您好' }, c);
      expect(r).toEqual({ parts: 1 });
      expect(c.sent).toEqual([1]);
      expect(sim.repliesTo('ds0101').map((d) => [d.via, d.content])).toEqual([['session', '您好']]);
    });

    it('raises TargetExpiredError when it expired (by the clock, or by DingTalk), or is not on DingTalk', async () => {
      const m = sim.buildRobotMessage('ds0101', '帮助');
      const s = new DingtalkSessionSender([new URL(sim.baseUrl).origin], 5000);
      const target = { channel: 'dingtalk-session' as const, robotCode: APP.robotCode, sessionWebhook: m.sessionWebhook as string, expiresAt: Date.now() + 10_000 };
      await expect(s.send(target, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
      sim.expireSessions();
      await expect(s.send({ ...target, expiresAt: Date.now() + 3_600_000 }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
      await expect(
        s.send({ ...target, sessionWebhook: 'https://evil.example/robot/sendBySession?session=x', expiresAt: Date.now() + 3_600_000 }, { format: 'text', content: 'x' }, ctx()),
      ).rejects.toBeInstanceOf(TargetExpiredError);
      expect(sim.repliesTo('ds0101')).toHaveLength(0);
    });
  });

  describe('OpenAPI group and 1:1', () => {
    it('shares one token between replicas through Redis, refreshes it once when revoked', async () => {
      const redis = fakeRedis();
      const group = sim.listGroups()[0].openConversationId;
      const replicaA = new DingtalkGroupSender(new DingtalkApps([api(redis)]), { perRobot: [] });
      const replicaB = new DingtalkGroupSender(new DingtalkApps([api(redis)]), { perRobot: [] });
      const target = { channel: 'dingtalk-group' as const, robotCode: APP.robotCode, openConversationId: group };
      await replicaA.send(target, { format: 'markdown', title: '通报', content: '## 一季度\n完成' }, ctx());
      await replicaB.send(target, { format: 'text', content: '第二条' }, ctx());
      expect(sim.tokenIssued).toBe(1);
      sim.revokeTokens();
      await replicaA.send(target, { format: 'text', content: '第三条' }, ctx());
      expect(sim.tokenIssued).toBe(2);
      expect(sim.groupMessages(group).map((d) => [d.via, d.msgtype, d.title ?? '', d.content])).toEqual([
        ['group', 'markdown', '通报', '## 一季度\n完成'],
        ['group', 'text', '', '第二条'],
        ['group', 'text', '', '第三条'],
      ]);
      // The token is cached, never in a key name.
      expect([...(redis as unknown as { store: Map<string, unknown> }).store.keys()].every((k) => k.startsWith('spec:dingtalk:token:'))).toBe(true);
    });

    it('fails permanently for a robot that is not configured and for an unknown group', async () => {
      const s = new DingtalkGroupSender(new DingtalkApps([api(fakeRedis())]), { perRobot: [] });
      await expect(s.send({ channel: 'dingtalk-group', robotCode: 'other', openConversationId: 'cid' }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(PermanentSendError);
      await expect(s.send({ channel: 'dingtalk-group', robotCode: APP.robotCode, openConversationId: 'cidNope' }, { format: 'text', content: 'x' }, ctx())).rejects.toMatchObject({
        scope: 'recipient',
      });
    });

    it('sends 1:1 messages, reports unknown people, and gives up when nobody is valid', async () => {
      const s = new DingtalkOtoSender(new DingtalkApps([api(fakeRedis())]));
      const r = await s.send({ channel: 'dingtalk-oto', robotCode: APP.robotCode, userIds: ['ds0101', 'ghost'] }, { format: 'text', content: '您的线索已登记' }, ctx());
      expect(r).toEqual({ parts: 1, partial: true, note: 'invalid staffIds: ghost' });
      expect(sim.repliesTo('ds0101').map((d) => d.content)).toEqual(['您的线索已登记']);
      await expect(s.send({ channel: 'dingtalk-oto', robotCode: APP.robotCode, userIds: ['ghost'] }, { format: 'text', content: 'x' }, ctx())).rejects.toMatchObject({
        scope: 'recipient',
      });
    });
  });

  describe('custom robot', () => {
    const SECRET = 'SEC' + 'a1'.repeat(32);
    const robots = new EnvRobotCredentials([
      { robotId: 'city', accessToken: 'tok-city', secret: SECRET },
      { robotId: 'wrong', accessToken: 'tok-city', secret: 'SEC' + 'b2'.repeat(32) },
    ]);

    it('signs the webhook and @-mentions by mobile and userid', async () => {
      sim.addCustomRobot('tok-city', { name: '市招商群', secret: SECRET });
      const s = new DingtalkCustomRobotSender(sim.baseUrl, robots, { perRobot: [] }, 5000);
      await s.send({ channel: 'dingtalk-custom-robot', robotId: 'city', mentionMobiles: ['13800000001'], mentionUserIds: ['ds0102'] }, { format: 'markdown', title: '提醒', content: '请及时报送线索' }, ctx());
      expect(sim.customRobotMessages('市招商群')).toEqual([
        expect.objectContaining({ msgtype: 'markdown', title: '提醒', content: '请及时报送线索\n\n@13800000001 @ds0102', atMobiles: ['13800000001'], atUserIds: ['ds0102'] }),
      ]);
    });

    it('treats a bad signature (310000) as a broken channel, and an unknown robot id as this message only', async () => {
      sim.addCustomRobot('tok-city', { name: '市招商群', secret: SECRET });
      const s = new DingtalkCustomRobotSender(sim.baseUrl, robots, { perRobot: [] }, 5000);
      await expect(s.send({ channel: 'dingtalk-custom-robot', robotId: 'wrong' }, { format: 'text', content: 'x' }, ctx())).rejects.toMatchObject({ errcode: 310000, scope: 'channel' });
      await expect(s.send({ channel: 'dingtalk-custom-robot', robotId: 'nobody' }, { format: 'text', content: 'x' }, ctx())).rejects.toMatchObject({ scope: 'message' });
    });

    it('waits 10 minutes on 130101 and holds every sender of the robot; asks the limiter before each part', async () => {
      sim.addCustomRobot('tok-city', { name: '市招商群', secret: SECRET });
      const penalized: Array<[string, number]> = [];
      let allow = true;
      const limiter: RateLimiter = {
        acquire: async () => (allow ? { ok: true as const, sent: async () => undefined } : { ok: false as const, retryAfterMs: 1234 }),
        penalize: async (k, ms) => void penalized.push([k, ms]),
      };
      const s = new DingtalkCustomRobotSender(sim.baseUrl, robots, { limiter, perRobot: [{ max: 20, windowMs: 60_000 }] }, 5000);
      const target = { channel: 'dingtalk-custom-robot' as const, robotId: 'city' };
      for (let i = 0; i < 20; i++) await s.send(target, { format: 'text', content: `第${i}条` }, ctx());
      const err = await s.send(target, { format: 'text', content: '第21条' }, ctx()).catch((e) => e);
      expect(err).toBeInstanceOf(RetryLaterError);
      expect(err.delayMs).toBe(10 * 60_000);
      expect(penalized).toEqual([['dingtalk-robot:city', 10 * 60_000]]);
      allow = false;
      const waited = await s.send(target, { format: 'text', content: '再等等' }, ctx()).catch((e) => e);
      expect(waited).toBeInstanceOf(RetryLaterError);
      expect(waited.delayMs).toBe(1234);
      expect(sim.errorsReturned()).toEqual({ '130101': 1 });
    });

    it('resumes a split message after the parts already delivered', async () => {
      sim.addCustomRobot('tok-city', { name: '市招商群', secret: SECRET });
      const s = new DingtalkCustomRobotSender(sim.baseUrl, robots, { perRobot: [] }, 5000);
      const content = '段落'.repeat(4000) + '结尾';
      const c = ctx(1);
      const r = await s.send({ channel: 'dingtalk-custom-robot', robotId: 'city' }, { format: 'text', content }, c);
      expect(r.parts).toBe(2);
      expect(c.sent).toEqual([2]);
      expect(sim.customRobotMessages()).toHaveLength(1);
      expect(sim.customRobotMessages()[0].content.endsWith('结尾')).toBe(true);
    });
  });
});
