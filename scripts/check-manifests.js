#!/usr/bin/env node
// Renders every kustomization under deploy/ with `kubectl kustomize` and checks what an
// operator would otherwise find out on a cluster:
//   - each render: selectors match pod labels (Deployments, Services, PDBs, NetworkPolicies),
//     named ports exist, every object has a namespace;
//   - deploy/README.md, replayed step by step from an EMPTY cluster: every ConfigMap, Secret
//     (and each non-optional Secret key), ServiceAccount and Namespace an object needs exists
//     when its step applies it;
//   - the PostgreSQL connection budget of the rendered replicas fits the documented limit.
// Usage: node scripts/check-manifests.js [--readme path]   (exit 1 with a list of problems)
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const yaml = require('js-yaml');

const ROOT = path.resolve(__dirname, '..');
const DEPLOY = path.join(ROOT, 'deploy');

/**
 * PostgreSQL max_connections deploy/README.md requires (step 2), minus superuser_reserved_connections (3)
 * and 10 for people and tools (psql, backups, monitoring).
 */
const PG_MAX_CONNECTIONS = 150;
const PG_CONNECTION_LIMIT = PG_MAX_CONNECTIONS - 3 - 10;
/** Pool size per replica of each service: DB_POOL_SIZES in libs/persistence/src/connection-budget.ts (test/integration/manifests.test.ts keeps them equal); DB_POOL_SIZE overrides lead-intake's. */
const POOL = { 'lead-intake': 20, notification: 10, scoring: 5, scheduler: 8, 'bot-gateway': 3 };
/** The migrate Job (and the seed Job's migrate step) connect with a pool of 2. */
const JOB_POOL = 2; // TOOL_POOL_SIZE

function kubectl() {
  const bin = process.env.KUBECTL || 'kubectl';
  try {
    const v = JSON.parse(execFileSync(bin, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
    const minor = parseInt(v.clientVersion.minor, 10);
    if (minor < 21) throw new Error(`kubectl 1.${minor} is too old: its kustomize lacks components (need 1.21+)`);
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error('kubectl not found: apt-get install kubectl (or kubernetes-client >= 1.21), or set KUBECTL');
    throw e;
  }
  return bin;
}

function kustomizations() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'kustomization.yaml') {
        const doc = yaml.load(fs.readFileSync(p, 'utf8'));
        if (doc.kind !== 'Component') out.push(path.relative(ROOT, dir));
      }
    }
  };
  walk(DEPLOY);
  return out.sort();
}

const renders = new Map();
function render(dir) {
  if (!renders.has(dir)) {
    const text = execFileSync(kubectl(), ['kustomize', path.join(ROOT, dir)], { encoding: 'utf8' });
    renders.set(dir, yaml.loadAll(text).filter(Boolean));
  }
  return renders.get(dir);
}

const podSpec = (o) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec);
const podLabels = (o) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.metadata?.labels : o.spec?.template?.metadata?.labels) || {};
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const matches = (sel, labels) => Object.entries(sel || {}).every(([k, v]) => labels[k] === v);
const exprMatches = (exprs, labels) =>
  (exprs || []).every((e) => (e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'NotIn' ? !e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : !(e.key in labels)));
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'GatewayClass']);
const id = (o) => `${o.kind}/${o.metadata.name}`;

/** What a pod needs to exist before it can start. */
function references(o) {
  const spec = podSpec(o);
  if (!spec) return [];
  const ns = o.metadata.namespace;
  const refs = [];
  if (spec.serviceAccountName) refs.push({ kind: 'ServiceAccount', ns, name: spec.serviceAccountName });
  for (const c of [...(spec.initContainers || []), ...(spec.containers || [])]) {
    for (const f of c.envFrom || []) {
      if (f.configMapRef) refs.push({ kind: 'ConfigMap', ns, name: f.configMapRef.name, optional: f.configMapRef.optional });
      if (f.secretRef) refs.push({ kind: 'Secret', ns, name: f.secretRef.name, optional: f.secretRef.optional });
    }
    for (const e of c.env || []) {
      const v = e.valueFrom || {};
      if (v.configMapKeyRef) refs.push({ kind: 'ConfigMap', ns, name: v.configMapKeyRef.name, key: v.configMapKeyRef.key, optional: v.configMapKeyRef.optional });
      if (v.secretKeyRef) refs.push({ kind: 'Secret', ns, name: v.secretKeyRef.name, key: v.secretKeyRef.key, optional: v.secretKeyRef.optional });
    }
  }
  for (const v of spec.volumes || []) {
    if (v.configMap) refs.push({ kind: 'ConfigMap', ns, name: v.configMap.name, optional: v.configMap.optional });
    if (v.secret) refs.push({ kind: 'Secret', ns, name: v.secret.secretName, optional: v.secret.optional });
  }
  return refs;
}

/** Checks within one render: labels, selectors, ports, namespaces. */
function checkRender(dir, objs) {
  const problems = [];
  const p = (m) => problems.push(`${dir}: ${m}`);
  const workloads = objs.filter((o) => WORKLOADS.has(o.kind));
  for (const o of objs) {
    if (!o.kind || !o.metadata?.name) p(`an object without kind or name`);
    if (!CLUSTER_SCOPED.has(o.kind) && !o.metadata?.namespace) p(`${id(o)} has no namespace`);
  }
  for (const d of workloads) {
    if (d.kind === 'Deployment' || d.kind === 'StatefulSet') {
      if (!matches(d.spec.selector.matchLabels, podLabels(d))) p(`${id(d)}: selector does not match its pod labels`);
    }
    const spec = podSpec(d);
    for (const c of [...(spec.initContainers || []), ...spec.containers]) {
      const ports = new Set((c.ports || []).map((x) => x.name));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === 'string' && !ports.has(port)) p(`${id(d)}: ${probe} uses port ${port}, which ${c.name} does not name`);
      }
    }
  }
  const inNs = (o, ns) => o.metadata.namespace === ns;
  for (const s of objs.filter((o) => o.kind === 'Service')) {
    const targets = workloads.filter((w) => inNs(w, s.metadata.namespace) && matches(s.spec.selector, podLabels(w)));
    if (!targets.length) p(`${id(s)}: selector matches no pod`);
    for (const port of s.spec.ports || []) {
      if (typeof port.targetPort === 'string' && !targets.some((w) => podSpec(w).containers.some((c) => (c.ports || []).some((x) => x.name === port.targetPort)))) {
        p(`${id(s)}: targetPort ${port.targetPort} is not a named port of its pods`);
      }
    }
  }
  for (const b of objs.filter((o) => o.kind === 'PodDisruptionBudget')) {
    if (!workloads.some((w) => matches(b.spec.selector.matchLabels, podLabels(w)))) p(`${id(b)}: selector matches no pod`);
  }
  const own = workloads.filter((w) => w.kind !== 'Job'); // NetworkPolicies of the mesh's namespace must select its pods
  for (const np of objs.filter((o) => o.kind === 'NetworkPolicy')) {
    const sel = np.spec.podSelector || {};
    const candidates = workloads.filter((w) => inNs(w, np.metadata.namespace));
    if (!own.length || !candidates.length) continue; // policies for pods installed by others (the NATS chart)
    if (!candidates.some((w) => matches(sel.matchLabels, podLabels(w)) && exprMatches(sel.matchExpressions, podLabels(w)))) p(`${id(np)}: podSelector matches no pod`);
  }
  return problems;
}

/** Every HTTPRoute backend is a Service port of the mesh. */
function checkRoutes(objs) {
  const problems = [];
  for (const r of objs.filter((o) => o.kind === 'HTTPRoute')) {
    for (const rule of r.spec.rules || []) {
      for (const b of rule.backendRefs || []) {
        const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === b.name && o.metadata.namespace === (b.namespace || r.metadata.namespace));
        if (!svc) problems.push(`${id(r)}: backend Service ${b.name} does not exist`);
        else if (!svc.spec.ports.some((p) => p.port === b.port)) problems.push(`${id(r)}: Service ${b.name} has no port ${b.port}`);
      }
    }
  }
  return problems;
}

/** The steps of deploy/README.md's "Step by step" and "Upgrades", in order, as cluster operations. */
function readmeSteps(readmeText) {
  const steps = [];
  const blocks = [...readmeText.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  for (const block of blocks) {
    const text = block.replace(/\\\n\s*/g, ' ');
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      let m;
      if ((m = /kubectl (?:-n \S+ )?apply -k (deploy\/\S+)/.exec(line))) steps.push({ op: 'apply-k', dir: m[1], line });
      else if ((m = /kubectl (?:-n \S+ )?apply -f (deploy\/\S+)/.exec(line))) steps.push({ op: 'apply-f', file: m[1], line });
      else if ((m = /kubectl create namespace (\S+)/.exec(line))) steps.push({ op: 'namespace', name: m[1], line });
      else if ((m = /kubectl -n (\S+) create secret generic (\S+)(.*)$/.exec(line))) {
        const keys = [...m[3].matchAll(/--from-(?:literal|file)=([A-Za-z0-9_.-]+)=/g)].map((k) => k[1]);
        steps.push({ op: 'secret', ns: m[1], name: m[2], keys, line });
      }
    }
  }
  return steps;
}

/** Replays the README on an empty cluster; every object must find what it needs at its step. */
function replayReadme(readmeText) {
  const problems = [];
  const state = new Map(); // "Kind/ns/name" -> { keys?: Set }
  const key = (kind, ns, name) => `${kind}/${ns || ''}/${name}`;
  const steps = readmeSteps(readmeText);
  if (!steps.some((s) => s.op === 'apply-k')) problems.push('README: no `kubectl apply -k` step found');
  for (const step of steps) {
    let objs = [];
    if (step.op === 'namespace') state.set(key('Namespace', '', step.name), {});
    if (step.op === 'secret') state.set(key('Secret', step.ns, step.name), { keys: new Set(step.keys) });
    if (step.op === 'apply-k') objs = render(step.dir.replace(/\/$/, ''));
    if (step.op === 'apply-f') objs = yaml.loadAll(fs.readFileSync(path.join(ROOT, step.file), 'utf8')).filter(Boolean);
    const applying = new Map(objs.map((o) => [key(o.kind, CLUSTER_SCOPED.has(o.kind) ? '' : o.metadata.namespace, o.metadata.name), o]));
    const has = (k) => state.has(k) || applying.has(k);
    for (const o of objs) {
      if (!CLUSTER_SCOPED.has(o.kind) && !has(key('Namespace', '', o.metadata.namespace))) {
        problems.push(`README step \`${step.line}\`: ${id(o)} goes into namespace ${o.metadata.namespace}, which does not exist yet`);
      }
      for (const r of references(o)) {
        const k = key(r.kind, r.ns, r.name);
        if (!has(k)) {
          if (!r.optional) problems.push(`README step \`${step.line}\`: ${id(o)} needs ${r.kind} ${r.name}, which does not exist yet`);
          continue;
        }
        if (r.key && !r.optional) {
          const keys = state.get(k)?.keys ?? new Set(Object.keys(applying.get(k)?.data || {}));
          if (!keys.has(r.key)) problems.push(`README step \`${step.line}\`: ${id(o)} needs key ${r.key} of ${r.kind} ${r.name}, which the README does not create`);
        }
      }
    }
    for (const [k, o] of applying) state.set(k, { keys: new Set(Object.keys(o.data || {})) });
  }
  return { problems: [...new Set(problems)], steps: steps.length };
}

/** Connections the services may hold at once: pool x (replicas + surge during a rolling update), plus a running Job. */
function connectionBudget(objs) {
  const config = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'zs-config')?.data || {};
  const rows = [];
  let total = JOB_POOL;
  for (const d of objs.filter((o) => o.kind === 'Deployment')) {
    const name = d.metadata.name;
    const pool = name === 'lead-intake' && config.DB_POOL_SIZE ? Number(config.DB_POOL_SIZE) : POOL[name] ?? 10;
    const surge = Number(d.spec.strategy?.rollingUpdate?.maxSurge ?? 1);
    const n = pool * ((d.spec.replicas ?? 1) + surge);
    rows.push({ name, replicas: d.spec.replicas ?? 1, surge, pool, connections: n });
    total += n;
  }
  return { rows, total };
}

function main() {
  const argi = process.argv.indexOf('--readme');
  const everything = () => [...renders.values()].flat();
  const readme = fs.readFileSync(argi > 0 ? process.argv[argi + 1] : path.join(DEPLOY, 'README.md'), 'utf8');
  const problems = [];
  const dirs = kustomizations();
  for (const dir of dirs) problems.push(...checkRender(dir, render(dir)));
  problems.push(...checkRoutes(everything()));
  const replay = replayReadme(readme);
  problems.push(...replay.problems);
  const budget = connectionBudget(render('deploy/kubernetes'));
  if (!readme.includes(`max_connections\` of at least ${PG_MAX_CONNECTIONS}`)) problems.push(`README: step 2 must require \`max_connections\` of at least ${PG_MAX_CONNECTIONS}`);
  if (budget.total > PG_CONNECTION_LIMIT) problems.push(`PostgreSQL connection budget ${budget.total} exceeds ${PG_CONNECTION_LIMIT}`);
  console.log(`rendered ${dirs.length} kustomizations: ${dirs.join(', ')}`);
  console.log(`replayed ${replay.steps} deploy/README.md steps from an empty cluster`);
  console.log(`PostgreSQL connections at most (pool x (replicas + rolling-update surge), + ${JOB_POOL} for a Job): ${budget.total} of ${PG_CONNECTION_LIMIT}`);
  for (const r of budget.rows) console.log(`  ${r.name}: ${r.pool} x (${r.replicas} + ${r.surge}) = ${r.connections}`);
  if (problems.length) {
    console.error(`\n${problems.length} problem(s):\n${problems.map((x) => `  - ${x}`).join('\n')}`);
    process.exit(1);
  }
  console.log('manifests OK');
}

module.exports = { POOL, JOB_POOL, checkRoutes, readmeSteps, replayReadme, checkRender, connectionBudget, references, render };
if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
