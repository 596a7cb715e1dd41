import crypto from 'crypto';
import { connect, NatsConnection, Subscription } from 'nats';
import { namesFor, natsInboxPrefix, natsUserName, Rpc } from '@zs/contracts';
import { repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';
import { AuthNatsServer, startAuthNatsServer } from '../support/nats-auth-server';

/** The error a subscription ends with (the server refused it), or '' if it ended cleanly. */
async function subscriptionError(sub: Subscription): Promise<string> {
  try {
    for await (const m of sub) void m;
    return '';
  } catch (e) {
    return String((e as Error).message);
  }
}

const LEAD = '报线索 企业：长沙市岳麓精密机械有限公司 行业：装备制造 投资额：3亿元 联系人：周经理 13700001111 内容：拟建精密零部件产线';

/**
 * The mesh on a nats-server that requires credentials, each service with its own identity
 * and the permissions generated from libs/contracts (nats-permissions.ts). Proves the
 * allow-lists are wide enough for real work and narrow enough to refuse what they should.
 */
describe('NATS locked down: every service its own identity and allow-list', () => {
  const ns = `a${crypto.randomBytes(4).toString('hex')}`;
  let nats: AuthNatsServer;
  let sys: TestSystem;
  const open: NatsConnection[] = [];

  const tls = () => ({ tls: { caFile: nats.caFile } });
  const as = async (service: Parameters<AuthNatsServer['credentials']>[0]) => {
    const c = nats.credentials(service);
    const nc = await connect({ servers: nats.url, user: c.NATS_USER, pass: c.NATS_PASSWORD, inboxPrefix: natsInboxPrefix(ns, service), ...tls() });
    open.push(nc);
    return nc;
  };

  beforeAll(async () => {
    // TLS on, as an operator enables it: the services verify the server with NATS_TLS_CA.
    nats = await startAuthNatsServer(ns, { tls: true });
    sys = await startSystem({
      namespace: ns,
      extraEnv: async () => ({ NATS_URL: nats.url, NATS_TLS: 'true', NATS_TLS_CA: nats.caFile! }),
      serviceEnv: (service) => {
        const c = nats.credentials(service as never);
        // scheduler gets its credentials inside NATS_URL instead, as some operators write them.
        if (service === 'scheduler') return { NATS_URL: `tls://${c.NATS_USER}:${c.NATS_PASSWORD}@127.0.0.1:${nats.port}` };
        return c;
      },
    });
  }, 240000);

  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await sys?.stop();
    await nats?.stop();
  });

  it('runs the whole lead flow: callback, JetStream to lead-intake, answer through notification', async () => {
    const r = await sys.db.query(`SELECT wecom_user_id AS userid FROM members WHERE wecom_user_id IS NOT NULL ORDER BY id LIMIT 1`);
    const userid: string = r.rows[0].userid;
    const sent = await sys.sim.sendText(userid, LEAD);
    expect(sent.acked).toBe(true);
    const reply = await waitFor(() => repliesTo(sys.sim, userid)[0], 30000, 'the answer to the lead');
    expect(reply).toMatch(/YY-\d{4}-\d{6}/);
  });

  it('answers admin requests from every service over request/reply', async () => {
    expect((await sys.admin('/api/units')).status).toBe(200); // lead-intake
    expect((await sys.admin('/api/robots')).status).toBe(200); // notification
    // scoring has no admin route yet: ask it as the gateway would.
    const gw = await as('bot-gateway');
    const subject = Rpc.scoringPing.replace(/^[^.]+/, ns);
    const pong = await gw.request(subject, new TextEncoder().encode(JSON.stringify({ pattern: subject, data: {}, id: '1' })), { timeout: 5000 });
    expect(Buffer.from(pong.data).toString()).toContain('scoring');
  });

  it('every service is ready on the locked-down server, and none hit a permission it lacks', async () => {
    for (const s of sys.mesh.names()) await sys.mesh.waitReady(s, 5000);
    expect(nats.log.filter((l) => /violation/i.test(l))).toEqual([]);
  });

  it('refuses a client without credentials, one with a wrong password, and one without TLS', async () => {
    await expect(connect({ servers: nats.url, reconnect: false, ...tls() })).rejects.toThrow(/Authorization Violation/i);
    await expect(
      connect({ servers: nats.url, user: natsUserName(ns, 'lead-intake'), pass: 'wrong-password', reconnect: false, ...tls() }),
    ).rejects.toThrow(/Authorization Violation/i);
    const c = nats.credentials('lead-intake');
    await expect(connect({ servers: `nats://127.0.0.1:${nats.port}`, user: c.NATS_USER, pass: c.NATS_PASSWORD, reconnect: false, tls: null })).rejects.toThrow();
  });

  it('refuses a service publishing inbound chat messages: only the gateway, which checks signatures, may', async () => {
    const names = namesFor(ns);
    const nc = await as('notification');
    const js = nc.jetstream();
    await expect(js.publish(names.subjects.chatInbound('wecom'), new TextEncoder().encode('{}'), { timeout: 3000 })).rejects.toThrow(
      /permissions violation|timeout|503/i,
    );
    // and nothing reached the stream
    const admin = await connect({ servers: nats.url, user: nats.admin.user, pass: nats.admin.pass, ...tls() });
    open.push(admin);
    const before = (await (await admin.jetstreamManager()).streams.info(names.streams.chatInbound.name)).state.messages;
    expect(before).toBe(1); // the one lead above
  });

  it('refuses reading the chat stream or another service inbox, and deleting a stream', async () => {
    const names = namesFor(ns);
    const gw = await as('bot-gateway');
    expect(await subscriptionError(gw.subscribe(names.subjects.chatInboundAll))).toMatch(/permissions violation/i);
    const spy = await as('notification');
    expect(await subscriptionError(spy.subscribe(`${natsInboxPrefix(ns, 'lead-intake')}.>`))).toMatch(/permissions violation/i);
    const li = await as('lead-intake');
    const jsm = await li.jetstreamManager();
    await expect(jsm.streams.delete(names.streams.chatInbound.name)).rejects.toThrow(/permissions violation|timeout|503/i);
    await expect(jsm.streams.purge(names.streams.notify.name)).rejects.toThrow(/permissions violation|timeout|503/i);
    const admin = await connect({ servers: nats.url, user: nats.admin.user, pass: nats.admin.pass, ...tls() });
    open.push(admin);
    expect((await (await admin.jetstreamManager()).streams.info(names.streams.chatInbound.name)).state.messages).toBeGreaterThan(0);
  });

  it('logs no NATS password, not even the one written into NATS_URL', () => {
    const all = sys.logs.join('\n');
    for (const pw of Object.values(nats.passwords)) expect(all).not.toContain(pw);
    // The server does log violations (the refusals above), so the clean log checked earlier means something.
    expect(nats.log.some((l) => /violation/i.test(l))).toBe(true);
  });
});
