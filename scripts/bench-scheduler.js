#!/usr/bin/env node
// Benchmark (not a test) of the scheduler with three replicas on one PostgreSQL and NATS:
//  1. firing delay: BENCH_SCHEDULES schedules firing every 5 s for BENCH_SECONDS; prints how late
//     each slot was claimed (p50/p99/max) over every slot, and checks each slot fired once;
//  2. fan-out: one reminder to BENCH_MEMBERS members; prints the time to build it, queue one push
//     per person and publish every person's digest to the NOTIFY stream;
//  3. "run now" of that reminder over the scheduler's RPC (what POST /api/schedules/{id}/run
//     forwards): prints how long the 202-style answer took and how long the durable run then took.
//
//   npm run bench:scheduler
//   BENCH_SCHEDULES=20 BENCH_SECONDS=40 BENCH_MEMBERS=10000 npm run bench:scheduler
require('./paths');
const crypto = require('crypto');
const { execSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SCHEDULES = Number(process.env.BENCH_SCHEDULES || 20);
const SECONDS = Number(process.env.BENCH_SECONDS || 40);
const MEMBERS = Number(process.env.BENCH_MEMBERS || 10000);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const until = async (check, timeoutMs) => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
};

async function main() {
  execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'inherit' });
  await require('./lib/infra').ensureInfra();
  const { Mesh, freePort } = require('./lib/mesh');
  const { runMigrations, createDataSource, seedCity, dropDatabase } = require('@zs/persistence');
  const { localParts } = require('@zs/domain');
  const { Client } = require('pg');
  const { connect } = require('nats');

  const id = crypto.randomBytes(4).toString('hex');
  const ns = `b${id}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/zs_bench_${id}`;
  await runMigrations(databaseUrl);
  const ds = createDataSource(databaseUrl, 'bench-seed', 2);
  await ds.initialize();
  await seedCity(ds, 'yiyang', true);
  await ds.destroy();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();

  // Schedules that fire every 5 s from a little after the replicas are up.
  const startAt = new Date(Math.ceil((Date.now() + 25_000) / 5000) * 5000);
  for (let i = 0; i < SCHEDULES; i++) {
    await db.query(
      `INSERT INTO schedules (kind, name, cron, timezone, audience, message, grace_seconds, anchor_at)
       VALUES ('custom', $1, '*/5 * * * * *', 'Asia/Shanghai', '{}'::jsonb, '节拍', 600, $2)`,
      [`节拍${i + 1}`, new Date(startAt.getTime() - 1)],
    );
  }
  // The fan-out audience: MEMBERS officials of one unit, each reachable on WeCom.
  const unit = (await db.query(`INSERT INTO units (name, kind, ranked, profile_key) VALUES ('压测单位', 'county', false, 'bench-unit') RETURNING id`)).rows[0].id;
  await db.query(
    `INSERT INTO members (name, unit_id, role, wecom_user_id)
     SELECT '压测成员' || g, $1, 'official', 'bench.' || g FROM generate_series(1, $2) g`,
    [unit, MEMBERS],
  );

  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    NAMESPACE: ns,
    POLICY_PROFILE: 'yiyang',
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    NATS_URL: 'nats://127.0.0.1:4222',
    SCHEDULER_PORT: String(ports[0]),
    SCHEDULER_QUIET_HOURS: 'off',
  };
  const mesh = new Mesh({ env, onLine: (n, l) => (/"level":(50|60)/.test(l) ? console.error(`[${n}] ${l}`) : undefined) });
  try {
    mesh.start('scheduler');
    mesh.startReplica('scheduler', 2, ports[1]);
    mesh.startReplica('scheduler', 3, ports[2]);
    await Promise.all(['scheduler', 'scheduler#2', 'scheduler#3'].map((n) => mesh.waitReady(n, 90000)));
    const endAt = startAt.getTime() + SECONDS * 1000;
    console.log(`firing: ${SCHEDULES} schedules every 5 s from ${startAt.toISOString()} for ${SECONDS} s, three replicas`);
    await until(() => Date.now() > endAt + 3000, SECONDS * 1000 + 60_000);
    await db.query(`UPDATE schedules SET enabled = false, version = version + 1, updated_at = now() WHERE kind = 'custom'`);
    const runs = (
      await db.query(
        `SELECT schedule_id, slot_at, delay_ms, claimed_by, status FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id
         WHERE s.kind = 'custom' AND r.slot_at >= $1 AND r.slot_at <= $2`,
        [startAt, new Date(endAt)],
      )
    ).rows;
    const delays = runs.map((r) => r.delay_ms).sort((a, b) => a - b);
    const perSlot = new Map();
    for (const r of runs) perSlot.set(`${r.schedule_id}@${r.slot_at.toISOString()}`, (perSlot.get(`${r.schedule_id}@${r.slot_at.toISOString()}`) || 0) + 1);
    const expected = SCHEDULES * (Math.floor(SECONDS / 5) + 1);
    const byReplica = {};
    for (const r of runs) byReplica[r.claimed_by] = (byReplica[r.claimed_by] || 0) + 1;

    // Fan-out: one schedule at an exact second, to every bench member.
    const at = new Date(Math.ceil((Date.now() + 8000) / 1000) * 1000);
    const p = localParts(at, 'Asia/Shanghai');
    const fan = (
      await db.query(
        `INSERT INTO schedules (kind, name, cron, timezone, audience, message, grace_seconds)
         VALUES ('custom', '万人提醒', $1, 'Asia/Shanghai', '{"units":["bench-unit"]}'::jsonb, '请于本周五前报送本月招商数据', 600) RETURNING id`,
        [`${p.second} ${p.minute} ${p.hour} ${p.day} ${p.month} *`],
      )
    ).rows[0].id;
    const done = await until(async () => (await db.query(`SELECT 1 FROM schedule_runs WHERE schedule_id = $1 AND status IN ('done','failed')`, [fan])).rowCount > 0, 300_000);
    const fanRun = (await db.query(`SELECT status, reason, started_at, finished_at, summary FROM schedule_runs WHERE schedule_id = $1`, [fan])).rows[0];
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    const notify = await jsm.streams.info(`${ns.toUpperCase()}_NOTIFY`);
    // "Run now" over the RPC the admin API forwards to: the answer, then the run to its end.
    const subject = `${ns}.rpc.scheduler.schedules.run`;
    const asked = Date.now();
    const reply = await nc.request(subject, Buffer.from(JSON.stringify({ pattern: subject, data: { id: String(fan), body: {}, actor: 'bench' }, id: 'bench-run' })), { timeout: 30000 });
    const answeredMs = Date.now() - asked;
    const answer = JSON.parse(Buffer.from(reply.data).toString('utf8')).response;
    const manualId = answer?.ok?.runId;
    const manualDone = manualId
      ? await until(async () => (await db.query(`SELECT 1 FROM schedule_runs WHERE id = $1 AND status IN ('done','failed')`, [manualId])).rowCount > 0, 300_000)
      : false;
    const manual = manualId ? (await db.query(`SELECT status, started_at, finished_at, summary FROM schedule_runs WHERE id = $1`, [manualId])).rows[0] : null;
    await nc.close();

    console.log(`
Scheduler benchmark, three replicas, one machine (${require('os').cpus().length} cores)

firing delay (claim time − slot), ${runs.length} slots of ${expected} expected:
  p50 ${pct(delays, 50)} ms   p99 ${pct(delays, 99)} ms   max ${delays[delays.length - 1]} ms
  every slot fired once: ${[...perSlot.values()].every((n) => n === 1) && runs.length === expected ? 'yes' : 'NO'}
  claims per replica: ${JSON.stringify(byReplica)}

reminder to ${MEMBERS} members (build, queue ${MEMBERS} pushes, publish ${MEMBERS} digests to JetStream):
  ${done ? `${fanRun.status}: ${fanRun.finished_at - fanRun.started_at} ms` : 'did not finish within 300 s'}
  summary: ${JSON.stringify(fanRun?.summary)}
  NOTIFY stream now holds ${notify.state.messages} messages

"run now" of that reminder (RPC behind POST /api/schedules/{id}/run):
  answered in ${answeredMs} ms with ${JSON.stringify(answer?.ok ?? answer)}
  ${manualDone ? `the run then ${manual.status} in ${manual.finished_at - manual.started_at} ms (queues ${MEMBERS} pushes; today's digests already went out, so they wait for tomorrow's)` : 'the run did not finish within 300 s'}
`);
  } finally {
    await mesh.stopAll('SIGTERM');
    await db.end();
    await dropDatabase(databaseUrl).catch(() => undefined);
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await nc.jetstreamManager();
    for (const s of ['CHAT_INBOUND', 'NOTIFY', 'EVENTS']) await jsm.streams.delete(`${ns.toUpperCase()}_${s}`).catch(() => undefined);
    await nc.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
