import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { Client } from 'pg';
import { createDataSource, DB_POOL_SIZES, TOOL_POOL_SIZE } from '@zs/persistence';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const check = require('../../scripts/check-manifests');

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'deploy', 'README.md'), 'utf8');

/**
 * The deploy/ manifests, rendered with the real `kubectl kustomize`, and deploy/README.md
 * replayed on an empty cluster: what an operator following it word for word would hit.
 */
describe('deploy/ as an operator installs it', () => {
  it('renders every kustomization and the README order works from an empty cluster', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-manifests.js')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('manifests OK');
    expect(r.status).toBe(0);
  });

  it('creates zs-config and the ServiceAccount with the seed Job, which runs before the services exist', () => {
    const objs: { kind: string; metadata: { name: string } }[] = check.render('deploy/kubernetes/jobs/seed');
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/zs-config', 'Job/zs-seed', 'ServiceAccount/zhaoshang']);
  });

  it('catches a README that forgets a Secret, a Secret key or the namespace', () => {
    const withoutSecrets = README.replace(/kubectl -n zhaoshang create secret generic zs-secrets/, 'kubectl -n zhaoshang get secret zs-secrets');
    expect(check.replayReadme(withoutSecrets).problems.join('\n')).toMatch(/needs Secret zs-secrets, which does not exist yet/);
    const withoutKey = README.replace(/--from-literal=SECRET_ENCRYPTION_KEYS=/, '--from-literal=SOMETHING_ELSE=');
    expect(check.replayReadme(withoutKey).problems.join('\n')).toMatch(/needs key SECRET_ENCRYPTION_KEYS of Secret zs-secrets/);
    const withoutNamespace = README.replace('kubectl apply -f deploy/kubernetes/namespace.yaml', 'true');
    expect(check.replayReadme(withoutNamespace).problems.join('\n')).toMatch(/namespace zhaoshang, which does not exist yet/);
  });

  it('catches a Service or a budget that selects no pod', () => {
    const objs = JSON.parse(JSON.stringify(check.render('deploy/kubernetes')));
    const svc = objs.find((o: { kind: string }) => o.kind === 'Service');
    svc.spec.selector = { 'app.kubernetes.io/name': 'no-such-pod' };
    expect(check.checkRender('x', objs).join('\n')).toMatch(/selector matches no pod/);
  });

  it('keeps the PostgreSQL connection budget of the rendered replicas in the documented limit', () => {
    const budget = check.connectionBudget(check.render('deploy/kubernetes'));
    expect(budget.rows.map((r: { name: string }) => r.name).sort()).toEqual(['bot-gateway', 'lead-intake', 'notification', 'scheduler', 'scoring']);
    expect(README).toContain(`at most **${budget.total}** connections`);
    expect(check.POOL).toEqual(DB_POOL_SIZES);
    expect(check.JOB_POOL).toBe(TOOL_POOL_SIZE);
  });

  it('never lets a service open more PostgreSQL connections than its pool, however busy it is', async () => {
    const app = `zs-budget-${process.pid}`;
    const pool = DB_POOL_SIZES.scoring;
    const ds = createDataSource('postgres://postgres@127.0.0.1:5432/postgres', app, pool);
    await ds.initialize();
    const watcher = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await watcher.connect();
    try {
      let peak = 0;
      let busy = true;
      const watch = (async () => {
        while (busy) {
          const r = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [app]);
          peak = Math.max(peak, r.rows[0].n);
          await new Promise((res) => setImmediate(res));
        }
      })();
      const results = await Promise.all(Array.from({ length: pool * 4 }, (_, i) => ds.query(`SELECT $1::int AS i, pg_sleep(0.05)`, [i])));
      busy = false;
      await watch;
      expect(results).toHaveLength(pool * 4); // every query got its turn
      expect(peak).toBeGreaterThan(1);
      expect(peak).toBeLessThanOrEqual(pool);
    } finally {
      await watcher.end();
      await ds.destroy();
    }
  });
});
