import { ChildProcess, execFileSync, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { MESH_SERVICES, MeshService, natsUserName, renderNatsAuthorization } from '@zs/contracts';
import { freePort, waitFor } from './harness';

/**
 * A nats-server of the test's own, on a free port, with JetStream and the mesh's
 * authorization (the same renderNatsAuthorization() the deploy config comes from). The
 * shared server on 4222 is never touched.
 */
export interface AuthNatsServer {
  url: string;
  /** CA file the clients verify the server with (when started with TLS). */
  caFile?: string;
  port: number;
  passwords: Record<MeshService, string>;
  admin: { user: string; pass: string };
  /** NATS_USER / NATS_PASSWORD of a service. */
  credentials(service: MeshService): { NATS_USER: string; NATS_PASSWORD: string };
  log: string[];
  stop(): Promise<void>;
}

/** A throwaway self-signed certificate (its own CA) for 127.0.0.1; nats.js checks an IP URL against `localhost`, hence both names. */
function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], {
    stdio: 'ignore',
  });
  return { cert, key };
}

export async function startAuthNatsServer(ns: string, opts: { tls?: boolean } = {}): Promise<AuthNatsServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-nats-auth-'));
  const tls = opts.tls ? selfSignedCert(dir) : null;
  const passwords = Object.fromEntries(MESH_SERVICES.map((s) => [s, crypto.randomBytes(18).toString('base64url')])) as Record<MeshService, string>;
  const admin = { user: `${ns}-admin`, pass: crypto.randomBytes(18).toString('base64url') };
  const conf = [
    `listen: 127.0.0.1:${port}`,
    `jetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))}, max_file: 256M, max_mem: 16M }`,
    ...(tls ? [`tls { cert_file: ${JSON.stringify(tls.cert)}, key_file: ${JSON.stringify(tls.key)}, timeout: 5 }`] : []),
    renderNatsAuthorization({
      namespaces: [ns],
      passwordRef: (_ns, s) => JSON.stringify(passwords[s]),
      admin: { user: admin.user, passwordRef: JSON.stringify(admin.pass) },
    }),
  ].join('\n');
  const confFile = path.join(dir, 'nats.conf');
  fs.writeFileSync(confFile, conf, { mode: 0o600 });
  const log: string[] = [];
  const proc: ChildProcess = spawn(process.env.NATS_SERVER_BIN || 'nats-server', ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [proc.stdout!, proc.stderr!]) s.on('data', (d) => log.push(...String(d).split('\n').filter(Boolean)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await waitFor(() => log.some((l) => l.includes('Server is ready')) || (proc.exitCode !== null && Promise.reject(new Error(log.join('\n')))), 20000, 'the nats-server with authorization');
  return {
    url: `${tls ? 'tls' : 'nats'}://127.0.0.1:${port}`,
    caFile: tls?.cert,
    port,
    passwords,
    admin,
    log,
    credentials: (s) => ({ NATS_USER: natsUserName(ns, s), NATS_PASSWORD: passwords[s] }),
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
