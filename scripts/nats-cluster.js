#!/usr/bin/env node
// A local three-node NATS cluster (JetStream, stores under .run/nats-cluster/n1..n3):
//
//   node scripts/nats-cluster.js          # start (or find running) and print NATS_URL
//   node scripts/nats-cluster.js stop     # stop the three nodes (their stores stay)
//
// Then:  NATS_URL=<printed> JETSTREAM_REPLICAS=3 npm start,  or simply  NATS_CLUSTER=3 npm start.
// Client ports 4231-4233, cluster (route) ports 6231-6233; NATS_CLUSTER_PORT moves the first client port.
const path = require('path');
const { ensureNatsCluster, clusterNodes, stopNode } = require('./lib/nats-cluster');
const { RUN_DIR } = require('./lib/infra');

/** The cluster `npm start` and this script run: fixed ports, stores in the checkout. */
function localClusterOptions(env = process.env) {
  const first = Number(env.NATS_CLUSTER_PORT) || 4231;
  const size = 3;
  return {
    dir: path.join(RUN_DIR, 'nats-cluster'),
    clientPorts: Array.from({ length: size }, (_, i) => first + i),
    clusterPorts: Array.from({ length: size }, (_, i) => first + 2000 + i),
    name: 'zs-local',
    detached: true,
  };
}

module.exports = { localClusterOptions };

if (require.main === module) {
  const opts = localClusterOptions();
  if (process.argv[2] === 'stop') {
    Promise.all(clusterNodes(opts).map((n) => stopNode(n, 'SIGTERM')))
      .then(() => console.log('NATS cluster stopped'))
      .catch((e) => {
        console.error(e.message);
        process.exit(1);
      });
  } else {
    ensureNatsCluster(opts)
      .then(({ url, nodes }) => {
        for (const n of nodes) console.log(`✓ ${n.name}: client port ${n.port}, cluster port ${n.clusterPort}, store ${n.storeDir}`);
        console.log(`NATS_URL=${url}`);
        console.log('JETSTREAM_REPLICAS=3');
      })
      .catch((e) => {
        console.error(e.message);
        process.exit(1);
      });
  }
}
