import pino from 'pino';
import { WecomAibotSimulator } from '@zs/platform-sim';
import { AIBOT_CMD, AibotCallbackFrame, AibotNotConnectedError, AibotWsClient } from './aibot-ws-client';

const logger = pino({ level: 'silent' });
const BOT = { botId: 'aibot-test-1', secret: 'secret-0123456789' };

async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('AibotWsClient against the simulated WeCom long connection', () => {
  let sim: WecomAibotSimulator;
  const clients: AibotWsClient[] = [];

  const client = (over: Partial<ConstructorParameters<typeof AibotWsClient>[0]> = {}, received: AibotCallbackFrame[] = []) => {
    const c = new AibotWsClient({
      url: sim.wsUrl,
      botId: BOT.botId,
      secret: BOT.secret,
      heartbeatMs: 1000,
      reconnectBaseMs: 50,
      reconnectMaxMs: 400,
      logger,
      onCallback: (f) => received.push(f),
      ...over,
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    sim = new WecomAibotSimulator({ bots: [BOT, { botId: 'other-bot', secret: 'another-secret-1' }] });
    await sim.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await sim.stop();
  });

  it('subscribes with bot id and secret, receives a message and answers it echoing its req_id', async () => {
    const received: AibotCallbackFrame[] = [];
    const c = client({}, received);
    c.start();
    expect(await c.waitReady(3000)).toBe(true);
    expect(sim.authCount(BOT.botId)).toBe(1);

    const { reqId, msgId } = sim.pushMessage(BOT.botId, { from: 'zhang.san', content: '帮助', chatType: 'group', chatId: 'wrGroup1' });
    await until(() => received.length === 1, 3000, 'the callback');
    expect(received[0]).toMatchObject({ cmd: AIBOT_CMD.callback, reqId });
    expect(received[0].body).toMatchObject({ msgid: msgId, chatid: 'wrGroup1', chattype: 'group', from: { userid: 'zhang.san' } });

    const first = c.request(AIBOT_CMD.respond, { msgtype: 'stream', stream: { id: 's1', finish: false, content: '收到' } }, reqId);
    const second = c.request(AIBOT_CMD.respond, { msgtype: 'stream', stream: { id: 's1', finish: true, content: '答复' } }, reqId);
    expect((await first).errcode).toBe(0);
    expect((await second).errcode).toBe(0);
    expect(sim.replies().map((r) => [r.reqId, r.content, r.finish])).toEqual([
      [reqId, '收到', false],
      [reqId, '答复', true],
    ]);
    // A third answer to a finished stream is refused by WeCom and reported, not thrown.
    const third = await c.request(AIBOT_CMD.respond, { msgtype: 'stream', stream: { id: 's1', finish: true, content: '再次' } }, reqId);
    expect(third.errcode).not.toBe(0);
  });

  it('pushes actively with a fresh req_id', async () => {
    const c = client();
    c.start();
    await c.waitReady(3000);
    const ack = await c.request(AIBOT_CMD.send, { chatid: 'wrGroup9', msgtype: 'markdown', markdown: { content: '**通知**' } });
    expect(ack.errcode).toBe(0);
    expect(sim.pushes()).toEqual([expect.objectContaining({ chatId: 'wrGroup9', content: '**通知**', errcode: 0 })]);
  });

  it('sends heartbeats and reconnects when they go unanswered', async () => {
    const c = client({ heartbeatMs: 100 });
    c.start();
    await c.waitReady(3000);
    await until(() => sim.heartbeats(BOT.botId) >= 3, 3000, 'heartbeats');
    sim.setHeartbeatAnswering(false);
    await until(() => sim.authCount(BOT.botId) >= 2, 5000, 'a reconnect after missed heartbeats');
    sim.setHeartbeatAnswering(true);
    await until(() => c.isReady, 3000, 'ready again');
  });

  it('reconnects after the connection drops, and new messages arrive on the new socket', async () => {
    const received: AibotCallbackFrame[] = [];
    const c = client({}, received);
    c.start();
    await c.waitReady(3000);
    expect(sim.dropConnections(BOT.botId)).toBe(1);
    await sim.waitConnected(BOT.botId, 5000, 2);
    await until(() => c.isReady, 3000, 'ready');
    const { reqId } = sim.pushMessage(BOT.botId, { from: 'li.si', content: '你好' });
    await until(() => received.some((f) => f.reqId === reqId), 3000, 'the message after reconnect');
  });

  /** A reconnect scheduler that records each delay and reconnects at once (or never). */
  const recordingScheduler = (delays: number[], reconnect = true) => (connect: () => void, delayMs: number) => {
    delays.push(delayMs);
    return setTimeout(reconnect ? connect : () => undefined, 0);
  };

  it('backs off exponentially (with jitter) while connections are refused', async () => {
    const delays: number[] = [];
    const c = client({ reconnectBaseMs: 100, reconnectMaxMs: 10_000, random: () => 0, scheduleReconnect: recordingScheduler(delays) });
    sim.refuseNextConnections(4);
    c.start();
    await c.waitReady(10_000);
    expect(sim.upgradeAttempts()).toHaveLength(5);
    // random() = 0 gives exactly half of each step: 50, 100, 200, 400 ms.
    expect(delays).toEqual([50, 100, 200, 400]);
  });

  it('does not become ready with a wrong secret, and keeps retrying', async () => {
    const c = client({ secret: 'wrong-secret-000' });
    c.start();
    expect(await c.waitReady(600)).toBe(false);
    await until(() => sim.upgradeAttempts().length >= 2, 3000, 'another attempt');
    expect(sim.authCount(BOT.botId)).toBe(0);
    await expect(c.request(AIBOT_CMD.send, {})).rejects.toBeInstanceOf(AibotNotConnectedError);
  });

  it('waits the longest delay after WeCom says another connection took over', async () => {
    const delays: number[] = [];
    const a = client({ reconnectMaxMs: 3000, scheduleReconnect: recordingScheduler(delays, false) });
    a.start();
    await a.waitReady(3000);
    const b = client({ reconnectMaxMs: 3000 });
    b.start();
    await b.waitReady(3000);
    await until(() => !a.isReady && delays.length === 1, 3000, 'the first client to be replaced');
    // Not the first backoff step (a few hundred ms at most) but the longest delay.
    expect(delays).toEqual([3000]);
    expect(b.isReady).toBe(true);
  });
});
