#!/usr/bin/env node
// How long a test file waits for its database: running every migration on a new database versus
// copying the migrated template (CREATE DATABASE ... TEMPLATE zs_template_<hash>). Prints figures,
// no pass/fail. Needs a build (npx tsc -p tsconfig.build.json) and PostgreSQL at DATABASE_URL's
// server. Usage: node scripts/bench-template-db.js [rounds=5]
require('./paths');
const crypto = require('crypto');
const { runMigrations, createDatabaseFromTemplate, dropDatabase } = require('@zs/persistence');

const ROUNDS = Number(process.argv[2] || 5);
const SERVER = (process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/zhaoshang').replace(/\/[^/]*$/, '');
const url = () => `${SERVER}/zs_test_tb${crypto.randomBytes(4).toString('hex')}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function main() {
  const made = [];
  const first = url();
  made.push(first);
  let built = false;
  const firstMs = await timed(async () => ({ built } = await createDatabaseFromTemplate(first)));
  const migrate = [];
  const clone = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = url();
    const b = url();
    made.push(a, b);
    migrate.push(await timed(() => runMigrations(a)));
    clone.push(await timed(() => createDatabaseFromTemplate(b)));
  }
  for (const u of made) await dropDatabase(u);
  console.log(`first clone: ${firstMs.toFixed(0)} ms (${built ? 'built the template' : 'template existed'})`);
  console.log(`migrations on a new database: median ${median(migrate).toFixed(0)} ms over ${ROUNDS}`);
  console.log(`copy of the template:          median ${median(clone).toFixed(0)} ms over ${ROUNDS}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
