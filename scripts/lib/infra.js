// Makes sure PostgreSQL, Redis and NATS (JetStream) answer at their configured URLs:
// reuses running ones, starts local ones when their programs are installed, and
// otherwise says exactly what to install. Used by `npm start`, `npm test` and CI.
const net = require('net');
const fs = require('fs');
const { execSync, spawnSync } = require('child_process');

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

const SERVICES = [
  {
    name: 'PostgreSQL',
    env: 'DATABASE_URL',
    defPort: 5432,
    canStart: () => has('pg_ctlcluster') && fs.existsSync('/etc/postgresql'),
    start: () => {
      const version = fs.readdirSync('/etc/postgresql')[0];
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: 'inherit' });
    },
    install: 'apt-get install postgresql   (or point DATABASE_URL at a running server)',
  },
  {
    name: 'Redis',
    env: 'REDIS_URL',
    defPort: 6379,
    canStart: () => has('redis-server'),
    start: ({ port }) => {
      fs.mkdirSync('/tmp/zs-redis', { recursive: true });
      execSync(`${which('redis-server')} --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no --dir /tmp/zs-redis --logfile /tmp/zs-redis/redis.log`, { stdio: 'inherit' });
    },
    install: 'apt-get install redis-server   (or point REDIS_URL at a running server)',
  },
  {
    name: 'NATS (JetStream)',
    env: 'NATS_URL',
    defPort: 4222,
    canStart: () => has('nats-server'),
    start: ({ port }) => {
      const bin = which('nats-server');
      fs.mkdirSync('/tmp/zs-nats', { recursive: true });
      if (has('start-stop-daemon')) {
        execSync(`start-stop-daemon --start --oknodo --background --exec ${bin} -- -a 127.0.0.1 -p ${port} -js -sd /tmp/zs-nats -l /tmp/zs-nats/nats.log`, { stdio: 'inherit' });
      } else {
        require('child_process').spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', '/tmp/zs-nats'], { detached: true, stdio: 'ignore' }).unref();
      }
    },
    install: 'apt-get install nats-server   (then it is started with -js; or point NATS_URL at a JetStream-enabled server)',
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

async function ensureInfra(env = process.env, log = console.log) {
  const problems = [];
  for (const svc of SERVICES) {
    const url = env[svc.env] || DEFAULTS[svc.env];
    const firstUrl = url.split(',')[0];
    const addr = hostPort(firstUrl, svc.defPort);
    if (await probe(addr)) {
      log(`✓ ${svc.name} answers at ${addr.host}:${addr.port}`);
      continue;
    }
    if (!isLocal(addr.host)) {
      problems.push(`${svc.name} does not answer at ${addr.host}:${addr.port} (${svc.env}); start it or fix ${svc.env}.`);
      continue;
    }
    if (!svc.canStart()) {
      problems.push(`${svc.name} is not running and not installed here. Install it: ${svc.install}`);
      continue;
    }
    log(`… starting ${svc.name} on ${addr.host}:${addr.port}`);
    try {
      svc.start(addr);
    } catch (e) {
      problems.push(`${svc.name} could not be started: ${e.message}`);
      continue;
    }
    if (await waitFor(addr, 20000)) log(`✓ ${svc.name} started`);
    else problems.push(`${svc.name} was started but does not answer at ${addr.host}:${addr.port} after 20 s.`);
  }
  if (problems.length) {
    const err = new Error(`infrastructure not ready:\n  - ${problems.join('\n  - ')}`);
    err.problems = problems;
    throw err;
  }
}

module.exports = { ensureInfra, DEFAULTS, probe, hostPort };

if (require.main === module) {
  ensureInfra().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
