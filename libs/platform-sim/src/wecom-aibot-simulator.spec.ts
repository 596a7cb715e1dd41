import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { WecomCrypto } from '@zs/channels';
import { AIBOT_SIM_ERR, WecomAibotSimulator } from './wecom-aibot-simulator';

const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const BOT = { botId: 'aib-1', secret: 'secret-123456', token: 'tok1', encodingAesKey: KEY };

/** A product stand-in that records requests and answers per a script. */
async function product(answer: (n: number, res: http.ServerResponse) => void) {
  const seen: Array<{ url: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body });
      answer(seen.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/aibot/callback`;
  return { seen, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function open(url: string): Promise<{ ws: WebSocket; frames: any[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    ws.once('open', () => resolve({ ws, frames }));
    ws.once('error', reject);
  });
}

async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WecomAibotSimulator', () => {
  let sim: WecomAibotSimulator;
  afterEach(() => sim?.stop());

  it('retries an unanswered callback with the identical signed request, three attempts in all', async () => {
    const p = await product((n, res) => {
      if (n < 3) return; // never answered: the simulator times out
      res.writeHead(200).end('');
    });
    sim = new WecomAibotSimulator({ bots: [BOT], callbackUrl: p.url, retryTimeoutMs: 200 });
    await sim.start();
    const r = await sim.sendCallback(BOT.botId, { from: 'u1', content: '帮助', chatType: 'group', chatId: 'wr1' });
    await p.close();
    expect(r).toMatchObject({ acked: true, attempts: 3, statuses: [0, 0, 200] });
    expect(new Set(p.seen.map((s) => s.url + s.body)).size).toBe(1);
    const q = new URL(p.seen[0].url, 'http://x').searchParams;
    const { encrypt } = JSON.parse(p.seen[0].body);
    const c = new WecomCrypto(BOT.token, KEY, '');
    expect(c.verifySignature(q.get('msg_signature')!, q.get('timestamp')!, q.get('nonce')!, encrypt)).toBe(true);
    const msg = JSON.parse(c.decrypt(encrypt));
    expect(msg).toMatchObject({ msgid: r.msgId, aibotid: BOT.botId, chatid: 'wr1', chattype: 'group', from: { userid: 'u1' }, msgtype: 'text' });
    expect(msg.text.content).toBe('@招商助手 帮助');
    expect(msg.response_url).toBe(r.responseUrl);
  });

  it('gives up after three refused attempts', async () => {
    const p = await product((_n, res) => res.writeHead(500).end());
    sim = new WecomAibotSimulator({ bots: [BOT], callbackUrl: p.url, retryDelayMs: 10 });
    await sim.start();
    const r = await sim.sendCallback(BOT.botId, { from: 'u1', content: 'x' });
    await p.close();
    expect(r).toMatchObject({ acked: false, attempts: 3, statuses: [500, 500, 500] });
  });

  it('accepts a response_url post once, then refuses it', async () => {
    sim = new WecomAibotSimulator({ bots: [BOT] });
    await sim.start();
    const url = sim.newResponseUrl(BOT.botId, 'm1');
    const post = async (content: string) =>
      (await fetch(url, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) })).json() as Promise<{ errcode: number }>;
    expect((await post('一')).errcode).toBe(0);
    expect((await post('二')).errcode).toBe(AIBOT_SIM_ERR.RESPONSE_URL_USED);
    expect(sim.answersFor('m1')).toEqual(['一']);
    const big = sim.newResponseUrl(BOT.botId, 'm2');
    const r = (await (await fetch(big, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content: 'x'.repeat(20481) } }) })).json()) as {
      errcode: number;
    };
    expect(r.errcode).toBe(AIBOT_SIM_ERR.INVALID_PARAMETER);
  });

  it('speaks the long-connection protocol: auth, one socket per bot, req_id checks', async () => {
    sim = new WecomAibotSimulator({ bots: [BOT] });
    await sim.start();

    const bad = await open(sim.wsUrl);
    bad.ws.send(JSON.stringify({ cmd: 'aibot_subscribe', headers: { req_id: 'a1' }, body: { bot_id: BOT.botId, secret: 'nope' } }));
    await until(() => bad.frames.length > 0);
    expect(bad.frames[0]).toMatchObject({ headers: { req_id: 'a1' }, errcode: AIBOT_SIM_ERR.AUTH_FAILED });

    const first = await open(sim.wsUrl);
    first.ws.send(JSON.stringify({ cmd: 'ping', headers: { req_id: 'p0' } }));
    await until(() => first.frames.length > 0);
    expect(first.frames[0].errcode).toBe(AIBOT_SIM_ERR.NOT_AUTHENTICATED);
    first.ws.send(JSON.stringify({ cmd: 'aibot_subscribe', headers: { req_id: 's1' }, body: { bot_id: BOT.botId, secret: BOT.secret } }));
    await until(() => first.frames.length > 1);
    expect(first.frames[1]).toMatchObject({ headers: { req_id: 's1' }, errcode: 0 });

    const { reqId } = sim.pushMessage(BOT.botId, { from: 'u2', content: '你好' });
    await until(() => first.frames.some((f) => f.cmd === 'aibot_msg_callback'));
    first.ws.send(JSON.stringify({ cmd: 'aibot_respond_msg', headers: { req_id: 'unknown' }, body: { msgtype: 'stream', stream: { id: 's', finish: true, content: 'x' } } }));
    first.ws.send(JSON.stringify({ cmd: 'aibot_respond_msg', headers: { req_id: reqId }, body: { msgtype: 'stream', stream: { id: 's', finish: true, content: '好' } } }));
    await until(() => sim.replies().length === 2);
    expect(sim.replies().map((r) => [r.reqId, r.errcode])).toEqual([
      ['unknown', AIBOT_SIM_ERR.REQ_ID_INVALID],
      [reqId, 0],
    ]);

    const second = await open(sim.wsUrl);
    const closed = new Promise((r) => first.ws.once('close', r));
    second.ws.send(JSON.stringify({ cmd: 'aibot_subscribe', headers: { req_id: 's2' }, body: { bot_id: BOT.botId, secret: BOT.secret } }));
    await closed;
    expect(first.frames.some((f) => f.cmd === 'aibot_event_callback' && f.body.event.eventtype === 'disconnected_event')).toBe(true);
    expect(sim.authCount(BOT.botId)).toBe(2);
    second.ws.close();
    bad.ws.close();
  });
});
