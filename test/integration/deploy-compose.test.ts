import { spawnSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { baseConfigSchema, loadConfig } from '@zs/platform';
import { gatewayConfigSchema } from '../../apps/bot-gateway/src/config';
import { leadIntakeConfigSchema } from '../../apps/lead-intake/src/config';
import { notificationConfigSchema } from '../../apps/notification/src/config';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml');

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_DIR = path.join(ROOT, 'deploy', 'compose');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/** YAML merge keys (`<<: *service`), as Docker Compose applies them; js-yaml 5 leaves them as a `<<` key. */
function applyMerges(v: any): any {
  if (Array.isArray(v)) return v.map(applyMerges);
  if (!v || typeof v !== 'object') return v;
  const { '<<': base, ...own } = v;
  const merged = Object.assign({}, ...[base ?? []].flat().map(applyMerges));
  for (const [k, x] of Object.entries(own)) merged[k] = applyMerges(x);
  return merged;
}

/** Metric names the services define (counter/histogram/gauge `name: 'zs_...'`). */
function definedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/name: '(zs_[a-z0-9_]+)'/g)) names.add(m[1]);
    }
  };
  walk(path.join(ROOT, 'apps'));
  walk(path.join(ROOT, 'libs'));
  return names;
}

/** What an operator checks before `docker compose up`: the files are consistent with the code they deploy. */
describe('single-server installation (deploy/compose) and monitoring (deploy/monitoring)', () => {
  const compose = applyMerges(yaml.load(read('deploy/compose/compose.yaml')));
  const apps = ['bot-gateway', 'lead-intake', 'scoring', 'notification', 'scheduler'];

  it('starts every service after the migrations finished and the engines are healthy, from the one image', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...apps, 'postgres', 'redis', 'nats', 'migrate']));
    expect(compose.services.migrate.build.dockerfile).toBe('deploy/docker/Dockerfile');
    const dockerfile = read('deploy/docker/Dockerfile');
    for (const app of apps) {
      const s = compose.services[app];
      expect(s.depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(s.depends_on.nats.condition).toBe('service_healthy');
      expect(s.image).toBe(compose.services.migrate.image);
      expect(dockerfile).toContain(s.command[0]);
      expect(s.healthcheck.test.join(' ')).toContain('/health/ready');
    }
    expect(dockerfile).toContain(compose.services.migrate.command[0]);
  });

  it('keeps Redis on AOF with noeviction and NATS on JetStream file storage in volumes', () => {
    const redis = compose.services.redis;
    const confMount = redis.volumes.find((v: string) => v.endsWith(':/usr/local/etc/redis/redis.conf:ro'));
    const conf = fs.readFileSync(path.resolve(COMPOSE_DIR, confMount.split(':')[0]), 'utf8');
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(redis.volumes).toContain('redisdata:/data');
    expect(compose.services.nats.command).toEqual(expect.arrayContaining(['--jetstream', '--store_dir', '/data']));
    expect(compose.services.nats.volumes).toContain('natsdata:/data');
  });

  it('gives every service a configuration its own validation accepts once the secrets are filled in', () => {
    const secrets = parseEnvFile(read('deploy/compose/secrets.env.example'));
    const filled = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.replace(/CHANGE_ME/g, crypto.randomBytes(12).toString('hex'))]));
    filled.SECRET_ENCRYPTION_KEYS = `k1:${crypto.randomBytes(32).toString('base64')}`;
    const env = { ...parseEnvFile(read('deploy/compose/config.env')), ...filled };
    for (const [service, schema] of [
      ['bot-gateway', gatewayConfigSchema],
      ['lead-intake', leadIntakeConfigSchema],
      ['notification', notificationConfigSchema],
      ['scoring/scheduler', baseConfigSchema],
    ] as const) {
      expect(() => loadConfig(schema, service, env)).not.toThrow();
    }
    // The example itself must not start anything: CHANGE_ME is refused where it is a key.
    expect(() => loadConfig(notificationConfigSchema, 'notification', { ...env, SECRET_ENCRYPTION_KEYS: secrets.SECRET_ENCRYPTION_KEYS })).toThrow(/SECRET_ENCRYPTION_KEYS/);
  });

  it('scrapes every service and builds alerts and the dashboard only on metrics the code defines', () => {
    const prometheus = yaml.load(read('deploy/monitoring/prometheus.yml'));
    const targets: string[] = prometheus.scrape_configs[0].static_configs[0].targets;
    const config = parseEnvFile(read('deploy/compose/config.env'));
    const ports: Record<string, string> = { 'bot-gateway': config.GATEWAY_PORT, 'lead-intake': config.LEAD_INTAKE_PORT, scoring: config.SCORING_PORT, notification: config.NOTIFICATION_PORT, scheduler: config.SCHEDULER_PORT };
    expect(targets.sort()).toEqual(apps.map((a) => `${a}:${ports[a]}`).sort());

    const defined = definedMetricNames();
    const rules = yaml.load(read('deploy/monitoring/alerts.yaml'));
    const exprs: string[] = rules.groups.flatMap((g: { rules: { expr: string }[] }) => g.rules.map((r) => r.expr));
    const dashboard = JSON.parse(read('deploy/monitoring/grafana-dashboard.json'));
    for (const p of dashboard.panels) for (const t of p.targets) exprs.push(t.expr);
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b(zs_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''))));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect({ name, defined: defined.has(name) }).toEqual({ name, defined: true });
  });

  it('conforms to the Compose Specification schema (dclint), and a misspelt key is refused', () => {
    // dclint validates against the compose-spec JSON schema that Docker Compose itself applies, where
    // no Docker is installed (`docker compose config` below runs where it is). Two of its style rules
    // are off, each for a reason: `migrate` has both `build` and `image` so that `docker compose build`
    // tags the one image every service runs; the published ports do name their interface, through
    // `${GATEWAY_BIND:-127.0.0.1}`, which the rule cannot read.
    const dclint = (file: string) =>
      spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'dclint'),
        [file, '--quiet', '--formatter', 'json', '--disable-rule', 'no-build-and-image', '--disable-rule', 'no-unbound-port-interfaces'],
        { encoding: 'utf8' },
      );
    const problemsOf = (r: ReturnType<typeof dclint>) =>
      (JSON.parse(r.stdout || '[]') as { messages: { rule: string; message: string }[] }[]).flatMap((f) => f.messages.map((m) => `${m.rule}: ${m.message}`));
    const ours = dclint(path.join(COMPOSE_DIR, 'compose.yaml'));
    expect({ status: ours.status, problems: problemsOf(ours) }).toEqual({ status: 0, problems: [] });

    const misspelt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')), 'compose.yaml');
    fs.writeFileSync(misspelt, read('deploy/compose/compose.yaml').replace(/^services:/m, 'servicez:'));
    const refused = dclint(misspelt);
    fs.rmSync(path.dirname(misspelt), { recursive: true, force: true });
    expect(problemsOf(refused).join('\n')).toMatch(/invalid-schema/);
    expect(refused.status).not.toBe(0);
  });

  const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const haveCompose = composeCli.status === 0;
  if (!haveCompose) {
    // eslint-disable-next-line no-console
    console.warn('SKIPPED `docker compose config`: the Docker Compose v2 plugin is not installed here (`docker compose version` failed). CI with Docker runs it.');
  }
  (haveCompose ? it : it.skip)('is accepted by `docker compose config` (with and without the monitoring profile)', () => {
    for (const args of [['config', '--quiet'], ['--profile', 'monitoring', 'config', '--quiet']]) {
      const r = spawnSync('docker', ['compose', '-f', 'compose.yaml', ...args], { cwd: COMPOSE_DIR, encoding: 'utf8' });
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    }
  });
});
