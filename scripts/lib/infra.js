// Makes sure PostgreSQL, Redis and NATS (JetStream) answer at their configured URLs:
// reuses running ones, starts local ones when their programs are installed, installs missing
// programs on Debian/Ubuntu (engine-install.js) and otherwise says exactly what to install.
// Redis and NATS started here keep their data under .run/ of the checkout, so it survives a
// reboot and the next start finds it. Used by `npm start`, `npm test` and CI.
const net = require('net');
const fs = require('fs');
const path = require('path');
const { execSync, execFileSync, spawnSync } = require('child_process');
const { installEngines } = require('./engine-install');

/** Where Redis and NATS started by this script keep their data (gitignored). */
const RUN_DIR = path.resolve(__dirname, '..', '..', '.run');
const REDIS_DIR = path.join(RUN_DIR, 'redis');
const NATS_DIR = path.join(RUN_DIR, 'nats');

const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/zhaoshang',
  REDIS_URL: 'redis://127.0.0.1:6379',
  NATS_URL: 'nats://127.0.0.1:4222',
};

function hostPort(url, defPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defPort) };
}

function probe({ host, port }, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const isLocal = (h) => ['127.0.0.1', 'localhost', '::1'].includes(h);
/** Absolute path of a program on PATH (or in sbin, which a non-login PATH may lack), or null. */
function which(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin} || ls /usr/sbin/${bin} /usr/local/sbin/${bin} 2>/dev/null`], { encoding: 'utf8' });
  const found = (r.stdout || '').split('\n').find((l) => l.startsWith('/'));
  return found || null;
}
const has = (bin) => which(bin) !== null;

/** redis-server arguments: AOF on (every second), data, log and pid file under .run/redis. */
function redisArgs(port) {
  return [
    '--daemonize', 'yes',
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--dir', REDIS_DIR,
    '--logfile', path.join(REDIS_DIR, 'redis.log'),
    '--pidfile', path.join(REDIS_DIR, 'redis.pid'),
  ];
}

/** nats-server arguments: JetStream with its store, log and pid file under .run/nats. */
function natsArgs(port) {
  return ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', NATS_DIR, '-l', path.join(NATS_DIR, 'nats.log'), '-P', path.join(NATS_DIR, 'nats.pid')];
}

const SERVICES = [
  {
    name: 'PostgreSQL',
    key: 'postgresql',
    env: 'DATABASE_URL',
    defPort: 5432,
    canStart: () => has('pg_ctlcluster') && fs.existsSync('/etc/postgresql'),
    start: () => {
      const version = fs.readdirSync('/etc/postgresql')[0];
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: 'inherit' });
    },
  },
  {
    name: 'Redis',
    key: 'redis',
    env: 'REDIS_URL',
    defPort: 6379,
    canStart: () => has('redis-server'),
    start: ({ port }) => {
      fs.mkdirSync(REDIS_DIR, { recursive: true });
      execFileSync(which('redis-server'), redisArgs(port), { stdio: 'inherit' });
    },
  },
  {
    name: 'NATS (JetStream)',
    key: 'nats',
    env: 'NATS_URL',
    defPort: 4222,
    canStart: () => has('nats-server'),
    start: ({ port }) => {
      const bin = which('nats-server');
      fs.mkdirSync(NATS_DIR, { recursive: true });
      if (has('start-stop-daemon')) {
        // --pidfile: without it, start-stop-daemon takes any running nats-server (another port,
        // another checkout, the system's own) for this one and starts nothing.
        const pidFile = path.join(NATS_DIR, 'nats.pid');
        execFileSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--pidfile', pidFile, '--exec', bin, '--', ...natsArgs(port)], { stdio: 'inherit' });
      } else {
        require('child_process').spawn(bin, natsArgs(port), { detached: true, stdio: 'ignore' }).unref();
      }
    },
  },
];

async function waitFor(addr, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe(addr, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * true when the NATS server at `url` has JetStream, false when it answers without it (503),
 * null when it cannot be asked.
 */
async function jetStreamEnabled(url) {
  let nc;
  try {
    const { connect } = require('nats');
    nc = await connect({ servers: url, timeout: 3000, reconnect: false });
    await nc.jetstreamManager({ timeout: 3000 });
    return true;
  } catch (e) {
    return e && String(e.code) === '503' ? false : null;
  } finally {
    await nc?.close().catch(() => undefined);
  }
}

const systemctlActive = (unit) => has('systemctl') && spawnSync('systemctl', ['is-active', '--quiet', unit]).status === 0;

/**
 * NATS answers but without JetStream. Debian's nats-server package starts such a service (its
 * /etc/nats-server.conf has no jetstream block). When this run has just installed that package,
 * its service is ours to stop: npm start runs nats-server with JetStream under .run/nats instead.
 * A server that was there before is somebody's: say what to change, change nothing.
 */
/** Pure: stop the package's service only when this run installed it and it is what answers. */
function jetStreamRemedy({ local, installedNow, serviceActive }) {
  return local && installedNow.includes('nats') && serviceActive ? 'disable-package-service' : 'explain';
}

function withoutJetStream(addr, installedNow, log) {
  const remedy = jetStreamRemedy({ local: isLocal(addr.host), installedNow, serviceActive: installedNow.includes('nats') && systemctlActive('nats-server') });
  if (remedy === 'disable-package-service') {
    log(`  the nats-server package started its own service without JetStream; disabling it (systemctl disable --now nats-server), npm start runs nats-server with JetStream in ${NATS_DIR}`);
    // The install just ran as root or through sudo, so this can too.
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? [] : ['sudo'];
    const argv = [...asRoot, 'systemctl', 'disable', '--now', 'nats-server'];
    spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
    return null;
  }
  return (
    `NATS at ${addr.host}:${addr.port} answers but JetStream is off. Enable it in that server's configuration ` +
    `(Debian's /etc/nats-server.conf: add  jetstream { store_dir: "/var/lib/nats-server/jetstream" }  then systemctl restart nats-server), ` +
    `or stop that server so npm start runs its own with JetStream, or point NATS_URL at a JetStream-enabled server.`
  );
}

async function ensureInfra(env = process.env, log = console.log) {
  const problems = [];
  const down = [];
  const found = [];
  for (const svc of SERVICES) {
    const url = env[svc.env] || DEFAULTS[svc.env];
    const firstUrl = url.split(',')[0];
    const addr = hostPort(firstUrl, svc.defPort);
    const entry = { svc, addr, url: firstUrl };
    if (await probe(addr)) {
      log(`✓ ${svc.name} answers at ${addr.host}:${addr.port}`);
      found.push(entry);
      continue;
    }
    if (!isLocal(addr.host)) {
      problems.push(`${svc.name} does not answer at ${addr.host}:${addr.port} (${svc.env}); start it or fix ${svc.env}.`);
      continue;
    }
    down.push(entry);
  }
  const missing = down.filter(({ svc }) => !svc.canStart()).map(({ svc }) => svc.key);
  let installedNow = [];
  if (missing.length) {
    try {
      if (installEngines(missing, { log }).installed) installedNow = missing;
    } catch (e) {
      problems.push(e.message);
    }
  }
  const nats = [...found, ...down].find(({ svc }) => svc.key === 'nats');
  for (const entry of down) {
    const { svc, addr } = entry;
    // A package just installed may have started its own service on the port.
    if (installedNow.includes(svc.key) && (await waitFor(addr, 3000))) {
      log(`✓ ${svc.name} answers at ${addr.host}:${addr.port} (the service its package started)`);
      if (svc.key !== 'nats') continue;
      if ((await jetStreamEnabled(entry.url)) !== false) continue;
      const problem = withoutJetStream(addr, installedNow, log);
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (!(await waitGone(addr, 10000))) {
        problems.push(`NATS at ${addr.host}:${addr.port} is still answering without JetStream after its service was stopped.`);
        continue;
      }
    }
    if (!svc.canStart()) {
      problems.push(`${svc.name} is not running and not installed here (see above), or point ${svc.env} at a running server.`);
      continue;
    }
    log(`… starting ${svc.name} on ${addr.host}:${addr.port}`);
    try {
      svc.start(addr);
    } catch (e) {
      problems.push(`${svc.name} could not be started: ${e.message}`);
      continue;
    }
    if (await waitFor(addr, 20000)) log(`✓ ${svc.name} started${svc.key === 'postgresql' ? '' : `, data in ${svc.key === 'redis' ? REDIS_DIR : NATS_DIR}`}`);
    else problems.push(`${svc.name} was started but does not answer at ${addr.host}:${addr.port} after 20 s.`);
  }
  // The services need JetStream, not just a NATS port: say so here rather than in five crash logs.
  if (nats && found.includes(nats) && (await jetStreamEnabled(nats.url)) === false) {
    problems.push(withoutJetStream(nats.addr, [], log));
  }
  if (problems.length) {
    const err = new Error(`infrastructure not ready:\n  - ${problems.join('\n  - ')}`);
    err.problems = problems;
    throw err;
  }
}

async function waitGone(addr, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await probe(addr, 500))) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

module.exports = { ensureInfra, DEFAULTS, probe, hostPort, redisArgs, natsArgs, jetStreamEnabled, jetStreamRemedy, RUN_DIR };

if (require.main === module) {
  ensureInfra().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
