import { namesFor, Rpc } from './subjects';
import { ScoringRpc } from './scoring';
import { SchedulerRpc, schedulerBroadcast } from './schedules';

/**
 * Least-privilege NATS permissions for every service, GENERATED from the names in
 * subjects.ts (namesFor, Rpc) and the per-service RPC tables (scoring.ts), so a subject, stream, durable or RPC added there is
 * covered without hand-listing it in deploy files. The rules that are not derivable
 * from a name are the small tables below; nats-permissions.spec.ts fails when a
 * name appears that no rule covers, and says which table to extend.
 *
 * Used by the nats-server authorization config (deploy/nats/auth.conf, the Helm
 * values, the integration test's own server) through renderNatsAuthorization().
 */
export const MESH_SERVICES = ['bot-gateway', 'lead-intake', 'scoring', 'notification', 'scheduler'] as const;
export type MeshService = (typeof MESH_SERVICES)[number];

/** Who answers each RPC area (`<ns>.rpc.<area>.…`). A new area needs one line here. */
export const RPC_AREA_OWNERS: Record<string, MeshService> = {
  directory: 'lead-intake',
  leads: 'lead-intake',
  inbox: 'lead-intake',
  ledger: 'lead-intake',
  scoring: 'scoring',
  scheduler: 'scheduler',
  notification: 'notification',
};

/** Which services call which RPC areas' owners. The gateway's admin API calls every service. */
export const RPC_CALLERS: Record<MeshService, readonly (MeshService | '*')[]> = {
  'bot-gateway': ['*'],
  scheduler: ['scoring', 'lead-intake', 'notification'],
  scoring: ['lead-intake'],
  // the chat router forwards 日程/暂停/恢复/改期/外出招商 to the scheduler
  'lead-intake': ['scheduler'],
  notification: [],
};

/** Who publishes domain events, by the event's area (`<ns>.events.<area>.…`). */
export const EVENT_AREA_PUBLISHERS: Record<string, readonly MeshService[]> = {
  lead: ['lead-intake'],
  ranking: ['scoring'],
  accountability: ['scoring'],
  schedule: ['scheduler'],
};

/** Who publishes to a non-event stream subject, keyed by the subject's first token after the namespace. */
export const STREAM_PUBLISHERS: Record<string, readonly MeshService[]> = {
  chat: ['bot-gateway'],
  notify: ['lead-intake', 'notification', 'scoring', 'scheduler'],
  // Dead-letter copies: any service whose consumer gives a message up.
  deadletter: MESH_SERVICES,
  dlq: MESH_SERVICES,
};

/** Core-NATS subjects outside streams and RPC: the WeCom AI bot socket holder (bot-gateway), the scheduler's broadcasts. */
export function directSubjects(ns: string): { subject: string; responder: MeshService; callers: MeshService[] }[] {
  const scheduler = schedulerBroadcast(ns);
  return [
    { subject: `${ns}.aibot.ws.*`, responder: 'bot-gateway', callers: ['notification'] },
    // every scheduler replica hears a schedule change and answers a state query (no queue group)
    { subject: scheduler.changed, responder: 'scheduler', callers: ['scheduler'] },
    { subject: scheduler.state, responder: 'scheduler', callers: ['scheduler'] },
  ];
}

/** Reply inbox of one service: its own prefix, so no service can read another's replies. */
export function natsInboxPrefix(ns: string, service: MeshService | string): string {
  return `_INBOX_${ns}_${service.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** The NATS user name of a service in a deployment namespace (unique when several namespaces share a cluster). */
export function natsUserName(ns: string, service: MeshService): string {
  return `${ns}-${service}`;
}

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  /** Lets a responder answer a request on the requester's reply subject, once, and nothing else there. */
  allow_responses?: boolean;
}

const rpcArea = (ns: string, subject: string): string => {
  const m = new RegExp(`^${ns}\\.rpc\\.([^.]+)\\.`).exec(subject);
  if (!m) throw new Error(`RPC subject ${subject} is not <ns>.rpc.<area>.…`);
  return m[1];
};

/** RPC subjects for namespace `ns`: `Rpc` is built from NAMESPACE at import, so re-root it on `ns`. */
export function rpcSubjects(ns: string): string[] {
  const from = process.env.NAMESPACE || 'zs';
  return [...Object.values(Rpc), ...Object.values(ScoringRpc), ...Object.values(SchedulerRpc)].map((s) => `${ns}${s.slice(from.length)}`);
}

/** Every stream subject a service may publish to, from namesFor().subjects. */
function streamSubjectsPublishedBy(ns: string, service: MeshService): string[] {
  const names = namesFor(ns);
  const out = new Set<string>();
  const values = Object.values(names.subjects).map((v) => (typeof v === 'function' ? v('*') : v));
  for (const subject of values) {
    if (subject.endsWith('>')) continue; // the "all" wildcards are for subscribers
    const rest = subject.slice(ns.length + 1).split('.');
    const publishers = rest[0] === 'events' ? EVENT_AREA_PUBLISHERS[rest[1]] : STREAM_PUBLISHERS[rest[0]];
    if (publishers?.includes(service)) out.add(subject);
  }
  // Stream subjects not in `subjects` (e.g. a dead-letter stream) by their stream's first subject token.
  for (const stream of Object.values(names.streams)) {
    for (const subject of stream.subjects) {
      const first = subject.slice(ns.length + 1).split('.')[0];
      if (first !== 'events' && first !== 'chat' && first !== 'notify' && STREAM_PUBLISHERS[first]?.includes(service)) out.add(subject);
    }
  }
  return [...out];
}

/** The durables a service owns: by convention a durable's name starts with its service's name. */
export function durablesOf(ns: string, service: MeshService): string[] {
  return Object.values(namesFor(ns).durables).filter((d) => d.startsWith(`${service}-`));
}

/** Publish and subscribe allow-lists for one service in namespace `ns`. */
export function natsPermissionsFor(ns: string, service: MeshService): NatsPermissions {
  const names = namesFor(ns);
  const streams = Object.values(names.streams).map((s) => s.name);
  const publish = new Set<string>();
  const subscribe = new Set<string>([`${natsInboxPrefix(ns, service)}.>`]);

  // JetStream: account info (readiness), create/inspect/update the mesh's streams. Never delete or purge.
  publish.add('$JS.API.INFO');
  for (const s of streams) {
    publish.add(`$JS.API.STREAM.INFO.${s}`);
    publish.add(`$JS.API.STREAM.CREATE.${s}`);
    publish.add(`$JS.API.STREAM.UPDATE.${s}`);
  }
  // Its own durable consumers: create/update, inspect, pull, ack.
  for (const d of durablesOf(ns, service)) {
    for (const s of streams) {
      publish.add(`$JS.API.CONSUMER.CREATE.${s}.${d}`);
      publish.add(`$JS.API.CONSUMER.CREATE.${s}.${d}.>`);
      publish.add(`$JS.API.CONSUMER.DURABLE.CREATE.${s}.${d}`);
      publish.add(`$JS.API.CONSUMER.INFO.${s}.${d}`);
      publish.add(`$JS.API.CONSUMER.MSG.NEXT.${s}.${d}`);
      publish.add(`$JS.ACK.${s}.${d}.>`);
    }
  }
  for (const subject of streamSubjectsPublishedBy(ns, service)) publish.add(subject);

  // Request/reply.
  let responder = false;
  for (const subject of rpcSubjects(ns)) {
    const owner = RPC_AREA_OWNERS[rpcArea(ns, subject)];
    if (owner === service) {
      subscribe.add(subject);
      responder = true;
    }
    const calls = RPC_CALLERS[service];
    if (owner !== service && (calls.includes('*') || (owner && calls.includes(owner)))) publish.add(subject);
  }
  for (const d of directSubjects(ns)) {
    if (d.responder === service) {
      subscribe.add(d.subject);
      responder = true;
    }
    if (d.callers.includes(service)) publish.add(d.subject);
  }
  const out: NatsPermissions = { publish: { allow: [...publish].sort() }, subscribe: { allow: [...subscribe].sort() } };
  if (responder) out.allow_responses = true;
  return out;
}

export interface NatsAuthorizationOptions {
  /** Deployment namespaces (NAMESPACE); one set of service users per namespace. */
  namespaces: string[];
  /** The server config expression for a user's password, e.g. env var `$ZS_NATS_PASSWORD_BOT_GATEWAY`. */
  passwordRef: (ns: string, service: MeshService) => string;
  /** An operator user with every permission (streams.sh, nats-box); omitted when undefined. */
  admin?: { user: string; passwordRef: string };
  /** The NATS account all users live in (JetStream enabled). */
  account?: string;
}

/** Environment variable holding a service's NATS password on the nats-server side. */
export function natsPasswordEnvVar(ns: string, service: MeshService): string {
  return `${ns.toUpperCase()}_NATS_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}`;
}

const q = (s: string) => JSON.stringify(s);
const list = (xs: string[], indent: string) => `[\n${xs.map((x) => `${indent}  ${q(x)}`).join('\n')}\n${indent}]`;

/**
 * The `accounts { … }` block of a nats-server configuration: one JetStream-enabled account
 * whose users are the services (and optionally an operator). No `no_auth_user`, so a client
 * without credentials is refused.
 */
export function renderNatsAuthorization(o: NatsAuthorizationOptions): string {
  const users: string[] = [];
  for (const ns of o.namespaces) {
    for (const service of MESH_SERVICES) {
      const p = natsPermissionsFor(ns, service);
      const i = '        ';
      users.push(
        [
          `      {`,
          `${i}user: ${q(natsUserName(ns, service))}`,
          `${i}password: ${o.passwordRef(ns, service)}`,
          `${i}permissions: {`,
          `${i}  publish: { allow: ${list(p.publish.allow, `${i}  `)} }`,
          `${i}  subscribe: { allow: ${list(p.subscribe.allow, `${i}  `)} }`,
          ...(p.allow_responses ? [`${i}  allow_responses: true`] : []),
          `${i}}`,
          `      }`,
        ].join('\n'),
      );
    }
  }
  if (o.admin) users.push(`      { user: ${q(o.admin.user)}, password: ${o.admin.passwordRef} }`);
  return [
    `accounts {`,
    `  ${o.account ?? 'ZS'}: {`,
    `    jetstream: enabled`,
    `    users: [`,
    users.join('\n'),
    `    ]`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
}
