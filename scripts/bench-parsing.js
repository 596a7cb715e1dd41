#!/usr/bin/env node
// Benchmark (not a test): how long the domain's parsers take on hostile, very long input,
// the cases a regular expression with catastrophic backtracking would turn into minutes.
// The unit specs check what these inputs parse to; the time is printed here, on the built
// code, where a loaded machine cannot fail a test for the wrong reason.
//
//   npm run build && npm run bench:parsing          # BENCH_RUNS=20 by default
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const domain = require(path.join(ROOT, 'dist/libs/domain/src'));
const RUNS = Number(process.env.BENCH_RUNS || 20);

const cases = [
  ['normalizeCompanyName', 'nested qualifiers and suffixes', () => domain.normalizeCompanyName('星河（中国）'.repeat(5000) + '有限公司'.repeat(1000))],
  ['normalizeCompanyName', '50 000 dots', () => domain.normalizeCompanyName('a' + '.'.repeat(50000) + 'b')],
  ['normalizeCompanyName', '50 000 spaces', () => domain.normalizeCompanyName('a' + ' '.repeat(50000) + 'b')],
  ['normalizeCompanyName', '3000 English suffixes', () => domain.normalizeCompanyName('星河' + ' Co., Ltd.'.repeat(3000))],
  ['parseLeadFields', 'body over the cap (200 000 chars)', () => domain.parseLeadFields('企业：某某有限公司 行业：新材料 投资额：5亿元 内容：' + '很长'.repeat(100000))],
  ['parseLeadFields', 'worst case under the cap', () => domain.parseLeadFields('企业：'.repeat(Math.floor(domain.MAX_LEAD_BODY_CHARS / 3)))],
  ['parseChatCommand', '5000 mentions and 5000 labels', () => domain.parseChatCommand(`@a `.repeat(5000) + '报线索 ' + '企业：x '.repeat(5000))],
  ['parseAmount', '40-character figure', () => domain.parseAmount('1'.repeat(36) + '万元')],
];

const rows = [];
for (const [fn, what, run] of cases) {
  if (typeof domain[fn] !== 'function') {
    rows.push({ fn, what, note: 'not exported by this build' });
    continue;
  }
  run(); // warm-up
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rows.push({ fn, what, medianMs: +times[Math.floor(times.length / 2)].toFixed(2), maxMs: +times[times.length - 1].toFixed(2) });
}
console.log(`parsing on long input, ${RUNS} runs each:`);
for (const r of rows) {
  console.log(`  ${`${r.fn}: ${r.what}`.padEnd(64)} ${r.note ?? `median ${r.medianMs} ms, max ${r.maxMs} ms`}`);
}
