#!/usr/bin/env node
// `npm start`: brings the whole system up on this machine: dependencies, build,
// PostgreSQL / Redis / NATS, migrations, the demo city, every service, and the local
// WeCom simulator with its chat console. Ctrl-C stops everything.
const fs = require('fs');
const path = require('path');
const { execSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const step = (s) => console.log(`\n▶ ${s}`);

function run(cmd, env) {
  execSync(cmd, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
}

// `npm start` runs this through `sh -c`; npm forwards SIGINT/SIGTERM only to its direct child,
// and a shell waiting for a command does not pass them on. The script line therefore `exec`s
// node (package.json), so a signal sent to the npm process itself reaches this handler.
let onSignal = () => process.exit(130); // before the services exist there is nothing to stop
process.on('SIGINT', () => onSignal());
process.on('SIGTERM', () => onSignal());

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) {
    step('installing dependencies (npm ci)');
    run('npm ci --no-audit --no-fund');
  }
  step('building (tsc)');
  run('npm run build --silent');
  // The WeCom / DingTalk simulators are development tools, outside the production build
  // (tsconfig.build.json, the image); the local run builds them separately.
  run('npx tsc -p tsconfig.dev.json');

  const { prepareEngines } = require('./lib/engines');
  const { Mesh } = require('./lib/mesh');
  const { demoEnv } = require('./lib/demo-env');
  const env = demoEnv();

  // NATS_CLUSTER=3: a local three-node NATS cluster (scripts/nats-cluster.js) instead of one server,
  // with every stream the services ensure replicated three times.
  if (process.env.NATS_CLUSTER) {
    if (process.env.NATS_CLUSTER !== '3') throw new Error('NATS_CLUSTER: only 3 is supported (a three-node cluster)');
    step('starting the local three-node NATS cluster');
    const { ensureNatsCluster } = require('./lib/nats-cluster');
    const { localClusterOptions } = require('./nats-cluster');
    const { url, nodes } = await ensureNatsCluster(localClusterOptions());
    for (const n of nodes) console.log(`✓ NATS ${n.name} on port ${n.port}, store ${n.storeDir}`);
    env.NATS_URL = url;
    env.JETSTREAM_REPLICAS = process.env.JETSTREAM_REPLICAS || '3';
  }

  step('checking PostgreSQL, Redis and NATS');
  await prepareEngines(env);

  step('migrating the database and loading the demo city (益阳)');
  run('node -r ./scripts/paths.js dist/libs/persistence/src/cli/migrate.js', env);
  run('node -r ./scripts/paths.js dist/libs/persistence/src/cli/seed-demo.js', env);

  step('starting services');
  const verbose = process.env.LOG_LEVEL && process.env.LOG_LEVEL !== 'warn';
  // The demo accounts' passwords are for the seed and the banner only, not for the services.
  const serviceEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('DEMO_PASSWORD_')));
  // Supervised like systemd, compose or Kubernetes would: a service that dies is started again
  // with backoff (scripts/lib/restart-policy.js), and the console says so.
  const mesh = new Mesh({
    env: serviceEnv,
    supervise: true,
    onLine: (name, line) => {
      if (verbose || /"level":"(warn|error|fatal)"/.test(line) || !line.startsWith('{')) console.log(`[${name}] ${line}`);
    },
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await mesh.stopAll('SIGTERM');
    console.log('stopped.');
    process.exit(0);
  };
  onSignal = stop;

  mesh.spawnNode('wecom-sim', 'dist/libs/platform-sim/src/cli/run-wecom-sim.js');
  mesh.spawnNode('dingtalk-sim', 'dist/libs/platform-sim/src/cli/run-dingtalk-sim.js');
  // REPLICAS=n starts every service n times (exactly-once firing and queue groups can be seen).
  const replicas = Math.max(1, Math.min(9, Number(process.env.REPLICAS) || 1));
  if (replicas > 1) console.log(`  ${replicas} replicas of every service`);
  await mesh.startReplicated(replicas);

  console.log(`
招商引资助手 is running.

  Chat console (plays WeCom):   http://127.0.0.1:${env.SIM_PORT}/
  Chat console (plays DingTalk): http://127.0.0.1:${env.SIM_DINGTALK_PORT}/   (HTTP callback or Stream, per message)
  Administrators' console:     http://127.0.0.1:${env.GATEWAY_PORT}/console/   (管理控制台; demo accounts below)
  Admin API (OpenAPI docs):     http://127.0.0.1:${env.GATEWAY_PORT}/api/docs
  Admin token:                  stored in .run/demo.env (ADMIN_TOKEN)
  NATS:                         ${env.NATS_URL}${env.JETSTREAM_REPLICAS ? ` (streams with ${env.JETSTREAM_REPLICAS} replicas)` : ''}
  WeCom callback:               http://127.0.0.1:${env.GATEWAY_PORT}/wecom/callback
  DingTalk callback:            http://127.0.0.1:${env.GATEWAY_PORT}/dingtalk/callback

Pick a member in the console and send, for example:
  报线索 企业：深圳市星河智能科技有限公司 行业：电子信息 投资额：5亿元 联系人：王经理 13912345678 内容：拟建智能终端生产基地

Ctrl-C stops everything.`);
  console.log(`
Console accounts of the demo city (passwords generated into .run/demo.env; sign in with POST /api/auth/login):
  admin    市商务局管理员 (city-admin)           password: ${env.DEMO_PASSWORD_CITY_ADMIN}
  heshan   赫山区招商办管理员 (unit-admin, 赫山区) password: ${env.DEMO_PASSWORD_UNIT_ADMIN}
  leader   分管副市长 (leader, read-only)         password: ${env.DEMO_PASSWORD_LEADER}`);
}

main().catch((e) => {
  console.error(`\n✗ ${e.message}`);
  process.exit(1);
});
