// A local NATS cluster of three (or n) nats-server processes, each with its own client port,
// cluster port and JetStream store, joined by routes: what a production NATS looks like (the
// Helm chart in deploy/nats), on one machine. Used by `NATS_CLUSTER=3 npm start`,
// `node scripts/nats-cluster.js` and the chaos suite (which kills and restarts single nodes).
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { probe } = require('./infra');

function natsServerBin() {
  const r = spawnSync('sh', ['-c', 'command -v nats-server || ls /usr/sbin/nats-server /usr/local/sbin/nats-server 2>/dev/null'], { encoding: 'utf8' });
  const bin = (r.stdout || '').split('\n').find((l) => l.startsWith('/'));
  if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server, or https://github.com/nats-io/nats-server/releases)');
  return bin;
}

/**
 * The nodes of a cluster: node i listens for clients on clientPorts[i] and for routes on
 * clusterPorts[i], keeps its JetStream store in <dir>/n<i+1>, and routes to every other node.
 */
function clusterNodes({ dir, clientPorts, clusterPorts, name = 'zs-local' }) {
  return clientPorts.map((port, i) => {
    const nodeName = `n${i + 1}`;
    const nodeDir = path.join(dir, nodeName);
    const routes = clusterPorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
    return {
      name: nodeName,
      port,
      clusterPort: clusterPorts[i],
      storeDir: nodeDir,
      pidFile: path.join(nodeDir, 'nats.pid'),
      logFile: path.join(nodeDir, 'nats.log'),
      args: [
        '-a', '127.0.0.1',
        '-p', String(port),
        '-n', `${name}-${nodeName}`,
        '-js',
        '-sd', nodeDir,
        '--cluster_name', name,
        '--cluster', `nats://127.0.0.1:${clusterPorts[i]}`,
        '--routes', routes.join(','),
        '-l', path.join(nodeDir, 'nats.log'),
        '-P', path.join(nodeDir, 'nats.pid'),
      ],
    };
  });
}

/** NATS_URL listing every node: clients fail over between them. */
function clusterUrl(nodes) {
  return nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(',');
}

async function waitPort(port, up, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await probe({ host: '127.0.0.1', port }, 300)) === up) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts one node. `detached`: the process outlives this script (npm start keeps the cluster
 * running between starts, like its single NATS); otherwise it is a child (the chaos suite).
 */
function startNode(node, { detached = false } = {}) {
  fs.mkdirSync(node.storeDir, { recursive: true });
  const child = spawn(natsServerBin(), node.args, { detached, stdio: 'ignore' });
  if (detached) child.unref();
  node.child = child;
  return child;
}

function nodePid(node) {
  if (node.child && node.child.exitCode === null && node.child.signalCode === null) return node.child.pid;
  try {
    return Number(fs.readFileSync(node.pidFile, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Kills one node (SIGKILL: a machine lost; SIGTERM: a clean stop) and waits until its port is closed. */
async function stopNode(node, signal = 'SIGKILL') {
  const pid = nodePid(node);
  if (pid) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
  await waitPort(node.port, false, 15000);
}

/**
 * Waits until JetStream on the cluster has a meta leader and answers, through `url`.
 * A fresh cluster takes a few seconds to elect one; until then stream creation fails.
 */
async function waitJetStream(url, ms = 30000) {
  const { connect } = require('nats');
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    let nc;
    try {
      nc = await connect({ servers: url.split(','), timeout: 2000, reconnect: false });
      const jsm = await nc.jetstreamManager({ timeout: 2000 });
      await jsm.getAccountInfo();
      return;
    } catch (e) {
      last = e;
    } finally {
      await nc?.close().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`NATS cluster ${url}: JetStream not available after ${ms} ms (${last?.message ?? last})`);
}

/**
 * Makes sure the cluster runs: starts the nodes that do not answer, waits for JetStream.
 * Returns { url, nodes }.
 */
async function ensureNatsCluster(opts) {
  const nodes = clusterNodes(opts);
  for (const n of nodes) {
    if (await probe({ host: '127.0.0.1', port: n.port }, 300)) continue;
    startNode(n, { detached: !!opts.detached });
  }
  for (const n of nodes) {
    if (!(await waitPort(n.port, true, 20000))) throw new Error(`NATS node ${n.name} does not answer on port ${n.port}; see ${n.logFile}`);
  }
  const url = clusterUrl(nodes);
  await waitJetStream(url, opts.jetStreamTimeoutMs ?? 60000);
  return { url, nodes };
}

module.exports = { clusterNodes, clusterUrl, ensureNatsCluster, startNode, stopNode, waitJetStream, waitPort };
