#!/usr/bin/env node
// Benchmark (not a test): the time to rank one quarter for 200 units over 1,000,000 project
// records. Builds a throwaway database (migrations, the Yiyang profile's units plus generated
// counties up to BENCH_UNITS ranked units, BENCH_LEADS rows in scoring's ledger read model spread
// over 2020–2026, annual targets and Q1 results for every unit), then runs scoring's own ranking
// computation (directory read, targets, results, the ledger aggregate, the pure engine) in process
// and prints each run and the median. Needs `npm run build` first. BENCH_SPREAD_DAYS=60 puts every
// record into the ranked quarter (registered Dec 2025–Jan 2026, signed a month later): the worst case.
//
//   npm run bench:scoring
//   BENCH_UNITS=200 BENCH_LEADS=1000000 BENCH_RUNS=5 npm run bench:scoring
//   BENCH_SPREAD_DAYS=60 npm run bench:scoring     # all 1,000,000 records in 2026-Q1
require('./paths');
const crypto = require('crypto');
const pino = require('pino');

const UNITS = Number(process.env.BENCH_UNITS || 200);
const LEADS = Number(process.env.BENCH_LEADS || 1000000);
const RUNS = Number(process.env.BENCH_RUNS || 5);
// Registration dates spread from 2020-01-01 over this many days; 60 puts every record in the ranked quarter (worst case).
const SPREAD_DAYS = Number(process.env.BENCH_SPREAD_DAYS || 2300);
const BASE = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang';

async function main() {
  const { runMigrations, createDataSource, seedCity, dropDatabase } = require('@zs/persistence');
  const { loadProfile, parsePeriod } = require('@zs/domain');
  const { DirectoryReader } = require('../dist/apps/scoring/src/directory/directory.reader');
  const { FiguresService } = require('../dist/apps/scoring/src/figures/figures.service');
  const { LeadReadModel } = require('../dist/apps/scoring/src/read-model/lead-read-model');
  const { RankingService } = require('../dist/apps/scoring/src/rankings/ranking.service');

  const url = new URL(BASE);
  url.pathname = `/zs_bench_scoring_${crypto.randomBytes(3).toString('hex')}`;
  const databaseUrl = url.toString();
  await runMigrations(databaseUrl);
  const ds = createDataSource(databaseUrl, 'bench-scoring', 4);
  await ds.initialize();
  try {
    const profile = loadProfile('yiyang');
    await seedCity(ds, 'yiyang', false);
    const existing = (await ds.query(`SELECT count(*)::int AS n FROM units WHERE ranked`))[0].n;
    const extra = Math.max(0, UNITS - existing);
    await ds.query(`INSERT INTO units (name, kind, ranked) SELECT '基准县' || g, 'county', true FROM generate_series(1, $1) g`, [extra]);
    const ranked = await ds.query(`SELECT id::text AS id, kind FROM units WHERE ranked ORDER BY id`);
    const ids = ranked.map((u) => u.id);
    console.log(`units ranked: ${ids.length}; generating ${LEADS.toLocaleString()} project records…`);

    const t0 = performance.now();
    await ds.query(`SELECT setseed(0.42)`);
    // Stages: a quarter of the projects signed, of those 60 % started, of those half producing; 3 % terminated.
    await ds.query(
      `INSERT INTO scoring_leads (lead_id, code, owner_unit_id, first_contact_unit_id, tier, stage, planned_amount_wan, signed_amount_wan,
                                  capital_in_place_wan, signed_at, started_at, producing_at, terminated_at, registered_at, version)
       SELECT g::text, 'B-' || g, u.id, u.id, t.tier, 'lead', a.amt, CASE WHEN s.signed THEN a.amt END, CASE WHEN s.signed THEN a.amt * random() END,
              CASE WHEN s.signed THEN d.reg + interval '30 days' END,
              CASE WHEN s.started THEN d.reg + interval '90 days' END,
              CASE WHEN s.producing THEN d.reg + interval '200 days' END,
              CASE WHEN random() < 0.03 THEN d.reg + interval '120 days' END,
              d.reg, 1
       FROM generate_series(1, $1) g
       CROSS JOIN LATERAL (SELECT ($2::bigint[])[1 + floor(random() * $3)::int] AS id) u
       CROSS JOIN LATERAL (SELECT round((100 + random() * random() * 200000)::numeric, 2) AS amt) a
       CROSS JOIN LATERAL (SELECT CASE WHEN a.amt >= 50000 THEN 'major' WHEN a.amt >= 5000 THEN 'key' ELSE 'general' END AS tier) t
       CROSS JOIN LATERAL (SELECT CASE WHEN $4::int < 2000 THEN timestamptz '2025-12-01' ELSE timestamptz '2020-01-01' END + random() * ($4::int * interval '1 day') AS reg) d
       CROSS JOIN LATERAL (SELECT random() AS r) x
       CROSS JOIN LATERAL (SELECT x.r < 0.25 AS signed, x.r < 0.15 AS started, x.r < 0.075 AS producing) s`,
      [LEADS, `{${ids.join(',')}}`, ids.length, SPREAD_DAYS],
    );
    await ds.query(`ANALYZE scoring_leads`);
    console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const reported = profile.indicators.filter((i) => !i.computed && profile.scoring.weights[i.key]);
    const scored = profile.indicators.filter((i) => profile.scoring.weights[i.key]);
    for (const u of ranked) {
      for (const ind of scored.filter((i) => i.appliesTo.includes(u.kind))) {
        await ds.query(`INSERT INTO scoring_targets (year, unit_id, indicator, value) VALUES (2026, $1, $2, $3)`, [u.id, ind.key, 100 + Math.floor(Math.random() * 1000)]);
      }
      for (const ind of reported.filter((i) => i.appliesTo.includes(u.kind))) {
        await ds.query(`INSERT INTO scoring_actuals (period, unit_id, indicator, value) VALUES ('2026-Q1', $1, $2, $3)`, [u.id, ind.key, Math.floor(Math.random() * 400)]);
      }
    }

    const logger = pino({ level: 'silent' });
    const directory = new DirectoryReader(ds, profile);
    const figures = new FiguresService(ds, directory, profile);
    const leads = new LeadReadModel(ds, profile);
    // Computing a ranking needs no notices or bus; publishing is measured by the e2e tests' behaviour, not here.
    const rankings = new RankingService(ds, directory, figures, leads, null, null, null, profile, null, logger);
    const period = parsePeriod('2026-Q1');
    const times = [];
    let groups;
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      groups = await rankings.compute(period);
      times.push(performance.now() - s);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const rows = groups.reduce((n, g) => n + g.rows.filter((r) => r.rank !== null).length, 0);
    console.log(`ranked ${rows} units in ${groups.length} groups over ${LEADS.toLocaleString()} project records, quarter 2026-Q1`);
    console.log(`runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, best ${sorted[0].toFixed(0)} ms (goal ≤ 1000 ms)`);
  } finally {
    await ds.destroy();
    await dropDatabase(databaseUrl).catch(() => undefined);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
