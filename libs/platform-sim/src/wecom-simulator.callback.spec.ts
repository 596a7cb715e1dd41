// The simulator's callback side against a tiny fake product: signing, encryption, retries.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { WecomCrypto, parseWecomXml } from '@zs/channels';
import { WecomSimulator } from './wecom-simulator';

const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const CORP_ID = 'ww1436e0e65a779aee';
const AGENT_ID = '1000002';

interface Received {
  method: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
  /** Decrypted inner XML (POST) or echostr plaintext (GET); '' when verification failed. */
  plain: string;
  signatureOk: boolean;
}

type Behaviour = (attempt: number, r: Received) => { delayMs?: number; status?: number; body?: string };

/** A fake WeCom callback receiver: verifies, decrypts, records, and answers as told. */
class FakeReceiver {
  readonly received: Received[] = [];
  behaviour: Behaviour = () => ({});
  private server = http.createServer((req, res) => this.onRequest(req, res));
  private readonly crypto = new WecomCrypto(TOKEN, AES_KEY, CORP_ID);
  url = '';

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/wecom/callback`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const q = url.searchParams;
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: Received = {
        method: req.method ?? '',
        query: q,
        contentType: String(req.headers['content-type'] ?? ''),
        body,
        plain: '',
        signatureOk: false,
      };
      try {
        const encrypt = req.method === 'GET' ? (q.get('echostr') ?? '') : parseWecomXml(body).Encrypt;
        rec.signatureOk = this.crypto.verifySignature(q.get('msg_signature') ?? '', q.get('timestamp') ?? '', q.get('nonce') ?? '', encrypt);
        if (rec.signatureOk) rec.plain = this.crypto.decrypt(encrypt);
      } catch {
        rec.signatureOk = false;
      }
      this.received.push(rec);
      const b = this.behaviour(this.received.length, rec);
      const answer = () => {
        if (res.destroyed) return;
        if (req.method === 'GET') {
          res.writeHead(rec.signatureOk ? (b.status ?? 200) : 403);
          res.end(rec.signatureOk ? rec.plain : '');
          return;
        }
        res.writeHead(b.status ?? 200);
        res.end(b.body ?? '');
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  }
}

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WecomSimulator callback side', () => {
  let receiver: FakeReceiver;
  let sim: WecomSimulator;

  beforeEach(async () => {
    receiver = new FakeReceiver();
    const callbackUrl = await receiver.start();
    sim = new WecomSimulator({
      corpId: CORP_ID,
      agentId: AGENT_ID,
      secret: 'app-secret',
      token: TOKEN,
      encodingAesKey: AES_KEY,
      callbackUrl,
      retryTimeoutMs: 200,
      retryDelayMs: 20,
    });
    await sim.start();
  });

  afterEach(async () => {
    await sim.stop();
    await receiver.stop();
  });

  it('sends a signed, encrypted app text message that decrypts to WeCom XML', async () => {
    const content = '报线索 企业：深圳市星河智能科技有限公司 ]]> <b>&';
    const r = await sim.sendText('zhangwei', content);
    expect(r).toMatchObject({ attempts: 1, acked: true });
    expect(r.ackMs).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got.method).toBe('POST');
    expect(got.contentType).toContain('text/xml');
    expect(got.signatureOk).toBe(true);
    expect(got.query.get('timestamp')).toMatch(/^\d{10}$/);
    expect(got.query.get('nonce')).toMatch(/^\d+$/);
    expect(got.body).toMatch(
      new RegExp(
        `^<xml><ToUserName><!\\[CDATA\\[${CORP_ID}\\]\\]></ToUserName><AgentID><!\\[CDATA\\[${AGENT_ID}\\]\\]></AgentID><Encrypt><!\\[CDATA\\[[A-Za-z0-9+/=]+\\]\\]></Encrypt></xml>$`,
      ),
    );
    expect(got.plain).toMatch(
      /^<xml><ToUserName><!\[CDATA\[ww1436e0e65a779aee\]\]><\/ToUserName><FromUserName><!\[CDATA\[zhangwei\]\]><\/FromUserName><CreateTime>\d{10}<\/CreateTime><MsgType><!\[CDATA\[text\]\]><\/MsgType><Content>.*<\/Content><MsgId>\d+<\/MsgId><AgentID>1000002<\/AgentID><\/xml>$/,
    );
    const fields = parseWecomXml(got.plain);
    expect(fields.Content).toBe(content);
    expect(fields.FromUserName).toBe('zhangwei');
    expect(fields.ToUserName).toBe(CORP_ID);
    expect(fields.MsgId).toBe(r.msgId);
    // A 64-bit id that does not survive JSON.parse as a number.
    expect(BigInt(r.msgId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(BigInt(r.msgId) < 2n ** 63n).toBe(true);
    expect(sim.inbound()).toEqual([expect.objectContaining({ fromUser: 'zhangwei', msgId: r.msgId, status: 'acked' })]);
  });

  it('honours a given msgId and createTime, and MsgIds differ between messages', async () => {
    const a = await sim.sendText('u1', 'a', { msgId: '4561255354251345929', createTime: 1409659813 });
    const b = await sim.sendText('u1', 'b');
    const c = await sim.sendText('u1', 'c');
    expect(a.msgId).toBe('4561255354251345929');
    const f = parseWecomXml(receiver.received[0].plain);
    expect(f.MsgId).toBe('4561255354251345929');
    expect(f.CreateTime).toBe('1409659813');
    expect(b.msgId).not.toBe(c.msgId);
  });

  it('retries with the same MsgId and body when the receiver is slower than retryTimeoutMs', async () => {
    receiver.behaviour = (attempt) => (attempt < 3 ? { delayMs: 500 } : {});
    const r = await sim.sendText('lisi', '你好');
    expect(r.attempts).toBe(3);
    expect(r.acked).toBe(true);
    expect(r.statuses).toEqual([0, 0, 200]);
    expect(r.ackMs[0]).toBeGreaterThanOrEqual(190);
    expect(receiver.received).toHaveLength(3);
    const ids = receiver.received.map((x) => parseWecomXml(x.plain).MsgId);
    expect(new Set(ids)).toEqual(new Set([r.msgId]));
    expect(new Set(receiver.received.map((x) => x.body)).size).toBe(1);
    expect(new Set(receiver.received.map((x) => x.query.toString())).size).toBe(1);
  });

  it('stops retrying after an HTTP 200', async () => {
    receiver.behaviour = (attempt) => (attempt === 1 ? { delayMs: 400 } : {});
    const r = await sim.sendText('lisi', 'once more');
    expect(r).toMatchObject({ attempts: 2, acked: true });
    // Give a third attempt every chance to happen (it must not).
    await new Promise((res) => setTimeout(res, 450));
    expect(receiver.received).toHaveLength(2);
  });

  it('retries on non-200 answers and gives up after maxAttempts', async () => {
    receiver.behaviour = () => ({ status: 500 });
    const r = await sim.sendText('lisi', 'x');
    expect(r).toMatchObject({ attempts: 3, acked: false, statuses: [500, 500, 500] });
    expect(receiver.received).toHaveLength(3);
    expect(sim.inbound()[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 500' });
  });

  it('retries on a refused connection', async () => {
    await receiver.stop();
    const r = await sim.sendText('lisi', 'x');
    expect(r).toMatchObject({ attempts: 3, acked: false, statuses: [0, 0, 0] });
  });

  it('performs the URL check with a random echostr', async () => {
    const v = await sim.verifyUrl();
    expect(v.status).toBe(200);
    expect(v.body).toBe(v.echoPlain);
    expect(v.ok).toBe(true);
    const got = receiver.received[0];
    expect(got.method).toBe('GET');
    expect(got.signatureOk).toBe(true);
    expect(got.plain).toBe(v.echoPlain);
  });

  it('sends raw callbacks unretried for negative tests', async () => {
    receiver.behaviour = () => ({ status: 400 });
    const r = await sim.sendRawCallback({ query: { msg_signature: 'bad', timestamp: '1', nonce: '2' }, body: '<xml></xml>' });
    expect(r.status).toBe(400);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].signatureOk).toBe(false);
  });

  it('records a passive encrypted reply as a message to the sender', async () => {
    const crypto = new WecomCrypto(TOKEN, AES_KEY, CORP_ID);
    receiver.behaviour = (_n, rec) => {
      const from = parseWecomXml(rec.plain).FromUserName;
      const inner = `<xml><ToUserName><![CDATA[${from}]]></ToUserName><FromUserName><![CDATA[${CORP_ID}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>`;
      const encrypt = crypto.encrypt(inner);
      const sig = crypto.signature('123', '456', encrypt);
      return {
        body: `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>123</TimeStamp><Nonce><![CDATA[456]]></Nonce></xml>`,
      };
    };
    await sim.sendText('wangwu', 'hi');
    expect(sim.delivered()).toEqual([
      expect.objectContaining({ kind: 'app', touser: ['wangwu'], content: '收到', passive: true, status: 'delivered' }),
    ]);
  });

  it('lets the callback URL be set after construction and sends through the console API', async () => {
    const other = new WecomSimulator({
      corpId: CORP_ID,
      agentId: AGENT_ID,
      secret: 's',
      token: TOKEN,
      encodingAesKey: AES_KEY,
      callbackUrl: '',
      retryTimeoutMs: 200,
    });
    const { baseUrl } = await other.start();
    try {
      const refused = await fetch(`${baseUrl}/console/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userid: 'u1', text: 'hi' }),
      });
      expect(refused.status).toBe(503);
      other.setCallbackUrl(receiver.url);
      const res = await fetch(`${baseUrl}/console/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userid: 'u1', text: '报线索 企业：测试' }),
      });
      expect(res.status).toBe(200);
      const j = (await res.json()) as { acked: boolean; attempts: number; msgId: string; seq: number };
      expect(j).toMatchObject({ acked: true, attempts: 1 });
      expect(typeof j.msgId).toBe('string');
      await until(() => receiver.received.length === 1);
      expect(parseWecomXml(receiver.received[0].plain).Content).toBe('报线索 企业：测试');
      const feed = (await (await fetch(`${baseUrl}/console/api/messages?since=0`)).json()) as {
        items: Array<{ dir: string; seq: number; content: string; status: string }>;
      };
      expect(feed.items).toEqual([expect.objectContaining({ dir: 'in', seq: j.seq, content: '报线索 企业：测试', status: 'acked' })]);
    } finally {
      await other.stop();
    }
  });
});
