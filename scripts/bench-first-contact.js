#!/usr/bin/env node
// First-contact lookup benchmark: how long the registry takes to answer "is this company
// registered?" (exact registry key or credit code) and "does a registered company resemble
// it?" (pg_trgm near match), at 100,000 and at 1,000,000 registered companies, with the same
// SQL lead-intake runs (LedgerRepository.findLiveClaim / findSimilar). Prints p50/p99; no
// pass/fail. Needs a build (npx tsc -p tsconfig.build.json) and PostgreSQL at DATABASE_URL's
// server. Usage: node scripts/bench-first-contact.js [sizes=100000,1000000] [queries=2000]
// BENCH_EXPLAIN=1 prints the near-match query plan; BENCH_SUFFIX changes the common name suffix (default 科技).
require('./paths');
const crypto = require('crypto');
const os = require('os');
const { Client } = require('pg');

const SIZES = (process.argv[2] || '100000,1000000').split(',').map(Number);
const QUERIES = Number(process.argv[3] || 2000);
const THRESHOLD = Number(process.env.FIRST_CONTACT_SIMILARITY || 0.45);
const SERVER = (process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang').replace(/\/[^/]*$/, '');

// 256 common characters of company names; a name is 6 of them (from md5 of its number) + 科技.
const POOL =
  '华中天信达通联泰安恒瑞丰盛鑫源宏创新远航博海星辰光明德正和兴隆昌永祥金银玉宝龙凤鹏飞云峰山川江河湖洋松柏竹梅兰菊春夏秋冬东南西北' +
  '智能精密材料电子信息装备制造生物医药能源环保食品纺织汽车机械化工建设工程物流商贸文旅健康农业科技网络数据软件芯片光电新型高端' +
  '长沙株洲湘潭衡阳益阳岳阳常德永州郴州娄底怀化邵阳张掖深圳广州杭州苏州南京武汉成都重庆西安郑州合肥福州厦门宁波青岛济南天津北京上海' +
  '一二三四五六七八九十百千万亿方圆立诚志远卓越领先优选聚合汇通共赢嘉禾润泽瑞雪晨曦朝阳星河银河宇宙乾坤';
const pool = [...new Set([...POOL])].slice(0, 256);
const SUFFIX = process.env.BENCH_SUFFIX ?? '科技';

function nameOf(i) {
  const h = crypto.createHash('md5').update(String(i)).digest();
  let s = '';
  for (let k = 0; k < 6; k++) s += pool[h[k] % pool.length];
  return `${s}${SUFFIX}`;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// The statements lead-intake runs (LedgerRepository.findLiveClaim / findSimilar), minus the joins for display.
const EXACT_SQL = `SELECT l.id FROM leads l WHERE l.lapsed_at IS NULL AND (l.normalized_name = $1 OR ($2::text IS NOT NULL AND l.credit_code = $2)) ORDER BY l.registered_at LIMIT 1`;
const NEAR_SQL = `SELECT l.id, similarity(l.normalized_name, $1) FROM leads l
  WHERE l.lapsed_at IS NULL AND l.normalized_name % $1 AND l.normalized_name <> $1 AND similarity(l.normalized_name, $1) >= $2::real
  ORDER BY similarity(l.normalized_name, $1) DESC, l.id LIMIT 1`;

function summary(ms) {
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50).toFixed(2), p99: pct(ms, 99).toFixed(2), max: ms[ms.length - 1].toFixed(2) };
}

async function timeQueries(db, name, text, params) {
  const ms = [];
  let hits = 0;
  for (const values of params) {
    const t = process.hrtime.bigint();
    const r = await db.query({ name, text, values });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    hits += r.rowCount > 0 ? 1 : 0;
  }
  return { ...summary(ms), hits };
}

/** Each probe run by a PL/pgSQL loop timed with clock_timestamp(): ms per query. */
async function timeInServer(db, sql, probes, threshold) {
  const body = sql.replace(/\$1/g, 'p').replace(/\$2::text/g, 'NULL::text').replace(/\$2::real/g, 't').replace(/\$2/g, 'NULL');
  await db.query(`
    CREATE OR REPLACE FUNCTION pg_temp.bench_loop(probes text[], t real) RETURNS float8[] LANGUAGE plpgsql AS $f$
    DECLARE p text; t0 timestamptz; r record; out float8[] := '{}';
    BEGIN
      FOREACH p IN ARRAY probes LOOP
        t0 := clock_timestamp();
        FOR r IN ${body} LOOP END LOOP;
        out := out || (extract(epoch FROM clock_timestamp() - t0) * 1000)::float8;
      END LOOP;
      RETURN out;
    END $f$`);
  const cpu0 = backendCpuMs(db.processID);
  const [{ ms }] = (await db.query(`SELECT pg_temp.bench_loop($1::text[], $2::real) AS ms`, [probes, threshold ?? 0])).rows;
  const cpu1 = backendCpuMs(db.processID);
  const cpu = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / probes.length).toFixed(3) : 'n/a';
  return { ...summary(ms.map(Number)), cpu };
}

/**
 * CPU time (user + system, ms) the server process of this connection has used so far, from
 * /proc when PostgreSQL runs on this machine; null otherwise. On a loaded machine wall-clock
 * figures include waiting for a core; CPU per query does not.
 */
function backendCpuMs(pid) {
  try {
    const fields = require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

async function main() {
  const { runMigrations, dropDatabase } = require('@zs/persistence');
  const dbName = `zs_bench_fc_${crypto.randomBytes(3).toString('hex')}`;
  const url = `${SERVER}/${dbName}`;
  await runMigrations(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    // As lead-intake does (SET LOCAL in its transaction): the index itself prunes at the threshold.
    await db.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, false)`, [String(THRESHOLD)]);
    const [{ id: unitId }] = (await db.query(`INSERT INTO units (name, kind) VALUES ('基准单位', 'county') RETURNING id`)).rows;
    const [{ id: memberId }] = (await db.query(`INSERT INTO members (name, unit_id, role) VALUES ('基准', $1, 'official') RETURNING id`, [unitId])).rows;
    // Bulk load: one INSERT ... SELECT generate_series per size, the names made in SQL exactly as
    // nameOf() makes them (md5 bytes index the pool). The trigram indexes are dropped for the load
    // and rebuilt from their own definitions (the migration's), as CREATE INDEX builds them faster
    // than a million inserts maintain them; the unique registry key stays, so duplicates are skipped.
    const trgm = (await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'leads' AND indexdef ILIKE '%gin_trgm_ops%'`)).rows;
    let have = 0;
    for (const size of SIZES.sort((a, b) => a - b)) {
      const t0 = Date.now();
      for (const ix of trgm) await db.query(`DROP INDEX IF EXISTS ${ix.indexname}`);
      await db.query(
        `INSERT INTO leads (code, company_name, normalized_name, credit_code, owner_unit_id, first_contact_unit_id, reporter_member_id,
                            source_platform, source_msg_id, completed_at)
         SELECT 'BM-2026-' || lpad(i::text, 7, '0'), nm, nm, NULL, $1, $1, $2, 'bench', 'bench-' || i, now()
         FROM generate_series($3::int, $4::int - 1) AS i,
              LATERAL (SELECT decode(md5(i::text), 'hex') AS h) AS x,
              LATERAL (SELECT string_agg(substr($5::text, get_byte(x.h, k) % $6 + 1, 1), '' ORDER BY k) || $7::text AS nm
                       FROM generate_series(0, 5) AS k) AS y
         ON CONFLICT DO NOTHING`,
        [unitId, memberId, have, size, pool.join(''), pool.length, SUFFIX],
      );
      for (const ix of trgm) await db.query(ix.indexdef);
      await db.query('ANALYZE leads');
      have = size;
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM leads')).rows;
      const loadS = ((Date.now() - t0) / 1000).toFixed(1);
      // Queries: half registered names (hits), half unseen names; the fuzzy ones change one character.
      const probes = Array.from({ length: QUERIES }, (_, k) => (k % 2 === 0 ? nameOf(Math.floor(Math.random() * size)) : nameOf(size + 1000000 + k)));
      const fuzzy = probes.map((p) => p.slice(0, 2) + pool[(pool.indexOf(p[2]) + 1) % pool.length] + p.slice(3));
      // Warm up the caches the way a running service has them.
      await timeQueries(db, 'warm', EXACT_SQL, probes.slice(0, 200).map((p) => [p, null]));
      await timeQueries(db, 'warm-near', NEAR_SQL, fuzzy.slice(0, 200).map((p) => [p, THRESHOLD]));
      // Round trip from this process (what lead-intake waits for), as named prepared statements.
      const exact = await timeQueries(db, 'exact', EXACT_SQL, probes.map((p) => [p, null]));
      if (process.env.BENCH_EXPLAIN) {
        for (const [sql, params] of [[EXACT_SQL, [probes[0], null]], [NEAR_SQL, [fuzzy[1], THRESHOLD]]]) {
          const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
        }
      }
      const near = await timeQueries(db, 'near', NEAR_SQL, fuzzy.map((p) => [p, THRESHOLD]));
      // The same statements timed inside the server (PL/pgSQL, cached plans): the query's own cost,
      // without the client's event loop and the scheduler of a shared machine in between.
      const inExact = await timeInServer(db, EXACT_SQL, probes, null);
      const inNear = await timeInServer(db, NEAR_SQL, fuzzy, THRESHOLD);
      const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
      console.log(
        `${n.toLocaleString('en')} companies (loaded in ${loadS} s; ${QUERIES} queries each; load average ${load} on ${os.cpus().length} cores)\n` +
          `  round trip:   exact p50 ${exact.p50} ms, p99 ${exact.p99} ms (max ${exact.max}), ${exact.hits} found; near match (pg_trgm >= ${THRESHOLD}) p50 ${near.p50} ms, p99 ${near.p99} ms (max ${near.max}), ${near.hits} found\n` +
          `  in server:    exact p50 ${inExact.p50} ms, p99 ${inExact.p99} ms (max ${inExact.max}); near match p50 ${inNear.p50} ms, p99 ${inNear.p99} ms (max ${inNear.max})\n` +
          `  server CPU per query (mean): exact ${inExact.cpu} ms, near match ${inNear.cpu} ms`,
      );
    }
  } finally {
    await db.end();
    await dropDatabase(url);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
