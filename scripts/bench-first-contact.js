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

function nameOf(i) {
  const h = crypto.createHash('md5').update(String(i)).digest();
  let s = '';
  for (let k = 0; k < 6; k++) s += pool[h[k] % pool.length];
  return `${s}${process.env.BENCH_SUFFIX ?? "科技"}`;
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeQueries(db, sql, params) {
  const ms = [];
  for (const p of params) {
    const t = process.hrtime.bigint();
    await db.query(sql, p);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50).toFixed(2), p99: pct(ms, 99).toFixed(2), max: ms[ms.length - 1].toFixed(2) };
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
    let have = 0;
    for (const size of SIZES.sort((a, b) => a - b)) {
      const t0 = Date.now();
      for (let from = have; from < size; from += 20000) {
        const to = Math.min(size, from + 20000);
        const names = [];
        for (let i = from; i < to; i++) names.push(nameOf(i));
        await db.query(
          `INSERT INTO leads (code, company_name, normalized_name, credit_code, owner_unit_id, first_contact_unit_id, reporter_member_id,
                              source_platform, source_msg_id, completed_at)
           SELECT 'BM-2026-' || lpad((($3::int) + n)::text, 7, '0'), x, x, NULL, $1, $1, $2, 'bench', 'bench-' || (($3::int) + n), now()
           FROM unnest($4::text[]) WITH ORDINALITY AS t(x, n)
           ON CONFLICT DO NOTHING`,
          [unitId, memberId, from, names],
        );
      }
      await db.query('ANALYZE leads');
      have = size;
      const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM leads')).rows;
      const loadS = ((Date.now() - t0) / 1000).toFixed(1);
      // Queries: half registered names (hits), half unseen names; the fuzzy ones change one character.
      const probes = Array.from({ length: QUERIES }, (_, k) => (k % 2 === 0 ? nameOf(Math.floor(Math.random() * size)) : nameOf(size + 1000000 + k)));
      const fuzzy = probes.map((p) => p.slice(0, 2) + pool[(pool.indexOf(p[2]) + 1) % pool.length] + p.slice(3));
      // Warm up the caches the way a running service has them.
      await timeQueries(db, `SELECT id FROM leads WHERE lapsed_at IS NULL AND normalized_name = $1 LIMIT 1`, probes.slice(0, 200).map((p) => [p]));
      const exact = await timeQueries(
        db,
        `SELECT l.id FROM leads l WHERE l.lapsed_at IS NULL AND (l.normalized_name = $1 OR ($2::text IS NOT NULL AND l.credit_code = $2)) ORDER BY l.registered_at LIMIT 1`,
        probes.map((p) => [p, null]),
      );
      if (process.env.BENCH_EXPLAIN) {
        const plan = await db.query(
          `EXPLAIN ANALYZE SELECT l.id FROM leads l WHERE l.lapsed_at IS NULL AND l.normalized_name % $1 AND l.normalized_name <> $1 AND similarity(l.normalized_name, $1) >= $2 ORDER BY similarity(l.normalized_name, $1) DESC, l.id LIMIT 1`,
          [fuzzy[1], THRESHOLD],
        );
        console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
      const near = await timeQueries(
        db,
        `SELECT l.id, similarity(l.normalized_name, $1) FROM leads l
         WHERE l.lapsed_at IS NULL AND l.normalized_name % $1 AND l.normalized_name <> $1 AND similarity(l.normalized_name, $1) >= $2
         ORDER BY similarity(l.normalized_name, $1) DESC, l.id LIMIT 1`,
        fuzzy.map((p) => [p, THRESHOLD]),
      );
      console.log(
        `${n.toLocaleString('en')} companies (loaded in ${loadS} s): exact p50 ${exact.p50} ms, p99 ${exact.p99} ms (max ${exact.max}); ` +
          `near match (pg_trgm ≥ ${THRESHOLD}) p50 ${near.p50} ms, p99 ${near.p99} ms (max ${near.max}); ${QUERIES} queries each`,
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
