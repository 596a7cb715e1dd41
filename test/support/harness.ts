import net from 'net';
import crypto from 'crypto';
import { Client } from 'pg';
import { WecomSimulator, WecomSimulatorOptions } from '@zs/platform-sim';
import { createDatabaseFromTemplate, createDataSource, dropDatabase, seedCity } from '@zs/persistence';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Mesh } = require('../../scripts/lib/mesh');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { randomWecomApp, wecomAppEnv } = require('../../scripts/lib/credentials');

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * Where the engines are: the same variables the services read, so a CI job or a developer
 * with PostgreSQL, Redis or NATS elsewhere points the tests there. The defaults are the
 * local engines `npm test` starts (scripts/lib/infra.js).
 */
export const infra = {
  databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang',
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  natsUrl: process.env.NATS_URL || 'nats://127.0.0.1:4222',
};

/** The configured server with a database of the run's own, e.g. postgres://u:p@db:5432/zs_test_1a2b3c4d. */
export function testDatabaseUrl(id: string, base = infra.databaseUrl): string {
  const u = new URL(base);
  u.pathname = `/zs_test_${id}`;
  return u.toString();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Polls until `check` returns a truthy value; never a fixed sleep. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface TestSystem {
  env: Record<string, string>;
  sim: WecomSimulator;
  mesh: InstanceType<typeof Mesh>;
  db: Client;
  gatewayUrl: string;
  admin(path: string, init?: RequestInit): Promise<{ status: number; body: any }>;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * A whole system for one test file, isolated from every other run on the same engines:
 * its own database, NATS namespace (subjects, streams) and Redis prefix, and random ports.
 */
export interface StartOptions {
  services?: string[];
  /**
   * Extra environment for the services, computed once the gateway's port is known
   * (e.g. to start another platform simulator pointed at the gateway).
   */
  extraEnv?: (ctx: { gatewayUrl: string; env: Record<string, string> }) => Promise<Record<string, string>>;
  /** Options for the WeCom simulator (e.g. shorter rate-limit windows, a member directory, longer retries). */
  wecomSim?: Pick<WecomSimulatorOptions, 'rateLimits' | 'members' | 'maxAttempts' | 'retryDelayMs'>;
  /** The run's NAMESPACE (default: random), for a test that must know it before the services start. */
  namespace?: string;
  /** Environment of one service on top of the shared one (e.g. its own NATS credentials). */
  serviceEnv?: (service: string) => Record<string, string>;
  /** Run the services under npm start's supervisor: one that dies is started again with backoff. */
  supervise?: boolean;
}

export async function startSystem(opts: StartOptions = {}): Promise<TestSystem> {
  const id = crypto.randomBytes(4).toString('hex');
  const ns = opts.namespace ?? `t${id}`;
  const databaseUrl = testDatabaseUrl(id);
  await createDatabaseFromTemplate(databaseUrl);
  const ds = createDataSource(databaseUrl, 'test-seed', 2);
  await ds.initialize();
  await seedCity(ds, 'yiyang', true);
  await ds.destroy();

  const [gatewayPort, p1, p2, p3, p4] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const wecom = randomWecomApp('wwtest0000000001');
  const sim = new WecomSimulator({
    ...wecom,
    callbackUrl: `http://127.0.0.1:${gatewayPort}/wecom/callback`,
    port: 0,
    host: '127.0.0.1',
    ...opts.wecomSim,
  });
  const { baseUrl } = await sim.start();

  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    INBOUND_ACK_WAIT_MS: '4000',
    OUTBOUND_LOCK_MS: '4000',
    NAMESPACE: ns,
    POLICY_PROFILE: 'yiyang',
    DATABASE_URL: databaseUrl,
    REDIS_URL: infra.redisUrl,
    NATS_URL: infra.natsUrl,
    ADMIN_TOKEN,
    SECRET_ENCRYPTION_KEYS: `t1:${crypto.randomBytes(32).toString('base64')}`,
    GATEWAY_PORT: String(gatewayPort),
    LEAD_INTAKE_PORT: String(p1),
    SCORING_PORT: String(p2),
    NOTIFICATION_PORT: String(p3),
    SCHEDULER_PORT: String(p4),
    ...wecomAppEnv(wecom, baseUrl),
  };
  Object.assign(env, (await opts.extraEnv?.({ gatewayUrl: `http://127.0.0.1:${gatewayPort}`, env: { ...env } })) ?? {});
  const logs: string[] = [];
  const mesh = new Mesh({
    env,
    serviceEnv: opts.serviceEnv,
    onLine: (name: string, line: string) => logs.push(`[${name}] ${line}`),
    supervise: opts.supervise,
    onSupervisor: (name: string, message: string) => logs.push(`[supervisor] ${name}: ${message}`),
  });
  const services = opts.services ?? mesh.names();
  for (const s of services) mesh.start(s);
  try {
    await Promise.all(services.map((s: string) => mesh.waitReady(s, 60000)));
  } catch (e) {
    await mesh.stopAll('SIGKILL');
    await sim.stop();
    throw new Error(`${(e as Error).message}\n${logs.slice(-40).join('\n')}`);
  }
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;

  return {
    env,
    sim,
    mesh,
    db,
    gatewayUrl,
    logs,
    async admin(path, init = {}) {
      const res = await fetch(`${gatewayUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body };
    },
    async stop() {
      await mesh.stopAll('SIGTERM');
      await sim.stop();
      await db.end();
      await dropDatabase(databaseUrl).catch(() => undefined);
      await cleanupNamespace(ns, env);
    },
  };
}

/**
 * Removes the run's JetStream streams and Redis keys. Streams are removed from the engines this test
 * run was given (NATS_URL of the run): a test that brings its own locked-down NATS server (credentials,
 * TLS) throws that server away with its streams.
 */
async function cleanupNamespace(ns: string, env: Record<string, string>) {
  const { connect } = await import('nats');
  const nc = await connect({ servers: infra.natsUrl.split(',') });
  const jsm = await nc.jetstreamManager();
  for (const s of ['CHAT_INBOUND', 'NOTIFY', 'EVENTS', 'DEAD_LETTER']) await jsm.streams.delete(`${ns.toUpperCase()}_${s}`).catch(() => undefined);
  await nc.close();
  const Redis = (await import('ioredis')).default;
  const redis = new Redis(env.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

/**
 * Runs a schedule now through the admin API and waits for the run to end. POST …/run answers
 * 202 { runId } at once; the run's record (status, reason, pushes, summary) is read from
 * GET …/runs when it is no longer running, and returned.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runScheduleAndWait(sys: Pick<TestSystem, 'admin'>, scheduleId: string, body: unknown = {}, timeoutMs = 60000): Promise<any> {
  const started = await sys.admin(`/api/schedules/${scheduleId}/run`, { method: 'POST', body: JSON.stringify(body) });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ runId: expect.any(String), status: 'running' });
  return waitFor(
    async () => (await sys.admin(`/api/schedules/${scheduleId}/runs`)).body.find((r: { id: string; status: string }) => r.id === started.body.runId && r.status !== 'running'),
    timeoutMs,
    `run ${started.body.runId} of schedule ${scheduleId} to finish`,
  );
}

/** What the bot sent to one person, as the simulator recorded it. */
export function repliesTo(sim: WecomSimulator, userid: string): string[] {
  return sim
    .delivered()
    .filter((d) => d.kind === 'app' && d.status === 'delivered' && d.touser?.includes(userid))
    .map((d) => d.content);
}
