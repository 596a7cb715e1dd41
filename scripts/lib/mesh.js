// Runs the built services as child processes: used by `npm start`, the end-to-end
// tests and the benchmark, so all three exercise the same processes a deployment runs.
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const readline = require('readline');
const { nextRestart } = require('./restart-policy');

const ROOT = path.resolve(__dirname, '..', '..');
const PATHS_HOOK = path.join(ROOT, 'scripts', 'paths.js');

const SERVICES = {
  'bot-gateway': { entry: 'dist/apps/bot-gateway/src/main.js', portEnv: 'GATEWAY_PORT' },
  'lead-intake': { entry: 'dist/apps/lead-intake/src/main.js', portEnv: 'LEAD_INTAKE_PORT' },
  scoring: { entry: 'dist/apps/scoring/src/main.js', portEnv: 'SCORING_PORT' },
  notification: { entry: 'dist/apps/notification/src/main.js', portEnv: 'NOTIFICATION_PORT' },
  scheduler: { entry: 'dist/apps/scheduler/src/main.js', portEnv: 'SCHEDULER_PORT' },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = require('net').createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function httpGet(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

class Mesh {
  /**
   * @param {object} opts
   * @param {Record<string,string>} opts.env environment for every service
   * @param {(service: string, line: string) => void} [opts.onLine] receives each output line
   * @param {(service: string) => Record<string,string>} [opts.serviceEnv] extra environment of one service (e.g. its own NATS identity)
   * @param {string[]} [opts.nodeArgs] extra node flags for every process (e.g. --cpu-prof, not allowed in NODE_OPTIONS)
   * @param {boolean} [opts.supervise] start a process again (with backoff) when it dies without stop() (npm start, the chaos suite)
   * @param {object} [opts.restartPolicy] backoff settings for the supervisor (restart-policy.js)
   * @param {(service: string, message: string) => void} [opts.onSupervisor] receives the supervisor's log lines
   */
  constructor({ env, onLine, serviceEnv, nodeArgs, supervise, restartPolicy, onSupervisor }) {
    this.env = env;
    this.nodeArgs = nodeArgs || [];
    this.supervise = !!supervise;
    this.restartPolicy = restartPolicy || {};
    this.onSupervisor = onSupervisor || ((name, message) => console.log(`[supervisor] ${name}: ${message}`));
    /** name → { crashes, timer, restarts }: the supervisor's state of each process it watches */
    this.supervised = new Map();
    this.serviceEnv = serviceEnv || (() => ({}));
    this.onLine = onLine || (() => {});
    this.procs = new Map();
    /** ports of extra replicas ("scheduler#2" → port) */
    this.replicaPorts = new Map();
  }

  names() {
    return Object.keys(SERVICES);
  }

  port(name) {
    if (this.replicaPorts.has(name)) return this.replicaPorts.get(name);
    return Number(this.env[SERVICES[name].portEnv]);
  }

  /** Starts a built node entry point (a service or a tool) with the @zs/* alias hook. */
  spawnNode(name, entry, env = this.env) {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [...this.nodeArgs, '-r', PATHS_HOOK, path.join(ROOT, entry)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => this.onLine(name, line));
    }
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const proc = { child, exited, stopping: false };
    this.procs.set(name, proc);
    if (this.supervise) {
      const state = this.supervised.get(name) || { crashes: 0, timer: null, restarts: 0 };
      this.supervised.set(name, state);
      exited.then(({ code, signal }) => {
        // stop() asked for this exit, or the process was replaced meanwhile: nothing to do.
        if (proc.stopping || this.procs.get(name) !== proc) return;
        this.procs.delete(name);
        const upMs = Date.now() - startedAt;
        const next = nextRestart(state, upMs, this.restartPolicy);
        state.crashes = next.crashes;
        this.onSupervisor(
          name,
          `exited (${signal ? `signal ${signal}` : `code ${code}`}) after ${(upMs / 1000).toFixed(1)} s; ` +
            `restarting in ${(next.delayMs / 1000).toFixed(1)} s (crash ${next.crashes} in a row)`,
        );
        state.timer = setTimeout(() => {
          state.timer = null;
          state.restarts++;
          this.spawnNode(name, entry, env);
        }, next.delayMs);
      });
    }
    return child;
  }

  /** Times the supervisor started `name` again after it died. */
  restarts(name) {
    return this.supervised.get(name)?.restarts ?? 0;
  }

  /** Process id of `name` now (undefined while it is down). */
  pid(name) {
    const p = this.procs.get(name);
    return p && p.child.exitCode === null && p.child.signalCode === null ? p.child.pid : undefined;
  }

  /**
   * Sends `signal` to `name` as something outside would (the OOM killer, `kill -9`), without telling
   * the supervisor: it sees a crash and restarts the process. Resolves once the process exited.
   */
  async kill(name, signal = 'SIGKILL') {
    const p = this.procs.get(name);
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return undefined;
    process.kill(p.child.pid, signal);
    return p.exited;
  }

  start(name) {
    return this.spawnNode(name, SERVICES[name].entry, { ...this.env, ...this.serviceEnv(name), SCHEDULER_REPLICA_ID: `${name}-1` });
  }

  /**
   * Starts replica `index` (2, 3, …) of a service as "<name>#<index>", on its own HTTP port, with
   * the same environment otherwise (same database, NATS namespace, queue groups).
   */
  startReplica(name, index, port) {
    const key = `${name}#${index}`;
    this.replicaPorts.set(key, port);
    const env = { ...this.env, ...this.serviceEnv(name), [SERVICES[name].portEnv]: String(port), SCHEDULER_REPLICA_ID: `${name}-${index}` };
    return this.spawnNode(key, SERVICES[name].entry, env);
  }

  /** Starts `replicas` copies of every service (REPLICAS=n npm start); extra replicas get free ports. */
  async startReplicated(replicas, timeoutMs = 60000) {
    const started = [];
    for (const n of this.names()) {
      this.start(n);
      started.push(n);
      for (let i = 2; i <= replicas; i++) {
        this.startReplica(n, i, await freePort());
        started.push(`${n}#${i}`);
      }
    }
    await Promise.all(started.map((n) => this.waitReady(n, timeoutMs)));
    return started;
  }

  async waitReady(name, timeoutMs = 30000) {
    const url = `http://127.0.0.1:${this.port(name)}/health/ready`;
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const p = this.procs.get(name);
      // Supervised: a process that died before it was ready is being started again; keep waiting.
      if (!this.supervise && p && p.child.exitCode !== null) throw new Error(`${name} exited with code ${p.child.exitCode} before it was ready`);
      const r = await httpGet(url);
      if (r.status === 200) return;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error(`${name} not ready after ${timeoutMs} ms`);
  }

  async startAll(timeoutMs = 60000) {
    for (const n of this.names()) this.start(n);
    await Promise.all(this.names().map((n) => this.waitReady(n, timeoutMs)));
  }

  /** Kills one process (SIGKILL simulates a crash; SIGTERM a graceful stop) and waits for it to exit. */
  async stop(name, signal = 'SIGTERM', graceMs = 15000) {
    const sup = this.supervised.get(name);
    if (sup?.timer) {
      // Stopped while waiting for a restart: the restart is cancelled.
      clearTimeout(sup.timer);
      sup.timer = null;
    }
    const p = this.procs.get(name);
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return undefined;
    p.stopping = true;
    p.child.kill(signal);
    const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    const exit = await p.exited;
    clearTimeout(timer);
    this.procs.delete(name);
    return exit;
  }

  async stopAll(signal = 'SIGTERM') {
    for (const [, sup] of this.supervised) if (sup.timer) clearTimeout(sup.timer), (sup.timer = null);
    await Promise.all([...this.procs.keys()].map((n) => this.stop(n, signal)));
  }
}

module.exports = { Mesh, SERVICES, ROOT, httpGet, freePort };
