import crypto from 'crypto';
import { WecomAibotSimulator } from '@zs/platform-sim';
import { waitForDrained } from '../support/drain';
import { startSystem, TestSystem, waitFor } from '../support/harness';

const LEAD = (company: string) => `报线索 企业：${company} 行业：电子信息 投资额：3亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地`;
const LEAD_CODE = /YY-\d{4}-\d{6}/;
const ACK_TEXT = '收到，正在处理…';

const key43 = () => crypto.randomBytes(32).toString('base64').replace(/=+$/, '');
/** Bot A: HTTP callback and long connection. Bot B: long connection only. */
const A = { botId: 'aib-city-a', secret: crypto.randomBytes(12).toString('hex'), token: crypto.randomBytes(8).toString('hex'), encodingAesKey: key43(), name: '招商助手' };
const B = { botId: 'aib-city-b', secret: crypto.randomBytes(12).toString('hex'), name: '园区助手' };

/**
 * The WeCom AI bot end to end: messages typed into WeCom reach the real services through the
 * simulator (HTTP callback or long connection), are registered once and answered once.
 */
describe('WeCom AI bot (智能机器人)', () => {
  let sys: TestSystem;
  let sim: WecomAibotSimulator;
  let members: string[];

  beforeAll(async () => {
    sys = await startSystem({
      extraEnv: async ({ gatewayUrl }) => {
        sim = new WecomAibotSimulator({ bots: [A, B], callbackUrl: `${gatewayUrl}/wecom/aibot/callback`, retryDelayMs: 200 });
        const { wsUrl } = await sim.start();
        return {
          WECOM_AIBOT_BOT_ID: A.botId,
          WECOM_AIBOT_SECRET: A.secret,
          WECOM_AIBOT_TOKEN: A.token,
          WECOM_AIBOT_ENCODING_AES_KEY: A.encodingAesKey,
          WECOM_AIBOT_2_BOT_ID: B.botId,
          WECOM_AIBOT_2_SECRET: B.secret,
          WECOM_AIBOT_WS_URL: wsUrl,
          WECOM_AIBOT_HEARTBEAT_MS: '2000',
          WECOM_AIBOT_RECONNECT_BASE_MS: '200',
          WECOM_AIBOT_RECONNECT_MAX_MS: '2000',
          WECOM_AIBOT_RETRY_WINDOW_S: '2',
          WECOM_AIBOT_RESPONSE_HOSTS: '127.0.0.1',
        };
      },
    });
    const r = await sys.db.query(
      `SELECT m.wecom_user_id AS userid FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY m.id`,
    );
    members = r.rows.map((x: { userid: string }) => x.userid);
    await sim.waitConnected(A.botId, 20000);
    await sim.waitConnected(B.botId, 20000);
  }, 180000);

  afterAll(async () => {
    await sys?.stop();
    await sim?.stop();
  });

  const leadsNamed = async (company: string) =>
    (await sys.db.query(`SELECT count(*)::int AS n FROM leads WHERE company_name = $1`, [company])).rows[0].n as number;
  const inboundCount = async () => (await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages`)).rows[0].n as number;
  /** Nothing left in any stream or queue: any duplicate answer would have gone out by now. */
  const settle = () => waitForDrained(sys.env);
  /** A message over the bot's socket is answered: the connection carries traffic both ways. */
  const roundTrip = async (botId: string) => {
    const { reqId } = sim.pushMessage(botId, { from: members[5], content: '帮助' });
    await waitFor(() => sim.replies(botId).some((r) => r.reqId === reqId && r.finish && r.errcode === 0), 20000, 'the answer to 帮助');
  };

  it('registers a lead @-mentioned in a group through the HTTP callback and answers once through response_url', async () => {
    const company = '深圳市星河智能科技有限公司';
    const chatId = 'wrGroupHttp001';
    const r = await sim.sendCallback(A.botId, { from: members[0], content: LEAD(company), chatType: 'group', chatId });
    expect(r).toMatchObject({ acked: true, attempts: 1, statuses: [200] });
    const answers = await waitFor(() => (sim.answersFor(r.msgId).length ? sim.answersFor(r.msgId) : null), 20000, 'the answer');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(LEAD_CODE);
    expect(await leadsNamed(company)).toBe(1);
    const stored = await sys.db.query(`SELECT text, chat_type, chat_id FROM inbound_messages WHERE platform = 'wecom-aibot' AND msg_id = $1`, [r.msgId]);
    // The @mention is gone before the text is parsed.
    expect(stored.rows[0]).toMatchObject({ text: LEAD(company), chat_type: 'group', chat_id: chatId });
    await settle();
    expect(sim.answersFor(r.msgId)).toHaveLength(1);
    expect(sim.pushes(A.botId).filter((p) => p.chatId === chatId)).toHaveLength(0);
  });

  it('registers and answers once when WeCom retries the identical callback after lost answers', async () => {
    const company = '长沙市麓谷重工有限公司';
    const r = await sim.sendCallback(A.botId, { from: members[1], content: LEAD(company), chatType: 'group', chatId: 'wrGroupHttp002' }, { loseAnswers: 2 });
    expect(r.acked).toBe(true);
    expect(r.attempts).toBe(3);
    await waitFor(() => sim.answersFor(r.msgId).length > 0, 20000, 'the answer');
    await settle();
    expect(sim.answersFor(r.msgId)).toHaveLength(1);
    expect(await leadsNamed(company)).toBe(1);
    // One response_url post in all: the later attempts never reached it.
    expect(sim.responseUrlPosts(A.botId).filter((p) => p.msgId === r.msgId)).toHaveLength(1);
  });

  it('answers by active push to the group when the response_url can no longer be used', async () => {
    const company = '湖南益阳新材料股份有限公司';
    const chatId = 'wrGroupHttp003';
    const r = await sim.sendCallback(A.botId, { from: members[2], content: LEAD(company), chatType: 'group', chatId, responseUrlExpired: true });
    expect(r.acked).toBe(true);
    const pushed = await waitFor(() => sim.pushes(A.botId).find((p) => p.chatId === chatId && p.errcode === 0), 30000, 'the pushed answer');
    expect(pushed.content).toMatch(LEAD_CODE);
    expect(sim.responseUrlPosts(A.botId).filter((p) => p.msgId === r.msgId).map((p) => p.errcode === 0)).toEqual([false]);
    expect(await leadsNamed(company)).toBe(1);
  });

  it('registers a lead sent over the long connection: acknowledged at once, answered on the same req_id', async () => {
    const company = '株洲中车配套科技有限公司';
    const { reqId, msgId } = sim.pushMessage(A.botId, { from: members[3], content: LEAD(company), chatType: 'group', chatId: 'wrGroupWs001' });
    const final = await waitFor(() => sim.replies(A.botId).find((f) => f.reqId === reqId && f.finish && f.errcode === 0), 20000, 'the answer');
    expect(final.content).toMatch(LEAD_CODE);
    const frames = sim.replies(A.botId).filter((f) => f.reqId === reqId);
    expect(frames.map((f) => [f.content === ACK_TEXT, f.finish])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(new Set(frames.map((f) => f.streamId)).size).toBe(1);
    expect(await leadsNamed(company)).toBe(1);
    expect(sim.answersFor(msgId)).toHaveLength(1);
  });

  it('registers and answers once when WeCom delivers the same message again over the socket', async () => {
    const company = '衡阳富士康精密电子有限公司';
    const first = sim.pushMessage(B.botId, { from: members[4], content: LEAD(company), chatType: 'group', chatId: 'wrGroupWs002' });
    const again = sim.pushMessage(B.botId, { from: members[4], content: LEAD(company), chatType: 'group', chatId: 'wrGroupWs002', msgId: first.msgId });
    await waitFor(() => sim.answersFor(first.msgId).length > 0, 20000, 'the answer');
    await settle();
    expect(sim.answersFor(first.msgId)).toHaveLength(1);
    expect(sim.replies(B.botId).filter((f) => f.reqId === again.reqId)).toHaveLength(0);
    expect(await leadsNamed(company)).toBe(1);
  });

  it('answers after the connection drops mid-reply and comes back', async () => {
    const company = '永州湘江食品有限公司';
    const authsBefore = sim.authCount(B.botId);
    sim.dropConnectionOnNextReply(B.botId);
    const { reqId, msgId } = sim.pushMessage(B.botId, { from: members[6], content: LEAD(company) });
    await sim.waitConnected(B.botId, 20000, authsBefore + 1);
    const final = await waitFor(() => sim.replies(B.botId).find((f) => f.reqId === reqId && f.finish && f.errcode === 0), 30000, 'the answer after reconnect');
    expect(final.content).toMatch(LEAD_CODE);
    expect(await leadsNamed(company)).toBe(1);
    expect(sim.answersFor(msgId)).toHaveLength(1);
    // Messages flow on the new socket.
    await roundTrip(B.botId);
  });

  it('answers the URL check with the bare decrypted echostr', async () => {
    const r = await sim.verifyUrl(A.botId);
    expect(r.status).toBe(200);
    expect(r.body).toBe(r.echoPlain);
  });

  it('refuses a replayed nonce: another message under it at once, the identical request after the retry window', async () => {
    const { json } = sim.buildMessage(A.botId, { from: members[7], content: '帮助' });
    const nonce = String(crypto.randomInt(100_000_000, 2_000_000_000));
    const sealed = sim.sealCallback(A.botId, JSON.stringify(json), undefined, nonce);
    const ok = await sim.sendRawCallback({ query: sealed.query, body: sealed.body });
    expect(ok.status).toBe(200);
    await waitFor(async () => (await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE msg_id = $1`, [json.msgid])).rows[0].n === 1, 10000, 'the first');
    const before = await inboundCount();

    const { json: other } = sim.buildMessage(A.botId, { from: members[7], content: '今天天气怎么样' });
    const reused = sim.sealCallback(A.botId, JSON.stringify(other), sealed.query.timestamp, nonce);
    const replay = await sim.sendRawCallback({ query: reused.query, body: reused.body });
    expect(replay.status).toBe(403);
    expect(replay.body).toContain('replayed nonce');

    // The identical request counts as WeCom's retry for WECOM_AIBOT_RETRY_WINDOW_S, then as a replay.
    await waitFor(async () => (await sim.sendRawCallback({ query: sealed.query, body: sealed.body })).status === 403, 10000, 'the replay to be refused');
    // The retries inside the window were deduplicated on msgid; nothing new was stored.
    await settle();
    expect(await inboundCount()).toBe(before);
    expect((await sys.db.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE msg_id = $1`, [json.msgid])).rows[0].n).toBe(1);
  });

  it('answers bad input with a clean 4xx and processes none of it', async () => {
    const before = await inboundCount();
    const url = `${sys.gatewayUrl}/wecom/aibot/callback`;
    const { json } = sim.buildMessage(A.botId, { from: members[8], content: '帮助' });
    const good = sim.sealCallback(A.botId, JSON.stringify(json));
    const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();
    const post = (query: Record<string, string>, body: string) => fetch(`${url}?${qs(query)}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

    expect((await post({ ...good.query, msg_signature: '0'.repeat(40) }, good.body)).status).toBe(403);
    expect((await post({ timestamp: good.query.timestamp, nonce: good.query.nonce }, good.body)).status).toBe(400);
    expect((await post(good.query, '{"encrypt": ')).status).toBe(400);
    expect((await post(good.query, '{"Encrypt": "abc"}')).status).toBe(400);
    expect((await post(good.query, '')).status).toBe(400);
    const stale = sim.sealCallback(A.botId, JSON.stringify(json), String(Math.floor(Date.now() / 1000) - 3 * 3600));
    expect((await post(stale.query, stale.body)).status).toBe(403);
    const garbage = sim.sealCallback(A.botId, 'this is not json');
    expect((await post(garbage.query, garbage.body)).status).toBe(400);
    const noSender = sim.sealCallback(A.botId, JSON.stringify({ ...json, from: {} }));
    expect((await post(noSender.query, noSender.body)).status).toBe(400);
    const huge = await post(good.query, JSON.stringify({ encrypt: 'A'.repeat(200 * 1024) }));
    expect(huge.status).toBe(413);
    // A flipped ciphertext byte under a valid signature: the decryption refuses it.
    const enc = Buffer.from(good.encrypt, 'base64');
    enc[20] ^= 0xff;
    const flipped = enc.toString('base64');
    const signedFlip = { ...good.query, msg_signature: signature(A.token, good.query.timestamp, good.query.nonce + '1', flipped), nonce: good.query.nonce + '1' };
    expect((await post(signedFlip, JSON.stringify({ encrypt: flipped }))).status).toBe(400);

    // The good request still goes through afterwards (none of the above used up its nonce).
    expect((await post(good.query, good.body)).status).toBe(200);
    await waitFor(async () => (await inboundCount()) === before + 1, 10000, 'only the good message');
    const logs = sys.logs.join('\n');
    for (const secret of [A.secret, B.secret, A.token, A.encodingAesKey]) expect(logs).not.toContain(secret);
  });
});

function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return crypto.createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}
