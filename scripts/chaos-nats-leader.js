#!/usr/bin/env node
// A narrower probe than `npm run chaos` for one NATS node lost (issue 10): a private three-node NATS
// cluster, one three-replica stream and a durable consumer run through JetStreamBus (the services' own
// consume loop and publish retries), a message published every 50 ms, and the node that leads the
// consumer (PROBE_KILL=consumer, default) or the stream (PROBE_KILL=stream) killed with SIGKILL and
// restarted 5 s later. Prints when the new leaders were seen and when consumption resumed after the
// kill, and checks every published message was consumed.
//
//   npx tsc -p tsconfig.build.json && node scripts/chaos-nats-leader.js
//   PROBE_KILL=stream PROBE_PORT_BASE=47300 node scripts/chaos-nats-leader.js
require('./paths');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { connect } = require('nats');
const pino = require('pino');
const { ensureNatsCluster, startNode, stopNode } = require('./lib/nats-cluster');
const { JetStreamBus } = require('@zs/platform');

const BASE = Number(process.env.PROBE_PORT_BASE || 47300);
const KILL = process.env.PROBE_KILL || 'consumer';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-nats-leader-'));
  const opts = { dir, clientPorts: [BASE, BASE + 1, BASE + 2], clusterPorts: [BASE + 10, BASE + 11, BASE + 12], name: 'zs-probe' };
  const { url, nodes } = await ensureNatsCluster(opts);
  const killAll = () => nodes.forEach((n) => n.child && n.child.kill('SIGKILL'));
  process.on('exit', killAll);
  if (nodes.some((n) => !n.child)) throw new Error(`a node of an earlier run still holds a port from ${BASE}`);
  const logger = pino({ level: process.env.LOG_LEVEL || 'error' });
  const pub = await JetStreamBus.connect(url, 'probe-pub', logger, { replicas: 3, required: false });
  const sub = await JetStreamBus.connect(url, 'probe-sub', logger, { replicas: 3, required: false });
  await pub.ensureStream({ name: 'PROBE', subjects: ['probe.>'], duplicateWindowMs: 60000, maxAgeMs: 3600000 });
  const got = new Map();
  await sub.consume({
    stream: 'PROBE', durable: 'probe', filterSubject: 'probe.>', maxDeliver: 50, ackWaitMs: 30000, concurrency: 8,
    handler: async (p) => void (got.has(p.i) || got.set(p.i, Date.now())),
  });
  let sent = 0;
  let stop = false;
  const publishing = (async () => {
    while (!stop) {
      const i = sent++;
      await pub.publish('probe.a', { i }, `m${i}`, { withinMs: 20000 }).catch((e) => console.log(`publish ${i} failed: ${e.message}`));
      await sleep(50);
    }
  })();
  await sleep(3000);
  let si;
  let ci;
  for (;;) {
    si = await pub.jsm.streams.info('PROBE').catch(() => null);
    ci = await pub.jsm.consumers.info('PROBE', 'probe').catch(() => null);
    if (si?.cluster?.leader && ci?.cluster?.leader) break;
    await sleep(500);
  }
  const leader = KILL === 'stream' ? si.cluster.leader : ci.cluster.leader;
  const victim = nodes.find((n) => `zs-probe-${n.name}` === leader);
  console.log(`stream leader ${si.cluster.leader}, consumer leader ${ci.cluster.leader}; killing ${victim.name}`);
  await stopNode(victim, 'SIGKILL');
  const killedAt = Date.now();
  // New leaders as seen through the surviving nodes (a 1 s API timeout: seen up to ~1 s late).
  const watch = (async () => {
    const nc = await connect({ servers: nodes.filter((n) => n !== victim).map((n) => `nats://127.0.0.1:${n.port}`) });
    const jsm = await nc.jetstreamManager({ timeout: 1000 });
    // Only the raft groups the killed node led need a new leader.
    const seen = { stream: si.cluster.leader === leader ? undefined : 'not on the killed node', consumer: ci.cluster.leader === leader ? undefined : 'not on the killed node' };
    while (Date.now() - killedAt < 20000 && !(seen.stream && seen.consumer)) {
      for (const [k, f] of [['stream', () => jsm.streams.info('PROBE')], ['consumer', () => jsm.consumers.info('PROBE', 'probe')]]) {
        if (seen[k]) continue;
        const l = (await f().catch(() => null))?.cluster?.leader;
        if (l && l !== leader) seen[k] = `${l} after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`;
      }
      await sleep(100);
    }
    await nc.close();
    return seen;
  })();
  await sleep(5000);
  startNode(victim);
  await sleep(15000);
  stop = true;
  await publishing;
  const seen = await watch;
  for (let w = 0; w < 60 && got.size < sent; w++) await sleep(500);
  const resumed = Math.min(...[...got.values()].filter((t) => t >= killedAt)) - killedAt;
  console.log(JSON.stringify({ killed: KILL, newStreamLeader: seen.stream ?? 'unchanged', newConsumerLeader: seen.consumer ?? 'unchanged', consumptionResumedAfterMs: resumed, sent, consumed: got.size }));
  await pub.close();
  await sub.close();
  for (const n of nodes) await stopNode(n, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = got.size === sent ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
