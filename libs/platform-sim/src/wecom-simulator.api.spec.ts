// The simulator's WeCom API side: tokens, app messages, group robots, limits, console page.
import { WecomSimulator, WECOM_ERR, truncateUtf8 } from './wecom-simulator';
import { CONSOLE_EXAMPLE_LEAD } from './wecom-console-page';

const CORP_ID = 'wwsimcorp0001';
const SECRET = 'sim-secret';
const AGENT_ID = '1000002';
const ROBOT = 'demo-city-group';

type Json = Record<string, unknown> & { errcode?: number; errmsg?: string };

describe('WecomSimulator API side', () => {
  let sim: WecomSimulator;
  let base: string;
  let clock: number;
  let members: Array<{ userid: string; name: string; unitName: string }>;

  const get = async (path: string): Promise<Json> => (await (await fetch(base + path)).json()) as Json;
  const post = async (path: string, body: unknown): Promise<Json> => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  };
  const token = async (): Promise<string> => {
    const r = await get(`/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${SECRET}`);
    return r.access_token as string;
  };
  const appText = (t: string, touser: string, content: string, extra: Record<string, unknown> = {}) =>
    post(`/cgi-bin/message/send?access_token=${encodeURIComponent(t)}`, {
      touser,
      msgtype: 'text',
      agentid: Number(AGENT_ID),
      text: { content },
      ...extra,
    });
  const robot = (key: string, body: unknown) => post(`/cgi-bin/webhook/send?key=${key}`, body);

  beforeEach(async () => {
    clock = Date.UTC(2025, 0, 6, 2, 0, 0);
    members = [
      { userid: 'zhangwei', name: '张伟', unitName: '赫山区' },
      { userid: 'lina', name: '李娜', unitName: '赫山区' },
      { userid: 'wangqiang', name: '王强', unitName: '高新区' },
    ];
    sim = new WecomSimulator({
      corpId: CORP_ID,
      agentId: AGENT_ID,
      secret: SECRET,
      token: 'sim-token',
      encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
      callbackUrl: 'http://127.0.0.1:9/unused',
      now: () => clock,
      members: async () => members,
    });
    sim.addGroupRobot(ROBOT, '招商工作群');
    base = (await sim.start()).baseUrl;
  });

  afterEach(() => sim.stop());

  describe('gettoken', () => {
    it('issues a token for the right corpid and secret and counts issues', async () => {
      const r = await get(`/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=${SECRET}`);
      expect(r).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
      expect(typeof r.access_token).toBe('string');
      expect(sim.tokenIssued).toBe(1);
      expect(await token()).toBe(r.access_token);
      expect(sim.tokenIssued).toBe(2);
    });

    it('answers 40001 (HTTP 200) for a wrong corpid or secret', async () => {
      const res = await fetch(`${base}/cgi-bin/gettoken?corpid=${CORP_ID}&corpsecret=nope`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ errcode: 40001 });
      expect(await get(`/cgi-bin/gettoken?corpid=other&corpsecret=${SECRET}`)).toMatchObject({ errcode: 40001 });
      expect(await get(`/cgi-bin/gettoken?corpid=${CORP_ID}`)).toMatchObject({ errcode: 41004 });
      expect(sim.tokenIssued).toBe(0);
      expect(sim.errorsReturned()).toEqual({ 40001: 2, 41004: 1 });
    });

    it('rejects unknown tokens with 40014 and revoked or expired ones with 42001', async () => {
      expect(await appText('bogus', 'zhangwei', 'hi')).toMatchObject({ errcode: WECOM_ERR.INVALID_ACCESS_TOKEN });
      expect(await post('/cgi-bin/message/send', { touser: 'zhangwei' })).toMatchObject({ errcode: 41001 });
      const t1 = await token();
      expect(await appText(t1, 'zhangwei', 'hi')).toMatchObject({ errcode: 0 });
      sim.revokeTokens();
      expect(await appText(t1, 'zhangwei', 'hi')).toMatchObject({ errcode: WECOM_ERR.ACCESS_TOKEN_EXPIRED });
      const t2 = await token();
      expect(t2).not.toBe(t1);
      expect(await appText(t2, 'zhangwei', 'hi again')).toMatchObject({ errcode: 0 });
      clock += 7200 * 1000;
      expect(await appText(t2, 'zhangwei', 'late')).toMatchObject({ errcode: 42001 });
      expect(await token()).not.toBe(t2);
      expect(sim.errorsReturned()).toEqual({ 40014: 1, 41001: 1, 42001: 2 });
    });
  });

  describe('message/send', () => {
    let t: string;
    beforeEach(async () => {
      t = await token();
    });

    it('delivers text and markdown and records them', async () => {
      const r = await appText(t, 'zhangwei|lina', '线索已登记');
      expect(r).toMatchObject({ errcode: 0, errmsg: 'ok', invaliduser: '' });
      expect(typeof r.msgid).toBe('string');
      const md = await post(`/cgi-bin/message/send?access_token=${t}`, {
        touser: 'wangqiang',
        msgtype: 'markdown',
        agentid: AGENT_ID,
        markdown: { content: '**本周进度**\n> 新增线索 <font color="info">3</font> 条' },
      });
      expect(md).toMatchObject({ errcode: 0 });
      const d = sim.delivered();
      expect(d).toHaveLength(2);
      expect(d[0]).toMatchObject({ kind: 'app', touser: ['zhangwei', 'lina'], msgtype: 'text', content: '线索已登记', status: 'delivered' });
      expect(d[1]).toMatchObject({ touser: ['wangqiang'], msgtype: 'markdown' });
      expect(d[1].seq).toBeGreaterThan(d[0].seq);
      expect(sim.messagesTo('lina')).toHaveLength(1);
    });

    it('checks agentid and msgtype', async () => {
      expect(await post(`/cgi-bin/message/send?access_token=${t}`, { touser: 'lina', msgtype: 'text', agentid: 999, text: { content: 'x' } })).toMatchObject({
        errcode: WECOM_ERR.INVALID_AGENTID,
      });
      expect(await post(`/cgi-bin/message/send?access_token=${t}`, { touser: 'lina', msgtype: 'voice', agentid: AGENT_ID })).toMatchObject({
        errcode: WECOM_ERR.INVALID_MSGTYPE,
      });
      expect(await appText(t, 'lina', '')).toMatchObject({ errcode: WECOM_ERR.EMPTY_CONTENT });
      expect(sim.delivered()).toHaveLength(0);
    });

    it('cuts text over 2048 bytes silently, on a character boundary', async () => {
      const long = '招商引资'.repeat(175); // 700 chars, 2100 bytes
      const r = await appText(t, 'zhangwei', long);
      expect(r).toMatchObject({ errcode: 0, errmsg: 'ok' });
      const [d] = sim.delivered();
      expect(d.truncated).toBe(true);
      expect(d.originalBytes).toBe(2100);
      expect(Buffer.byteLength(d.content)).toBe(2046);
      expect(long.startsWith(d.content)).toBe(true);
      expect(d.status).toBe('delivered');
      // Exactly 2048 bytes passes untouched.
      await appText(t, 'zhangwei', 'a'.repeat(2048));
      expect(sim.delivered()[1].truncated).toBeUndefined();
    });

    it('rejects markdown over 2048 bytes with 40058', async () => {
      const r = await post(`/cgi-bin/message/send?access_token=${t}`, {
        touser: 'zhangwei',
        msgtype: 'markdown',
        agentid: AGENT_ID,
        markdown: { content: 'x'.repeat(2049) },
      });
      expect(r.errcode).toBe(40058);
      expect(r.errmsg).toContain('2048');
      expect(sim.delivered()).toHaveLength(0);
    });

    it('lists unknown users in invaliduser, and answers 81013 when all are invalid', async () => {
      const r = await appText(t, 'zhangwei|ghost|nobody', 'hi');
      expect(r).toMatchObject({ errcode: 0, invaliduser: 'ghost|nobody' });
      expect(sim.delivered()[0]).toMatchObject({ touser: ['zhangwei'], invaliduser: ['ghost', 'nobody'] });
      const all = await appText(t, 'ghost|nobody', 'hi');
      expect(all).toMatchObject({ errcode: 81013, invaliduser: 'ghost|nobody' });
      expect(sim.delivered()).toHaveLength(1);
      const everyone = await appText(t, '@all', 'notice');
      expect(everyone.errcode).toBe(0);
      expect(sim.delivered()[1].touser).toEqual(['zhangwei', 'lina', 'wangqiang']);
    });

    it('silently drops messages beyond 30 per member per minute, per member', async () => {
      for (let i = 0; i < 32; i++) {
        expect(await appText(t, 'zhangwei', `m${i}`)).toMatchObject({ errcode: 0 });
      }
      expect(await appText(t, 'zhangwei|lina', 'both')).toMatchObject({ errcode: 0 });
      const d = sim.delivered();
      expect(d.filter((x) => x.status === 'delivered' && x.touser!.includes('zhangwei'))).toHaveLength(30);
      expect(d.filter((x) => x.dropped)).toHaveLength(3);
      expect(d[d.length - 2]).toMatchObject({ touser: ['lina'], status: 'delivered', content: 'both' });
      expect(d[d.length - 1]).toMatchObject({ touser: ['zhangwei'], status: 'dropped', dropReason: 'member-per-minute' });
      expect(sim.messagesTo('zhangwei')).toHaveLength(30);
      clock += 60_001;
      await appText(t, 'zhangwei', 'next minute');
      expect(sim.delivered().pop()).toMatchObject({ status: 'delivered', content: 'next minute' });
    });

    it('applies the hourly limit too', async () => {
      await sim.stop();
      sim = new WecomSimulator({
        corpId: CORP_ID,
        agentId: AGENT_ID,
        secret: SECRET,
        token: 'sim-token',
        encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
        callbackUrl: '',
        now: () => clock,
        rateLimits: { perMemberPerMinute: 2, perMemberPerHour: 3 },
      });
      base = (await sim.start()).baseUrl;
      t = await token();
      for (let i = 0; i < 3; i++) {
        await appText(t, 'anyone', `a${i}`);
        clock += 31_000;
      }
      await appText(t, 'anyone', 'over the hour');
      expect(sim.delivered().pop()).toMatchObject({ status: 'dropped', dropReason: 'member-per-hour' });
      clock += 3600_000;
      await appText(t, 'anyone', 'fine again');
      expect(sim.delivered().pop()).toMatchObject({ status: 'delivered' });
    });

    it('honours enable_duplicate_check within duplicate_check_interval', async () => {
      const dup = { enable_duplicate_check: 1, duplicate_check_interval: 60 };
      await appText(t, 'lina', '同一条通知', dup);
      await appText(t, 'lina', '同一条通知', dup);
      await appText(t, 'lina', '另一条通知', dup);
      await appText(t, 'lina', '同一条通知'); // no duplicate check asked for
      clock += 61_000;
      await appText(t, 'lina', '同一条通知', dup);
      expect(sim.delivered().map((d) => d.status)).toEqual(['delivered', 'duplicate', 'delivered', 'delivered', 'delivered']);
      expect(sim.delivered()[1].duplicate).toBe(true);
    });

    it('answers 47001 for a body that is not JSON, 413 past 1 MiB, and keeps serving', async () => {
      expect(await post(`/cgi-bin/message/send?access_token=${t}`, '{not json')).toMatchObject({ errcode: 47001 });
      const big = await fetch(`${base}/cgi-bin/message/send?access_token=${t}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(1024 * 1024 + 10),
      });
      expect(big.status).toBe(413);
      expect(await appText(t, 'lina', 'still alive')).toMatchObject({ errcode: 0 });
    });
  });

  describe('group robot webhook', () => {
    it('rejects unknown keys with 93000', async () => {
      expect(await robot('nope', { msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 93000 });
      expect(sim.errorsReturned()[93000]).toBe(1);
    });

    it('accepts text with mentions and markdown, and enforces byte limits with 40058', async () => {
      expect(await robot(ROBOT, { msgtype: 'text', text: { content: '请及时更新项目进度', mentioned_list: ['zhangwei', '@all'] } })).toEqual({
        errcode: 0,
        errmsg: 'ok',
      });
      expect(await robot(ROBOT, { msgtype: 'markdown', markdown: { content: '# 周报\n<@lina> **请查看**' + 'x'.repeat(4000) } })).toMatchObject({
        errcode: 0,
      });
      expect(await robot(ROBOT, { msgtype: 'markdown_v2', markdown_v2: { content: '| a | b |\n| --- | --- |\n| 1 | 2 |' } })).toMatchObject({
        errcode: 0,
      });
      const textOver = await robot(ROBOT, { msgtype: 'text', text: { content: '字'.repeat(683) } }); // 2049 bytes
      expect(textOver.errcode).toBe(40058);
      const mdOver = await robot(ROBOT, { msgtype: 'markdown', markdown: { content: 'y'.repeat(4097) } });
      expect(mdOver.errcode).toBe(40058);
      expect(mdOver.errmsg).toContain('4096');
      expect(await robot(ROBOT, { msgtype: 'markdown_v2', markdown_v2: { content: 'y'.repeat(4097) } })).toMatchObject({ errcode: 40058 });
      const g = sim.groupMessages(ROBOT);
      expect(g).toHaveLength(3);
      expect(g[0]).toMatchObject({ kind: 'group', groupKey: ROBOT, msgtype: 'text', mentioned: ['zhangwei', '@all'] });
      expect(g[1]).toMatchObject({ msgtype: 'markdown', mentioned: ['lina'] });
      expect(g[2].msgtype).toBe('markdown_v2');
      expect(sim.errorsReturned()).toEqual({ 40058: 3 });
    });

    it('limits each robot to 20 messages per minute with 45009', async () => {
      sim.addGroupRobot('other-group', '另一个群');
      for (let i = 0; i < 20; i++) {
        expect(await robot(ROBOT, { msgtype: 'text', text: { content: `n${i}` } })).toMatchObject({ errcode: 0 });
      }
      expect(await robot(ROBOT, { msgtype: 'text', text: { content: 'n20' } })).toMatchObject({ errcode: 45009 });
      expect(await robot('other-group', { msgtype: 'text', text: { content: 'ok' } })).toMatchObject({ errcode: 0 });
      clock += 30_000;
      expect(await robot(ROBOT, { msgtype: 'text', text: { content: 'still limited' } })).toMatchObject({ errcode: 45009 });
      clock += 30_001;
      expect(await robot(ROBOT, { msgtype: 'text', text: { content: 'window passed' } })).toMatchObject({ errcode: 0 });
      expect(sim.groupMessages(ROBOT)).toHaveLength(21);
      expect(sim.errorsReturned()).toEqual({ 45009: 2 });
    });
  });

  describe('records', () => {
    it('waitFor polls until the predicate holds, and times out with a summary', async () => {
      const waiting = sim.waitFor((d) => d.some((x) => x.content === 'later'), 2000);
      setTimeout(() => void robot(ROBOT, { msgtype: 'text', text: { content: 'later' } }), 50);
      await expect(waiting).resolves.toBeUndefined();
      await expect(sim.waitFor((d) => d.length > 5, 100)).rejects.toThrow(/timed out.*later/s);
    });

    it('reset clears records, counters and limits but keeps tokens and robots', async () => {
      const t = await token();
      await appText(t, 'lina', 'x');
      await robot('nope', {});
      sim.reset();
      expect(sim.delivered()).toEqual([]);
      expect(sim.errorsReturned()).toEqual({});
      expect(sim.tokenIssued).toBe(0);
      expect(await appText(t, 'lina', 'after reset')).toMatchObject({ errcode: 0 });
      expect(await robot(ROBOT, { msgtype: 'text', text: { content: 'x' } })).toMatchObject({ errcode: 0 });
    });
  });

  describe('console', () => {
    it('serves a self-contained page in Chinese with a parseable script', async () => {
      const res = await fetch(`${base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('招商助手');
      expect(html).toContain('招商工作群');
      expect(html).toContain('填入示例');
      expect(html).toContain(JSON.stringify(CONSOLE_EXAMPLE_LEAD).slice(1, -1));
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!\/)[a-z]/i);
      const script = /<script>([\s\S]*)<\/script>/.exec(html)![1];
      expect(() => new Function(script)).not.toThrow();
    });

    it('lists members and the message feed', async () => {
      expect(await get('/console/api/members')).toEqual(members);
      const t = await token();
      await appText(t, 'lina', '早上好');
      await robot(ROBOT, { msgtype: 'markdown', markdown: { content: '**日报**' } });
      const feed = (await get('/console/api/messages?since=0')) as unknown as { last: number; items: Array<Record<string, unknown>> };
      expect(feed.items.map((i) => [i.dir, i.kind, i.content])).toEqual([
        ['out', 'app', '早上好'],
        ['out', 'group', '**日报**'],
      ]);
      const again = (await get(`/console/api/messages?since=${feed.last}`)) as unknown as { last: number; items: unknown[] };
      expect(again.items).toEqual([]);
      expect(again.last).toBe(feed.last);
    });

    it('answers 400 to bad console input and 404 elsewhere', async () => {
      const bad = await fetch(`${base}/console/api/send`, { method: 'POST', body: '{oops' });
      expect(bad.status).toBe(400);
      const noUser = await fetch(`${base}/console/api/send`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });
      expect(noUser.status).toBe(400);
      const noText = await fetch(`${base}/console/api/send`, { method: 'POST', body: JSON.stringify({ userid: 'lina', text: '  ' }) });
      expect(noText.status).toBe(400);
      expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    });

    it('survives a members() that throws', async () => {
      await sim.stop();
      sim = new WecomSimulator({
        corpId: CORP_ID,
        agentId: AGENT_ID,
        secret: SECRET,
        token: 'sim-token',
        encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
        callbackUrl: '',
        members: async () => {
          throw new Error('admin API down');
        },
      });
      base = (await sim.start()).baseUrl;
      expect(await get('/console/api/members')).toEqual([]);
      expect(await appText(await token(), 'whoever', 'hi')).toMatchObject({ errcode: 0, invaliduser: '' });
    });
  });

  it('truncateUtf8 never splits a character', () => {
    expect(truncateUtf8('ab', 5)).toBe('ab');
    expect(truncateUtf8('a字', 3)).toBe('a');
    expect(truncateUtf8('a😀b', 4)).toBe('a');
    expect(truncateUtf8('a😀b', 5)).toBe('a😀');
  });
});
