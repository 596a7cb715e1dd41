import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freePort, waitFor } from './harness';

/**
 * A PgBouncer of the test's own in TRANSACTION pooling mode in front of the local
 * PostgreSQL, on a free port: what services may sit behind in production (deploy/README.md
 * step 2). Runs as the `postgres` OS user when the test runs as root (PgBouncer refuses root).
 */
export interface Pooler {
  port: number;
  /** The same database URL, through the pooler. */
  via(databaseUrl: string): string;
  /** PgBouncer's admin console: `SHOW CLIENTS` etc. */
  adminUrl: string;
  log: string[];
  stop(): Promise<void>;
}

export async function startPgBouncer(poolSize = 4): Promise<Pooler> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-pgbouncer-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n', { mode: 0o644 });
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      '* = host=127.0.0.1 port=5432',
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'users.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const args = [path.join(dir, 'pgbouncer.ini'), ...(process.getuid?.() === 0 ? ['-u', 'postgres'] : [])];
  const log: string[] = [];
  const proc: ChildProcess = spawn(process.env.PGBOUNCER_BIN || (fs.existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [proc.stdout!, proc.stderr!]) s.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await waitFor(
    () => log.some((l) => /listening on 127\.0\.0\.1:\d+/.test(l) || /process up/.test(l)) || (proc.exitCode !== null && Promise.reject(new Error(log.join('\n')))),
    20000,
    'pgbouncer',
  );
  return {
    port,
    via: (url) => {
      const u = new URL(url);
      u.port = String(port);
      return u.toString();
    },
    adminUrl: `postgres://postgres@127.0.0.1:${port}/pgbouncer`,
    log,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
