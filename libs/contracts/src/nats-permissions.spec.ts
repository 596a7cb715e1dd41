import { namesFor, Rpc } from './subjects';
import { ScoringRpc } from './scoring';
import { SchedulerRpc } from './schedules';
import {
  durablesOf,
  MESH_SERVICES,
  natsPermissionsFor,
  renderNatsAuthorization,
  RPC_AREA_OWNERS,
  rpcSubjects,
  EVENT_AREA_PUBLISHERS,
  STREAM_PUBLISHERS,
} from './nats-permissions';

const ns = 'zs';
const all = () => MESH_SERVICES.map((s) => natsPermissionsFor(ns, s));

describe('NATS permissions generated from the contracts', () => {
  it('gives every RPC subject exactly one responder (add a new area to RPC_AREA_OWNERS)', () => {
    for (const subject of rpcSubjects(ns)) {
      const responders = MESH_SERVICES.filter((s) => natsPermissionsFor(ns, s).subscribe.allow.includes(subject));
      expect({ subject, responders: responders.length }).toEqual({ subject, responders: 1 });
    }
    expect(rpcSubjects(ns)).toHaveLength(Object.keys(Rpc).length + Object.keys(ScoringRpc).length + Object.keys(SchedulerRpc).length);
  });

  it('lets the gateway call every RPC, and no service call itself', () => {
    const gw = natsPermissionsFor(ns, 'bot-gateway');
    for (const subject of rpcSubjects(ns)) {
      const owner = MESH_SERVICES.find((s) => natsPermissionsFor(ns, s).subscribe.allow.includes(subject))!;
      if (owner !== 'bot-gateway') expect(gw.publish.allow).toContain(subject);
    }
  });

  it('gives every published subject at least one publisher (add it to EVENT_AREA_PUBLISHERS / STREAM_PUBLISHERS)', () => {
    const names = namesFor(ns);
    for (const [key, v] of Object.entries(names.subjects)) {
      const subject = typeof v === 'function' ? v('*') : v;
      if (subject.endsWith('>')) continue;
      const publishers = all().filter((p) => p.publish.allow.includes(subject));
      expect({ key, publishers: publishers.length > 0 }).toEqual({ key, publishers: true });
    }
    expect(Object.keys(EVENT_AREA_PUBLISHERS).length + Object.keys(STREAM_PUBLISHERS).length).toBeGreaterThan(0);
  });

  it('lets some service publish into every stream (a new stream needs a publisher rule)', () => {
    for (const stream of Object.values(namesFor(ns).streams)) {
      const prefixes = stream.subjects.map((x) => x.replace(/>$/, ''));
      const publishers = all().filter((p) => p.publish.allow.some((a) => prefixes.some((pre) => a.startsWith(pre))));
      expect({ stream: stream.name, publishers: publishers.length > 0 }).toEqual({ stream: stream.name, publishers: true });
    }
  });

  it('gives every durable consumer an owner (its name starts with the service name)', () => {
    for (const d of Object.values(namesFor(ns).durables)) {
      expect({ d, owners: MESH_SERVICES.filter((s) => durablesOf(ns, s).includes(d)).length }).toEqual({ d, owners: 1 });
    }
  });

  it('only the gateway may publish inbound chat messages (the signature checks are there)', () => {
    const subject = namesFor(ns).subjects.chatInbound('*');
    expect(MESH_SERVICES.filter((s) => natsPermissionsFor(ns, s).publish.allow.includes(subject))).toEqual(['bot-gateway']);
  });

  it('never grants stream delete or purge, nor a whole-namespace or whole-server wildcard', () => {
    for (const p of all()) {
      for (const subject of [...p.publish.allow, ...p.subscribe.allow]) {
        expect(subject).not.toMatch(/STREAM\.(DELETE|PURGE)|MSG\.DELETE/);
        expect(['>', `${ns}.>`, '$JS.API.>', '$JS.>', '_INBOX.>']).not.toContain(subject);
      }
    }
  });

  it('keeps each service to its own reply inbox', () => {
    for (const s of MESH_SERVICES) {
      const inboxes = natsPermissionsFor(ns, s).subscribe.allow.filter((x) => x.startsWith('_INBOX'));
      expect(inboxes).toEqual([`_INBOX_${ns}_${s.replace(/-/g, '_')}.>`]);
    }
  });

  it('follows the namespace: nothing of another deployment is granted', () => {
    for (const s of MESH_SERVICES) {
      const p = natsPermissionsFor('other', s);
      for (const x of [...p.publish.allow, ...p.subscribe.allow]) expect(x).not.toMatch(/(^|[._])zs[._]|ZS_/);
    }
  });

  it('renders an accounts block with one user per service and no anonymous access', () => {
    const conf = renderNatsAuthorization({ namespaces: ['zs'], passwordRef: (n, s) => `$PW_${s.replace(/-/g, '_')}` });
    for (const s of MESH_SERVICES) expect(conf).toContain(`user: "zs-${s}"`);
    expect(conf).toContain('jetstream: enabled');
    expect(conf).not.toContain('no_auth_user');
    expect(Object.keys(RPC_AREA_OWNERS)).toContain('scoring');
  });
});
