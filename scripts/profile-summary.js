#!/usr/bin/env node
// Summarises V8 .cpuprofile files (node --cpu-prof; `BENCH_CPU_PROF=dir npm run bench` writes one
// per process): self time by package (node_modules/<pkg>, our libs/apps, node: internals, GC,
// idle) and the top functions, so docs/performance.md can say where each core-millisecond went.
//
//   node scripts/profile-summary.js /tmp/prof/*.cpuprofile [--top 25]
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const TOP = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 20;

/** The bucket a call frame's self time is charged to. */
function bucketOf(frame) {
  const url = frame.url || '';
  if (!url) {
    if (frame.functionName === '(idle)') return '(idle)';
    if (frame.functionName === '(garbage collector)') return '(gc)';
    if (frame.functionName === '(program)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (m) return `${m[1]}/${m[2]}`;
  return path.basename(url);
}

function summarise(file) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the time before samples[i]: charge it to that sample's node.
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) || 0) + (prof.timeDeltas[i] || 0));
  const buckets = new Map();
  const fns = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const b = bucketOf(n.callFrame);
    if (b === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    buckets.set(b, (buckets.get(b) || 0) + us);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${b}${n.callFrame.url && !n.callFrame.url.includes('node_modules') ? `:${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) || 0) + us);
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  const pc = (us) => ((100 * us) / total).toFixed(1).padStart(5);
  const wall = (prof.endTime - prof.startTime) / 1e6;
  console.log(`\n== ${path.basename(file)}: ${(total / 1000).toFixed(0)} ms on CPU, ${(idle / 1000).toFixed(0)} ms idle, over ${wall.toFixed(1)} s`);
  console.log('  by package (self time):');
  for (const [b, us] of [...buckets].sort((a, c) => c[1] - a[1]).slice(0, TOP)) console.log(`    ${ms(us)} ms ${pc(us)}%  ${b}`);
  console.log('  top functions (self time):');
  for (const [f, us] of [...fns].sort((a, c) => c[1] - a[1]).slice(0, TOP)) console.log(`    ${ms(us)} ms ${pc(us)}%  ${f}`);
}

if (args.length === 0) {
  console.error('usage: node scripts/profile-summary.js <file.cpuprofile>... [--top N]');
  process.exit(2);
}
for (const f of args) summarise(f);
