#!/usr/bin/env node
// `npm run mutation [-- file.ts ...]`: mutation testing of libs/domain with StrykerJS and its
// Jest runner (stryker.config.json, jest.mutation.config.js). Not part of `npm test`: it runs
// the domain specs once per mutant and takes minutes.
//
// One Stryker run per source file, so a run can be scoped (name the files) and each file gets
// its own score; prints a table of scores at the end and writes reports/mutation/<file>.json.
// Exits 1 when a file scores below MUTATION_MIN (default 85 %, the target for the parsing,
// first-contact, tier and scoring code), so CI can hold the line when it chooses to run it.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const DOMAIN = 'libs/domain/src';
const MIN = Number(process.env.MUTATION_MIN ?? 85);
// A mutant that loops forever costs the whole timeout; on a file with many of them (free-text.ts)
// a shorter one (e.g. MUTATION_TIMEOUT_MS=3000, still twice the specs' own time) saves minutes.
const TIMEOUT_MS = process.env.MUTATION_TIMEOUT_MS ? Number(process.env.MUTATION_TIMEOUT_MS) : undefined;

function domainSources(dir = DOMAIN) {
  const out = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...domainSources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && e.name !== 'index.ts') out.push(rel);
  }
  return out.sort();
}

function score(report) {
  let killed = 0;
  let survived = 0;
  let noCoverage = 0;
  let timeout = 0;
  let ignored = 0;
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) {
      if (m.status === 'Killed') killed++;
      else if (m.status === 'Timeout') timeout++;
      else if (m.status === 'Survived') survived++;
      else if (m.status === 'NoCoverage') noCoverage++;
      else if (m.status === 'Ignored') ignored++;
    }
  }
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return { killed, timeout, survived, noCoverage, ignored, score: valid ? (100 * detected) / valid : 100 };
}

// Data tables are not logic: company-name.ts's lists of provinces, cities, regions and countries
// would add several hundred string mutants, each needing a fresh module load, for no insight.
// A file named alone is mutated from the first line matching its marker (found in the file, so
// the scope follows edits above it); "file.ts:from-to" is passed to Stryker as is.
const SCOPE_MARKERS = { 'libs/domain/src/lead/company-name.ts': /^const OTHER_QUALIFIERS\b/ };
function scoped(file) {
  const marker = SCOPE_MARKERS[file];
  if (!marker) return file;
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const from = lines.findIndex((l) => marker.test(l)) + 1;
  if (from === 0) throw new Error(`${file}: scope marker ${marker} not found`);
  return `${file}:${from}-${lines.length}`;
}
const files = (process.argv.slice(2).length ? process.argv.slice(2) : domainSources()).map(scoped);
const outDir = path.join(ROOT, 'reports', 'mutation');
fs.mkdirSync(outDir, { recursive: true });
const rows = [];
const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'));
for (const file of files) {
  const name = path.basename(file.replace(/:.*$/, ''), '.ts');
  const json = path.join(outDir, `${name}.json`);
  // A config per file (own report, own sandbox), so runs for different files can go in parallel.
  const config = path.join(outDir, `${name}.stryker.json`);
  const tempDirName = `.stryker-tmp/${name}`;
  fs.writeFileSync(config, JSON.stringify({ ...base, $schema: undefined, ...(TIMEOUT_MS ? { timeoutMS: TIMEOUT_MS } : {}), mutate: [file], tempDirName, jsonReporter: { fileName: path.relative(ROOT, json) } }, null, 2));
  console.log(`\n=== mutation testing ${file} ===`);
  fs.rmSync(json, { force: true });
  const r = spawnSync('npx', ['stryker', 'run', path.relative(ROOT, config)], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(json)) {
    rows.push({ file, error: `stryker exited with ${r.status} (a file no spec imports has no tests to run; see the output above)` });
    continue;
  }
  rows.push({ file, ...score(JSON.parse(fs.readFileSync(json, 'utf8'))) });
}

console.log('\nmutation score per file (killed + timeout) / (all but excluded and compile errors):');
for (const row of rows) {
  if (row.error) console.log(`  ${row.file.padEnd(44)} ERROR ${row.error}`);
  else
    console.log(
      `  ${row.file.padEnd(44)} ${row.score.toFixed(2).padStart(6)} %  killed ${row.killed}, timeout ${row.timeout}, survived ${row.survived}, no coverage ${row.noCoverage}, excluded as equivalent ${row.ignored}`,
    );
}
const low = rows.filter((r) => r.error || r.score < MIN);
if (low.length) {
  console.log(`\nbelow ${MIN} %: ${low.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
