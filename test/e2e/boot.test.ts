import { spawnSync } from 'child_process';
import path from 'path';
import { startSystem, TestSystem } from '../support/harness';

const ROOT = path.resolve(__dirname, '..', '..');
const gatewayMain = path.join(ROOT, 'dist/apps/bot-gateway/src/main.js');
const hook = path.join(ROOT, 'scripts/paths.js');

describe('service boot and shutdown', () => {
  it('refuses to start on bad config, naming each variable and never echoing its value', () => {
    const r = spawnSync(process.execPath, ['-r', hook, gatewayMain], {
      env: {
        PATH: process.env.PATH,
        ADMIN_TOKEN: 'short-secret',
        WECOM_CORP_ID: 'ww123',
        WECOM_TOKEN: 'tok',
        WECOM_ENCODING_AES_KEY: 'not-43-characters-long-SECRETVALUE',
        GATEWAY_PORT: '99999',
      },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toContain('ADMIN_TOKEN');
    expect(r.stderr).toContain('WECOM_ENCODING_AES_KEY');
    expect(r.stderr).toContain('GATEWAY_PORT');
    expect(r.stderr + r.stdout).not.toContain('SECRETVALUE');
    expect(r.stderr + r.stdout).not.toContain('short-secret');
  });

  describe('a running system', () => {
    let sys: TestSystem;
    beforeAll(async () => {
      sys = await startSystem({ services: ['bot-gateway', 'lead-intake', 'scoring', 'scheduler'] });
    }, 180000);
    afterAll(async () => {
      await sys?.stop();
    });

    it('reports liveness and readiness per service, covering its dependencies', async () => {
      for (const name of ['bot-gateway', 'lead-intake', 'scoring', 'scheduler']) {
        const port = sys.mesh.port(name);
        const live = await fetch(`http://127.0.0.1:${port}/health/live`);
        expect(live.status).toBe(200);
        const ready = (await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.json())) as { checks: Record<string, string> };
        expect(ready.checks.nats).toBe('ok');
        if (name !== 'bot-gateway') expect(ready.checks.postgres).toBe('ok');
      }
    });

    it('stops gracefully on SIGTERM', async () => {
      // Nest runs the shutdown hooks, then re-raises SIGTERM; a missed grace period would show SIGKILL.
      const exit = await sys.mesh.stop('scoring', 'SIGTERM', 15000);
      expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
      expect(sys.logs.some((l) => l.startsWith('[scoring]') && l.includes('shutting down: draining NATS consumers'))).toBe(true);
    });

    it('never writes a secret to its logs', () => {
      const all = sys.logs.join('\n');
      for (const k of ['WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'ADMIN_TOKEN']) {
        expect(all).not.toContain(sys.env[k]);
      }
    });
  });
});
