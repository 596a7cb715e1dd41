import type Redis from 'ioredis';
import { WecomAibotGatewayReply, WecomAibotGatewayRequest } from '@zs/contracts';
import { WecomAibotSimulator } from '@zs/platform-sim';
import { PermanentSendError, RetryLaterError, SendContext, TargetExpiredError } from '../channels/channel-sender';
import { AibotGateway } from './aibot-gateway-client';
import { responseUrlKey, WecomAibotPushSender, WecomAibotResponseSender, WecomAibotStreamSender } from './aibot.senders';

/** Just enough of ioredis for SET NX PX / GET. */
class FakeRedis {
  readonly data = new Map<string, string>();
  async set(key: string, value: string, ..._args: unknown[]): Promise<'OK' | null> {
    const nx = _args.includes('NX');
    if (nx && this.data.has(key)) return null;
    this.data.set(key, value);
    return 'OK';
  }
  async get(key: string): Promise<string | null> {
    return this.data.get(key) ?? null;
  }
}

const ctx = (alreadySentParts = 0): SendContext & { sent: number[] } => {
  const sent: number[] = [];
  return { alreadySentParts, attempt: 1, onPartSent: async (n) => void sent.push(n), sent };
};

describe('WecomAibotResponseSender', () => {
  let sim: WecomAibotSimulator;
  let redis: FakeRedis;
  let sender: WecomAibotResponseSender;
  const BOT = 'aib-1';

  beforeEach(async () => {
    sim = new WecomAibotSimulator({ bots: [{ botId: BOT, token: 'tok', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' }] });
    await sim.start();
    redis = new FakeRedis();
    sender = new WecomAibotResponseSender(redis as unknown as Redis, { prefix: 'ns', timeoutMs: 2000, allowedHosts: ['127.0.0.1'] });
  });
  afterEach(() => sim.stop());

  const MSG = 'msg-1';
  const target = () => ({ channel: 'wecom-aibot-response' as const, botId: BOT, responseUrl: sim.newResponseUrl(BOT, MSG), expiresAt: Date.now() + 60_000 });

  it('posts once; a retried job neither posts again nor fails', async () => {
    const t = target();
    const c = ctx();
    expect(await sender.send(t, { format: 'text', content: '已登记' }, c)).toEqual({ parts: 1 });
    expect(c.sent).toEqual([1]);
    expect(redis.data.get(responseUrlKey('ns', t.responseUrl))).toBe('sent');
    // The same job again, as after a crash before the delivery log was written.
    expect(await sender.send(t, { format: 'text', content: '已登记' }, ctx())).toMatchObject({ parts: 1 });
    expect(sim.responseUrlPosts()).toEqual([expect.objectContaining({ msgId: MSG, content: '已登记', errcode: 0, msgtype: 'markdown' })]);
  });

  it('answers once when recording the use fails after a successful post (regression: the fallback answered again)', async () => {
    const t = target();
    const key = responseUrlKey('ns', t.responseUrl);
    const realSet = redis.set.bind(redis);
    // Redis takes the claim, then refuses every later write (the `sent` mark).
    redis.set = async (k: string, v: string, ...args: unknown[]) => {
      if (v !== 'claimed') throw new Error('Connection is closed.');
      return realSet(k, v, ...args);
    };
    const first = ctx();
    first.onPartSent = async () => {
      throw new Error('Connection is closed.'); // the job's progress cannot be saved either: it will be retried
    };
    await expect(sender.send(t, { format: 'text', content: '已登记' }, first)).rejects.toThrow(/closed/);
    expect(redis.data.get(key)).toBe('claimed');
    redis.set = realSet;
    // The retried job: no second post, no TargetExpiredError (which would send the fallback push).
    expect(await sender.send(t, { format: 'text', content: '已登记' }, ctx())).toMatchObject({ parts: 1 });
    expect(redis.data.get(key)).toBe('sent');
    expect(sim.responseUrlPosts()).toHaveLength(1);
  });

  it('treats a URL claimed by an attempt that never finished as used: the fallback answers', async () => {
    const t = target();
    redis.data.set(responseUrlKey('ns', t.responseUrl), 'claimed');
    await expect(sender.send(t, { format: 'text', content: 'a' }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
    expect(sim.responseUrlPosts()).toHaveLength(0);
  });

  it('hands an expired URL, a refused post and an over-long answer to the fallback', async () => {
    const base = { channel: 'wecom-aibot-response' as const, botId: BOT, responseUrl: sim.newResponseUrl(BOT, MSG) };
    await expect(sender.send({ ...base, expiresAt: Date.now() - 1 }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
    await expect(sender.send({ ...base, expiresAt: Date.now() + 60_000 }, { format: 'text', content: '长'.repeat(7000) }, ctx())).rejects.toBeInstanceOf(
      TargetExpiredError,
    );
    expect(sim.responseUrlPosts()).toHaveLength(0);

    sim.expireResponseUrlOf(MSG);
    await expect(sender.send({ ...base, expiresAt: Date.now() + 60_000 }, { format: 'text', content: 'x' }, ctx())).rejects.toThrow(/refused/);
    // And never a second post to it.
    await expect(sender.send({ ...base, expiresAt: Date.now() + 60_000 }, { format: 'text', content: 'x' }, ctx())).rejects.toThrow(/already used/);
    expect(sim.responseUrlPosts()).toHaveLength(1);
  });

  it('never posts to a host outside the allow-list', async () => {
    const target = { channel: 'wecom-aibot-response' as const, botId: BOT, responseUrl: 'http://169.254.169.254/latest', expiresAt: Date.now() + 60_000 };
    await expect(sender.send(target, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(PermanentSendError);
  });
});

class FakeGateway implements AibotGateway {
  calls: Array<{ botId: string; req: WecomAibotGatewayRequest }> = [];
  constructor(private readonly answer: (req: WecomAibotGatewayRequest, n: number) => WecomAibotGatewayReply | Error) {}
  async call(botId: string, req: WecomAibotGatewayRequest): Promise<WecomAibotGatewayReply> {
    this.calls.push({ botId, req });
    const a = this.answer(req, this.calls.length);
    if (a instanceof Error) throw a;
    return a;
  }
}

describe('WecomAibotStreamSender', () => {
  const target = { channel: 'wecom-aibot-stream' as const, botId: 'aib-1', reqId: 'req-1', streamId: 'zs-1', expiresAt: Date.now() + 60_000 };

  it('finishes the stream echoing the req_id', async () => {
    const gw = new FakeGateway(() => ({ ok: true }));
    const c = ctx();
    expect(await new WecomAibotStreamSender(gw).send(target, { format: 'text', content: '答复' }, c)).toEqual({ parts: 1 });
    expect(gw.calls).toEqual([{ botId: 'aib-1', req: { op: 'respond', reqId: 'req-1', streamId: 'zs-1', content: '答复' } }]);
    expect(c.sent).toEqual([1]);
  });

  it('goes to the fallback when WeCom refuses, the req_id is old, or the answer is too long', async () => {
    const refused = new FakeGateway(() => ({ ok: false, reason: 'wecom-error', errcode: 853002 }));
    await expect(new WecomAibotStreamSender(refused).send(target, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
    const any = new FakeGateway(() => ({ ok: true }));
    await expect(new WecomAibotStreamSender(any).send({ ...target, expiresAt: Date.now() - 1 }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(
      TargetExpiredError,
    );
    await expect(new WecomAibotStreamSender(any).send(target, { format: 'text', content: 'y'.repeat(20481) }, ctx())).rejects.toBeInstanceOf(TargetExpiredError);
    expect(any.calls).toHaveLength(0);
  });

  it('retries normally while the socket reconnects', async () => {
    const gw = new FakeGateway(() => ({ ok: false, reason: 'not-connected' }));
    const err = await new WecomAibotStreamSender(gw).send(target, { format: 'text', content: 'x' }, ctx()).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TargetExpiredError);
    expect(err).not.toBeInstanceOf(PermanentSendError);
  });
});

describe('WecomAibotPushSender', () => {
  it('pushes to the group, split by 20480 bytes, resuming after the parts already sent', async () => {
    const gw = new FakeGateway(() => ({ ok: true }));
    const content = '报'.repeat(7000) + '\n' + '告'.repeat(7000); // 42003 bytes: three parts
    const c = ctx(1);
    const r = await new WecomAibotPushSender(gw).send({ channel: 'wecom-aibot-push', botId: 'aib-1', chatId: 'wr1' }, { format: 'markdown', content }, c);
    expect(r).toEqual({ parts: 3 });
    expect(gw.calls.map((x) => x.req.op === 'push' && x.req.chatId)).toEqual(['wr1', 'wr1']);
    expect(c.sent).toEqual([2, 3]);
    for (const call of gw.calls) expect(Buffer.byteLength((call.req as { content: string }).content)).toBeLessThanOrEqual(20480);
  });

  it('pushes to a person when there is no chat, and maps WeCom errors', async () => {
    const ok = new FakeGateway(() => ({ ok: true }));
    await new WecomAibotPushSender(ok).send({ channel: 'wecom-aibot-push', botId: 'b', userId: 'li.si' }, { format: 'text', content: 'x' }, ctx());
    expect(ok.calls[0].req).toEqual({ op: 'push', chatId: 'li.si', content: 'x' });

    const limited = new FakeGateway(() => ({ ok: false, reason: 'wecom-error', errcode: 45009 }));
    await expect(new WecomAibotPushSender(limited).send({ channel: 'wecom-aibot-push', botId: 'b', userId: 'u' }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(
      RetryLaterError,
    );
    const refused = new FakeGateway(() => ({ ok: false, reason: 'wecom-error', errcode: 40058 }));
    await expect(new WecomAibotPushSender(refused).send({ channel: 'wecom-aibot-push', botId: 'b', userId: 'u' }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(
      PermanentSendError,
    );
    await expect(new WecomAibotPushSender(ok).send({ channel: 'wecom-aibot-push', botId: 'b' }, { format: 'text', content: 'x' }, ctx())).rejects.toBeInstanceOf(PermanentSendError);
  });
});
