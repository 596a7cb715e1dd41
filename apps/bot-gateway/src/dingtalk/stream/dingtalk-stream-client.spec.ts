import { Writable } from 'node:stream';
import { createLogger } from '@zs/platform';
import { DingtalkSimulator } from '@zs/platform-sim';
import { DingtalkStreamClient } from './dingtalk-stream-client';

const SECRET = 'stream-client-secret-0123456789abcdefghijklmnopqrstuv';

async function until<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function capture() {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger('test', 'debug', dest) };
}

describe('DingtalkStreamClient against the simulator', () => {
  let sim: DingtalkSimulator;
  let clients: DingtalkStreamClient[] = [];
  const app = { clientId: 'dingstreamtest', clientSecret: SECRET };

  beforeEach(async () => {
    sim = new DingtalkSimulator({ apps: [app], streamRedeliverMs: 400, pingIntervalMs: 0, disconnectGraceMs: 300 });
    await sim.start();
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await sim.stop();
  });

  function client(onRobotMessage: (p: unknown) => Promise<boolean>, over: Partial<ConstructorParameters<typeof DingtalkStreamClient>[0]> = {}) {
    const { lines, logger } = capture();
    const c = new DingtalkStreamClient({
      apiBase: sim.baseUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      robotCode: app.clientId,
      logger,
      onRobotMessage: (p) => onRobotMessage(p),
      backoffBaseMs: 50,
      backoffMaxMs: 400,
      ...over,
    });
    clients.push(c);
    return { c, lines };
  }

  it('opens with a ticket, receives a robot message and ACKs it once it is stored', async () => {
    const got: unknown[] = [];
    const { c } = client(async (p) => {
      got.push(p);
      return true;
    });
    c.start();
    await until(() => sim.openStreamConnections().length === 1, 5000, 'connection');
    expect(sim.ticketsIssued(app.clientId)).toBe(1);
    const r = await sim.sendText('ds0101', '报线索 企业：测试', { mode: 'stream' });
    expect(r.acked).toBe(true);
    expect(r.attempts).toBe(1);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ msgId: r.msgId, senderStaffId: 'ds0101', text: { content: ' 报线索 企业：测试' } });
    expect(sim.acks()[0]).toEqual({ code: 200, headers: { messageId: expect.any(String), contentType: 'application/json' }, message: 'OK', data: '{"response":null}' });
    expect(c.status()).toMatchObject({ state: 'open', connections: 1, failures: 0 });
  });

  it('does not ACK a message it could not store: DingTalk pushes it again and the second try is ACKed', async () => {
    let calls = 0;
    const { c, lines } = client(async () => {
      calls++;
      if (calls === 1) throw new Error('JetStream unavailable');
      return true;
    });
    c.start();
    await until(() => sim.openStreamConnections().length === 1);
    const r = await sim.sendText('ds0101', '帮助', { mode: 'stream' });
    expect(r.acked).toBe(true);
    expect(r.attempts).toBe(2);
    expect(calls).toBe(2);
    expect(lines.join('')).toContain('un-ACKed');
  });

  it('echoes SYSTEM pings', async () => {
    const { c } = client(async () => true);
    c.start();
    await until(() => sim.openStreamConnections().length === 1);
    sim.ping();
    sim.ping();
    await until(() => sim.pongs === 2, 2000, 'pongs');
    expect(sim.badPongs).toBe(0);
  });

  it('reconnects with a fresh ticket after SYSTEM disconnect, and keeps receiving', async () => {
    const { c } = client(async () => true);
    c.start();
    await until(() => sim.openStreamConnections().length === 1);
    expect(sim.disconnect()).toBe(1);
    await until(() => sim.ticketsIssued(app.clientId) === 2 && sim.openStreamConnections().length === 1, 5000, 'a second connection');
    const conns = sim.streamConnections(app.clientId);
    expect(conns).toHaveLength(2);
    expect(conns[0].open).toBe(false);
    expect(sim.rejectedTickets).toBe(0);
    const r = await sim.sendText('ds0101', '帮助', { mode: 'stream' });
    expect(r.acked).toBe(true);
  });

  it('comes back after the network drops the connection, with growing waits while the server is away', async () => {
    const { c, lines } = client(async () => true);
    c.start();
    await until(() => sim.openStreamConnections().length === 1);
    const port = Number(new URL(sim.baseUrl).port);
    // The server goes away entirely: every reconnect fails and the backoff grows.
    await sim.stop();
    await until(() => c.status().failures >= 3, 5000, 'failures');
    // Back on the same port.
    sim = new DingtalkSimulator({ apps: [app], port, streamRedeliverMs: 400, pingIntervalMs: 0 });
    await sim.start();
    await until(() => sim.openStreamConnections().length === 1, 5000, 'reconnection');
    await until(() => c.status().state === 'open');
    const waits = lines
      .map((l) => JSON.parse(l))
      .filter((l) => typeof l.delayMs === 'number' && l.failures)
      .map((l) => l.delayMs as number);
    expect(waits.length).toBeGreaterThanOrEqual(3);
    // Equal jitter: step n lies within [base*2^n/2, base*2^n], capped at 400.
    waits.slice(0, 4).forEach((d, n) => {
      const step = Math.min(400, 50 * 2 ** n);
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    });
  });

  it('backs off when the credentials are refused, and never logs the secret', async () => {
    const { c, lines } = client(async () => true, { clientSecret: `${SECRET}-wrong` });
    c.start();
    await until(() => c.status().failures >= 3, 5000, 'failures');
    expect(c.status().lastError).toContain('HTTP 401');
    expect(sim.ticketsIssued()).toBe(0);
    const all = lines.join('');
    expect(all).not.toContain(SECRET);
    expect(all).toContain('InvalidAuthentication');
  });

  it('backs off when the WebSocket upgrade is refused (expired ticket), asking for a new ticket each time', async () => {
    await sim.stop();
    sim = new DingtalkSimulator({ apps: [app], ticketTtlMs: 0, pingIntervalMs: 0 });
    await sim.start();
    const { c } = client(async () => true);
    c.start();
    await until(() => c.status().failures >= 3, 5000, 'failures');
    expect(c.status().lastError).toContain('HTTP 401');
    expect(sim.rejectedTickets).toBeGreaterThanOrEqual(3);
    // A fresh ticket for every attempt, never one reused.
    expect(sim.ticketsIssued(app.clientId)).toBeGreaterThanOrEqual(sim.rejectedTickets);
  });

  it('stops cleanly: closes the socket and does not reconnect', async () => {
    const { c } = client(async () => true);
    c.start();
    await until(() => sim.openStreamConnections().length === 1);
    await c.stop();
    await until(() => sim.openStreamConnections().length === 0);
    expect(c.status().state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.ticketsIssued(app.clientId)).toBe(1);
  });
});
