// `npm start` from a fresh clone on a stock Debian/Ubuntu server: a second PostgreSQL cluster
// made with the distribution's default authentication (peer on the socket, scram-sha-256 over
// TCP), and no Redis or NATS at the configured ports. The run has to set up its own PostgreSQL
// role, start Redis and NATS with their data under .run/, and register a lead typed into the chat
// console. Everything it creates (cluster, clone, Redis, NATS, processes) is removed afterwards,
// also when a step fails. Needs root (pg_createcluster); elsewhere it is skipped with the reason.
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { Client } from 'pg';
import { freePort, waitFor } from '../support/harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installEngines, hostFacts } = require('../../scripts/lib/engine-install');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureInfra } = require('../../scripts/lib/infra');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePostgresAccess } = require('../../scripts/lib/postgres-access');

const ROOT = path.resolve(__dirname, '..', '..');
const LEAD =
  '报线索 企业：湖南岳麓精密机械有限公司 行业：装备制造 投资额：3亿元 联系人：赵经理 13700001234 内容：拟建精密零部件生产线';
const CLUSTER_PREFIX = 'zs_stock_';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status === 0;

function whyNotHere(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (!has('pg_createcluster')) return 'pg_createcluster is not available (PostgreSQL from Debian/Ubuntu packages is needed)';
  if (process.getuid?.() !== 0) return 'creating a PostgreSQL cluster needs root';
  if (!has('redis-server') || !has('nats-server')) return 'redis-server and nats-server must be installed';
  return null;
}

/** The newest installed PostgreSQL major version with server binaries. */
function postgresVersion(): string {
  return fs
    .readdirSync('/usr/lib/postgresql')
    .filter((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
    .sort((a, b) => Number(b) - Number(a))[0];
}

/** Clusters this test left behind when it was killed (older than 15 minutes), removed first. */
function dropStaleClusters() {
  const out = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).stdout || '';
  for (const line of out.split('\n')) {
    const [version, name] = line.trim().split(/\s+/);
    if (!name?.startsWith(CLUSTER_PREFIX)) continue;
    const conf = `/etc/postgresql/${version}/${name}`;
    const age = fs.existsSync(conf) ? Date.now() - fs.statSync(conf).mtimeMs : Infinity;
    if (age > 15 * 60_000) spawnSync('pg_dropcluster', ['--stop', version, name], { stdio: 'ignore' });
  }
  // And the clones of such runs, with the Redis and NATS they started.
  for (const d of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('zs-stock-'))) {
    const dir = path.join(os.tmpdir(), d);
    if (Date.now() - fs.statSync(dir).mtimeMs < 15 * 60_000) continue;
    for (const name of ['redis', 'nats']) killPidFile(path.join(dir, 'zhaoshang', '.run', name, `${name}.pid`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What `git clone` of this working tree would give: tracked and new files, nothing ignored (.run/, dist/). */
function freshClone(dest: string) {
  const files = execFileSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, f));
  }
  // The installed dependencies are shared, so that the clone does not download them again.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Stops the Redis or NATS a pid file names, only if that pid still is one (pids get reused). */
function killPidFile(file: string) {
  if (!fs.existsSync(file)) return;
  const pid = Number(fs.readFileSync(file, 'utf8').trim());
  if (!(pid > 0)) return;
  const cmdline = fs.existsSync(`/proc/${pid}/cmdline`) ? fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  if (!/redis-server|nats-server/.test(cmdline)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const reason = whyNotHere();
if (reason) console.warn(`stock-server start test skipped: ${reason}`);
const describeOnStockServer = reason ? describe.skip : describe;

describeOnStockServer('npm start from a fresh clone on a stock Debian/Ubuntu PostgreSQL', () => {
  const id = crypto.randomBytes(3).toString('hex');
  const cluster = `${CLUSTER_PREFIX}${id}`;
  const version = reason ? '' : postgresVersion();
  let tmp = '';
  let clone = '';
  let runDir = '';
  let env: Record<string, string> = {};
  let pgPort = 0;
  let hbaBefore = '';
  let npmStart: ChildProcess | undefined;
  let output = '';

  const hbaFile = () => `/etc/postgresql/${version}/${cluster}/pg_hba.conf`;
  const clusterLog = () => `/var/log/postgresql/postgresql-${version}-${cluster}.log`;

  beforeAll(async () => {
    dropStaleClusters();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-stock-'));
    clone = path.join(tmp, 'zhaoshang');
    runDir = path.join(clone, '.run');
    pgPort = await freePort();
    // The distribution's defaults, as `apt-get install postgresql` leaves a server; connection
    // logging on, with the client address, to see who signed in how.
    execFileSync(
      'pg_createcluster',
      [version, cluster, '-p', String(pgPort), '--start', '--start-conf', 'manual', '-o', 'log_connections=on', '-o', 'log_line_prefix=%m %r ', '--', '--auth-local=peer', '--auth-host=scram-sha-256'],
      { stdio: 'pipe' },
    );
    hbaBefore = sha256(hbaFile());
    freshClone(clone);

    const [gateway, leadIntake, scoring, notification, scheduler, sim, simDingtalk, redis, nats] = await Promise.all(Array.from({ length: 9 }, () => freePort()));
    env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      HOME: process.env.HOME ?? '/root',
      LANG: 'C.UTF-8',
      // What the README's default would be on that server: the superuser, no password.
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/zhaoshang`,
      // Nothing listens here: npm start has to start its own Redis and NATS.
      REDIS_URL: `redis://127.0.0.1:${redis}`,
      NATS_URL: `nats://127.0.0.1:${nats}`,
      INSTALL_ENGINES: 'never', // every engine is installed on this machine; never touch its packages
      GATEWAY_PORT: String(gateway),
      LEAD_INTAKE_PORT: String(leadIntake),
      SCORING_PORT: String(scoring),
      NOTIFICATION_PORT: String(notification),
      SCHEDULER_PORT: String(scheduler),
      SIM_PORT: String(sim),
      SIM_DINGTALK_PORT: String(simDingtalk),
    };
    npmStart = spawn(process.execPath, ['scripts/start.js'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    npmStart.stdout!.on('data', (c) => (output += c));
    npmStart.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<never>((_, reject) =>
      npmStart!.once('exit', (code) => reject(new Error(`npm start exited with ${code}`))),
    );
    await Promise.race([waitFor(() => output.includes('招商引资助手 is running.'), 300_000, 'npm start to report the system running'), exited]).catch((e) => {
      throw new Error(`${e.message}\n--- npm start output ---\n${output.slice(-3000)}`);
    });
  }, 360_000);

  afterAll(async () => {
    if (npmStart?.pid && npmStart.exitCode === null) {
      try {
        process.kill(-npmStart.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      await waitFor(() => npmStart!.exitCode !== null, 20_000, 'npm start to stop').catch(() => {
        try {
          process.kill(-npmStart!.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      });
    }
    if (runDir) for (const name of ['redis', 'nats']) killPidFile(path.join(runDir, name, `${name}.pid`));
    spawnSync('pg_dropcluster', ['--stop', version, cluster], { stdio: 'ignore' });
    fs.rmSync(clusterLog(), { force: true });
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  const savedUrl = () => /^DATABASE_URL=(.+)$/m.exec(fs.readFileSync(path.join(runDir, 'postgres.env'), 'utf8'))![1];

  async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: savedUrl() });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  it('signs in as a login role of its own, made through the local superuser, its password kept in .run/', async () => {
    expect(output).toContain('creating login role "zhaoshang" and database "zhaoshang" through the local superuser');
    const file = path.join(runDir, 'postgres.env');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const url = new URL(savedUrl());
    expect(url.username).toBe('zhaoshang');
    expect(url.password.length).toBeGreaterThanOrEqual(24);
    expect(url.port).toBe(String(pgPort));
    const [role] = await query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean; owner: string }>(
      `SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, pg_get_userbyid(d.datdba) AS owner
       FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    expect(role).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false, owner: 'zhaoshang' });
    // The password is nowhere in what npm start printed.
    expect(output).not.toContain(url.password);
  });

  it("leaves the server's authentication rules alone and never signs the superuser in over TCP", () => {
    expect(sha256(hbaFile())).toBe(hbaBefore);
    const authorized = fs.readFileSync(clusterLog(), 'utf8').split('\n').filter((l) => l.includes('connection authorized'));
    expect(authorized.some((l) => l.includes('[local]') && l.includes('user=postgres'))).toBe(true); // peer, on the socket
    expect(authorized.filter((l) => !l.includes('[local]') && l.includes('user=postgres'))).toEqual([]);
    expect(authorized.some((l) => !l.includes('[local]') && l.includes('user=zhaoshang'))).toBe(true);
  });

  const chatConsole = () => `http://127.0.0.1:${env.SIM_PORT}`;

  async function demoMember() {
    const [member] = await query<{ userid: string; unit: string }>(
      `SELECT m.wecom_user_id AS userid, u.name AS unit FROM members m JOIN units u ON u.id = m.unit_id
       WHERE u.kind IN ('county','park') AND m.wecom_user_id IS NOT NULL ORDER BY m.id LIMIT 1`,
    );
    return member;
  }

  /** Types a message into the chat console, as a person does. */
  async function sendChat(userid: string, text: string): Promise<{ acked: boolean }> {
    const res = await fetch(`${chatConsole()}/console/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid, text }),
    });
    return (await res.json()) as { acked: boolean };
  }

  it('registers a lead typed into the chat console and answers with its number', async () => {
    const member = await demoMember();
    expect((await sendChat(member.userid, LEAD)).acked).toBe(true);
    const reply = await waitFor(
      async () => {
        const feed = (await fetch(`${chatConsole()}/console/api/messages`).then((r) => r.json())) as {
          items: Array<{ dir: string; kind?: string; touser?: string[]; content?: string }>;
        };
        return feed.items.find((i) => i.dir === 'out' && i.kind === 'app' && i.touser?.includes(member.userid) && /YY-/.test(i.content ?? ''))?.content;
      },
      30_000,
      'the answer in the chat console',
    );
    expect(reply).toMatch(/YY-\d{4}-\d{6}/);
    expect(reply).toContain(member.unit);
    const leads = await query(`SELECT company_name FROM leads`);
    expect(leads).toEqual([{ company_name: '湖南岳麓精密机械有限公司' }]);
  });

  it('sets up the same way when the URL has a wrong password, or no user name at all', async () => {
    for (const [db, url] of [
      ['zs_wrong_password', `postgres://postgres:not-the-password@127.0.0.1:${pgPort}/zs_wrong_password`],
      ['zs_no_user', `postgres://127.0.0.1:${pgPort}/zs_no_user`],
    ]) {
      const savedFile = path.join(tmp, `${db}.env`);
      const lines: string[] = [];
      const got = new URL(await ensurePostgresAccess({ DATABASE_URL: url }, { savedFile, log: (l: string) => lines.push(l) }));
      expect(lines.join('\n')).toContain(`creating login role "${db}"`);
      expect(got.username).toBe(db);
      expect(fs.readFileSync(savedFile, 'utf8')).toContain(got.toString());
      const c = new Client({ connectionString: got.toString() });
      await c.connect();
      const r = await c.query('SELECT current_user AS who, current_database() AS db');
      await c.end();
      expect(r.rows[0]).toEqual({ who: db, db });
    }
  });

  it('keeps Redis (AOF) and the JetStream store under .run/, and the next start finds them and its role again', async () => {
    expect(fs.existsSync(path.join(runDir, 'redis', 'appendonlydir'))).toBe(true);
    expect(fs.existsSync(path.join(runDir, 'nats', 'jetstream'))).toBe(true);
    // Something of this test's own in both: a chat message, stored in JetStream once acknowledged.
    const member = await demoMember();
    expect((await sendChat(member.userid, '帮助')).acked).toBe(true);
    const Redis = (await import('ioredis')).default;
    const { connect } = await import('nats');
    const inboundMessages = async () => {
      const nc = await connect({ servers: env.NATS_URL });
      try {
        return (await (await nc.jetstreamManager()).streams.info('ZS_CHAT_INBOUND')).state.messages;
      } finally {
        await nc.close();
      }
    };
    // The keys that must survive the restart: those without an expiry. Short-lived ones (BullMQ's
    // stalled-check marker lives OUTBOUND_LOCK_MS, 5 s) may lapse between the two reads by design.
    const redisKeys = async () => {
      const r = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        const keys = await r.keys('*');
        const ttls = await Promise.all(keys.map((k) => r.pttl(k)));
        return keys.filter((_, i) => ttls[i] === -1).sort();
      } finally {
        r.disconnect();
      }
    };
    const messagesBefore = await inboundMessages();
    expect(messagesBefore).toBeGreaterThan(0);

    // Stop everything as a reboot would: the system, then Redis and NATS themselves.
    process.kill(-npmStart!.pid!, 'SIGTERM');
    await waitFor(() => npmStart!.exitCode !== null, 30_000, 'npm start to stop');
    const keysBefore = await redisKeys();
    expect(keysBefore.length).toBeGreaterThan(0);
    for (const name of ['redis', 'nats']) {
      const pid = Number(fs.readFileSync(path.join(runDir, name, `${name}.pid`), 'utf8'));
      process.kill(pid, 'SIGTERM'); // Redis flushes its append-only file on SIGTERM
      await waitFor(() => !alive(pid), 20_000, `${name} to exit`);
    }

    // The engine set-up of the next `npm start` (without the build and the services).
    const again = spawnSync(process.execPath, ['scripts/lib/engines.js'], { cwd: clone, env, encoding: 'utf8', timeout: 90_000 });
    const said = `${again.stdout}${again.stderr}`;
    expect(again.status).toBe(0);
    expect(said).toContain('signing in as "zhaoshang" (set up by an earlier start, .run/postgres.env)');
    expect(said).not.toContain('creating login role');
    expect(await redisKeys()).toEqual(keysBefore);
    expect(await inboundMessages()).toBe(messagesBefore);
  }, 120_000);
});

describe('installing missing engines, rehearsed on this machine', () => {
  it('INSTALL_ENGINES=plan prints the apt-get steps and lets apt-get simulate them, changing no package', () => {
    const facts = hostFacts();
    if (!facts.hasAptGet || !fs.existsSync('/var/lib/dpkg/status')) {
      console.warn('install rehearsal skipped: no apt-get here');
      return;
    }
    const before = sha256('/var/lib/dpkg/status');
    const lines: string[] = [];
    const r = installEngines(['postgresql', 'redis', 'nats'], { mode: 'plan', facts, log: (l: string) => lines.push(l) });
    expect(r.installed).toBe(false);
    expect(lines.join('\n')).toContain('apt-get install -y --no-install-recommends postgresql redis-server nats-server');
    expect(sha256('/var/lib/dpkg/status')).toBe(before);
  });

  it('names a NATS server without JetStream (as Debian\'s package starts it) as the problem, and leaves it running', async () => {
    if (!has('nats-server')) {
      console.warn('JetStream check skipped: no nats-server here');
      return;
    }
    const port = await freePort();
    const bin = spawnSync('sh', ['-c', 'command -v nats-server || echo /usr/sbin/nats-server'], { encoding: 'utf8' }).stdout.trim();
    const plain = spawn(bin, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      await waitFor(() => fetchable(port), 10_000, 'nats-server without JetStream to listen');
      const lines: string[] = [];
      const run = ensureInfra({ ...process.env, NATS_URL: `nats://127.0.0.1:${port}` }, (l: string) => lines.push(l));
      await expect(run).rejects.toThrow(new RegExp(`NATS at 127.0.0.1:${port} answers but JetStream is off`));
      expect(plain.exitCode).toBeNull();
    } finally {
      plain.kill('SIGTERM');
    }
  });
});

/** Whether something accepts TCP connections on the port. */
function fetchable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = require('net').connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
