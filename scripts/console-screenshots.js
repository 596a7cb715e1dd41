#!/usr/bin/env node
// Screenshots of the console's main pages into docs/console/: runs the console's end-to-end test
// (real services, real headless Chromium) with CONSOLE_SCREENSHOTS set, after building.
const path = require('path');
const { execSync, spawnSync } = require('child_process');
const ROOT = path.resolve(__dirname, '..');
execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
const out = path.join(ROOT, 'docs', 'console');
const r = spawnSync('npx', ['jest', '--selectProjects', 'integration', '--runInBand', '--testPathPattern', 'e2e/console.test'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, CONSOLE_SCREENSHOTS: out },
});
if (r.status === 0) console.log(`screenshots written to ${path.relative(ROOT, out)}/`);
process.exit(r.status ?? 1);
