#!/usr/bin/env node
// `npm test`: every test. Builds (the end-to-end tests run the built services), makes
// sure PostgreSQL, Redis and NATS answer (starting local ones if needed), then runs Jest.
const path = require('path');
const fs = require('fs');
const { execSync, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) {
    execSync('npm ci --no-audit --no-fund', { cwd: ROOT, stdio: 'inherit' });
  }
  // Import boundaries first: a few seconds, and a violation needs no engine to show.
  execSync('npx eslint .', { cwd: ROOT, stdio: 'inherit' });
  execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
  await require('./lib/infra').ensureInfra();
  const args = ['jest', '--runInBand', ...process.argv.slice(2)];
  const r = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
