import fs from 'fs';
import { ConnectionOptions, credsAuthenticator } from 'nats';
import { z } from 'zod';
import { natsInboxPrefix } from '@zs/contracts';

/**
 * How a service authenticates to NATS. All optional: `npm start` and the tests talk to a
 * local server without credentials. In a deployment each service has its own identity
 * (deploy/README.md): NATS_USER / NATS_PASSWORD from its Secret, or a `.creds` file
 * (NATS_CREDS). Credentials written into NATS_URL (nats://user:pass@host) are accepted,
 * taken out of the URL and never logged.
 */
export const natsAuthSchema = z.object({
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  /** Path of a NATS `.creds` file (JWT + NKey seed), mounted from a Secret. */
  NATS_CREDS: z.string().min(1).optional(),
  /** Require TLS (also implied by a tls:// URL or any NATS_TLS_* file). */
  NATS_TLS: z.enum(['true', 'false']).default('false'),
  /** CA bundle that signed the NATS servers' certificates (PEM path). */
  NATS_TLS_CA: z.string().min(1).optional(),
  /** Client certificate and key for mutual TLS (PEM paths). */
  NATS_TLS_CERT: z.string().min(1).optional(),
  NATS_TLS_KEY: z.string().min(1).optional(),
});
export type NatsAuthSettings = z.infer<typeof natsAuthSchema>;

export interface NatsServers {
  /** Server URLs with any credentials removed: safe to log. */
  servers: string[];
  user?: string;
  pass?: string;
  tls: boolean;
}

/** Splits NATS_URL into servers without credentials, and the credentials found in it. */
export function parseNatsUrl(natsUrl: string): NatsServers {
  let user: string | undefined;
  let pass: string | undefined;
  let tls = false;
  const servers = natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => {
      const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `nats://${raw}`;
      let u: URL;
      try {
        u = new URL(withScheme);
      } catch {
        throw new Error('NATS_URL: not a list of server URLs');
      }
      if (u.protocol === 'tls:') tls = true;
      if (u.username) user = decodeURIComponent(u.username);
      if (u.password) pass = decodeURIComponent(u.password);
      u.username = '';
      u.password = '';
      return `${u.protocol}//${u.host}`;
    });
  if (!servers.length) throw new Error('NATS_URL: no server given');
  return { servers, user, pass, tls };
}

/**
 * The nats.js connection options of a service: servers, its identity, TLS, and its own
 * reply inbox prefix (the server only lets it subscribe there; see nats-permissions.ts).
 */
export function natsConnectionOptions(
  natsUrl: string,
  auth: Partial<NatsAuthSettings>,
  identity?: { namespace: string; service: string },
): ConnectionOptions {
  const parsed = parseNatsUrl(natsUrl);
  const opts: ConnectionOptions = { servers: parsed.servers };
  const user = auth.NATS_USER ?? parsed.user;
  const pass = auth.NATS_PASSWORD ?? parsed.pass;
  if (auth.NATS_CREDS) {
    opts.authenticator = credsAuthenticator(fs.readFileSync(auth.NATS_CREDS));
  } else if (user) {
    opts.user = user;
    if (pass) opts.pass = pass;
  }
  const tlsFiles = auth.NATS_TLS_CA || auth.NATS_TLS_CERT || auth.NATS_TLS_KEY;
  if (auth.NATS_TLS === 'true' || parsed.tls || tlsFiles) {
    opts.tls = {
      ...(auth.NATS_TLS_CA ? { caFile: auth.NATS_TLS_CA } : {}),
      ...(auth.NATS_TLS_CERT ? { certFile: auth.NATS_TLS_CERT } : {}),
      ...(auth.NATS_TLS_KEY ? { keyFile: auth.NATS_TLS_KEY } : {}),
    };
  }
  if (identity) opts.inboxPrefix = natsInboxPrefix(identity.namespace, identity.service);
  return opts;
}

/** The same, from the process environment (already validated at boot through baseConfigSchema). */
export function natsConnectionOptionsFromEnv(
  natsUrl: string,
  identity?: { namespace: string; service: string },
  env: NodeJS.ProcessEnv = process.env,
): ConnectionOptions {
  return natsConnectionOptions(natsUrl, natsAuthSchema.parse(env), identity);
}
