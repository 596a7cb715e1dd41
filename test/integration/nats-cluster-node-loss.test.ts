import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { connect, StorageType } from 'nats';
import { namesFor } from '@zs/contracts';
import { freePort, repliesTo, startSystem, TestSystem, waitFor } from '../support/harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureNatsCluster, startNode, stopNode } = require('../../scripts/lib/nats-cluster');

/**
 * The services on a private three-node NATS cluster (scripts/lib/nats-cluster.js) with
 * NATS_URL listing all three and JETSTREAM_REPLICAS=3. Killing one node (the leader of the
 * inbound stream, the worst one to lose) costs time, not messages: the gateway still acknowledges
 * every callback within WeCom's retries, and every lead is registered and answered exactly once.
 */
describe('one node of a three-node NATS cluster lost', () => {
  let sys: TestSystem;
  let nodes: any[];
  let url: string;
  let dir: string;
  let members: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-nats-cluster-'));
    const ports: number[] = [];
    while (ports.length < 6) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    ({ url, nodes } = await ensureNatsCluster({ dir, clientPorts: ports.slice(0, 3), clusterPorts: ports.slice(3), name: 'zs-test' }));
    // The inbound stream exists already with one replica (made before JETSTREAM_REPLICAS was set):
    // the services scale it to three at boot.
    const namespace = `t${crypto.randomBytes(4).toString('hex')}`;
    const inbound = namesFor(namespace).streams.chatInbound;
    const nc = await connect({ servers: url.split(',') });
    await (await nc.jetstreamManager()).streams.add({ name: inbound.name, subjects: inbound.subjects, storage: StorageType.File, num_replicas: 1 });
    await nc.close();
    // WeCom's own retry policy: three attempts; each attempt waits at most 5 s for the 200.
    sys = await startSystem({
      namespace,
      extraEnv: async () => ({
        NATS_URL: url,
        JETSTREAM_REPLICAS: '3',
        // The test's company names differ only in a number: not possible duplicates of each other here.
        FIRST_CONTACT_SIMILARITY: '0.99',
      }),
    });
    members = (await sys.db.query(`SELECT wecom_user_id AS u FROM members WHERE wecom_user_id IS NOT NULL ORDER BY id LIMIT 4`)).rows.map((r) => r.u);
  }, 240000);

  afterAll(async () => {
    await sys?.stop();
    for (const n of nodes ?? []) await stopNode(n, 'SIGKILL');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const leadsOf = async (prefix: string) =>
    (await sys.db.query(`SELECT company_name AS c, count(*)::int AS n FROM leads WHERE company_name LIKE $1 GROUP BY company_name`, [`${prefix}%`])).rows as {
      c: string;
      n: number;
    }[];

  /** Sends `count` leads and returns the company names and whether WeCom got its 200 for each. */
  const burst = async (prefix: string, count: number) => {
    // Concurrent across members, one after the other for each member (as a person types).
    const sent: { company: string; member: string; acked: boolean }[] = [];
    await Promise.all(
      members.map(async (member, m) => {
        for (let i = m; i < count; i += members.length) {
          const company = `${prefix}${String(i + 1).padStart(2, '0')}号科技有限公司`;
          const r = await sys.sim.sendText(member, `报线索 企业：${company} 行业：电子信息 投资额：3000万元 内容：集群节点故障验证`);
          sent.push({ company, member, acked: r.acked });
        }
      }),
    );
    return sent;
  };

  const expectEachRegisteredAndAnsweredOnce = async (prefix: string, sent: { company: string; member: string }[]) => {
    await waitFor(async () => (await leadsOf(prefix)).length === sent.length, 90000, `${sent.length} leads ${prefix} registered`).catch(async (e) => {
      // What the services said meanwhile, counted by message: the reason a lead is missing.
      const said = new Map<string, number>();
      for (const l of sys.logs) {
        const m = /^\[([^\]]+)\] (\{.*\})$/.exec(l);
        if (!m) continue;
        const j = JSON.parse(m[2]);
        if (j.level !== 'warn' && j.level !== 'error' && j.level !== 'fatal') continue;
        const k = `${m[1]} ${j.level} ${j.msg} ${j.err?.message ?? ''} ${j.subject ?? j.durable ?? ''}`;
        said.set(k, (said.get(k) ?? 0) + 1);
      }
      const have = new Set((await leadsOf(prefix)).map((r) => r.c));
      const missing = sent.filter((x) => !have.has(x.company));
      const answers = missing.map((x) => `${x.company}: ${JSON.stringify(repliesTo(sys.sim, x.member).slice(-3))}`).join('\n');
      throw new Error(`${(e as Error).message}; registered ${have.size}\n${answers}\n${[...said].map(([k, n]) => `${n}× ${k}`).join('\n')}`);
    });
    expect((await leadsOf(prefix)).filter((r) => r.n !== 1)).toEqual([]);
    for (const s of sent) {
      await waitFor(() => repliesTo(sys.sim, s.member).some((c) => c.includes(s.company)), 90000, `the answer about ${s.company}`);
      expect({ company: s.company, answers: repliesTo(sys.sim, s.member).filter((c) => c.includes(s.company)).length }).toEqual({ company: s.company, answers: 1 });
    }
  };

  it('creates every stream with three replicas, and scales the one that had one', async () => {
    const nc = await connect({ servers: url.split(',') });
    try {
      const jsm = await nc.jetstreamManager();
      const ns = sys.env.NAMESPACE.toUpperCase();
      const infos = [];
      for await (const s of jsm.streams.list()) if (s.config.name.startsWith(`${ns}_`)) infos.push(s);
      expect(infos.length).toBeGreaterThanOrEqual(3);
      for (const s of infos) expect({ stream: s.config.name, replicas: s.config.num_replicas }).toEqual({ stream: s.config.name, replicas: 3 });
    } finally {
      await nc.close();
    }
  });

  it('accepts and answers every lead while the inbound stream leader is down, and after it returns', async () => {
    const warm = await burst('集群前', 5);
    expect(warm.every((s) => s.acked)).toBe(true);
    await expectEachRegisteredAndAnsweredOnce('集群前', warm);

    const nc = await connect({ servers: url.split(',') });
    const leader = (await (await nc.jetstreamManager()).streams.info(`${sys.env.NAMESPACE.toUpperCase()}_CHAT_INBOUND`)).cluster?.leader;
    await nc.close();
    const victim = nodes.find((n) => `zs-test-${n.name}` === leader) ?? nodes[0];
    await stopNode(victim, 'SIGKILL');

    const during = await burst('集群中', 20);
    expect(during.filter((s) => !s.acked)).toEqual([]);
    await expectEachRegisteredAndAnsweredOnce('集群中', during);

    startNode(victim);
    await waitFor(async () => {
      const c = await connect({ servers: [`nats://127.0.0.1:${victim.port}`], reconnect: false, timeout: 1000 }).catch(() => null);
      if (!c) return false;
      await c.close();
      return true;
    }, 30000, 'the node back');
    const after = await burst('集群后', 10);
    expect(after.filter((s) => !s.acked)).toEqual([]);
    await expectEachRegisteredAndAnsweredOnce('集群后', after);
  }, 400000);
});
