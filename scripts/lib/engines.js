// The engine set-up step of `npm start`: PostgreSQL, Redis and NATS answer (started, or installed
// first where missing), and PostgreSQL lets the system in (a role of its own on a stock server).
// Sets env.DATABASE_URL to the URL the system is to use from here on.
const { ensureInfra } = require('./infra');
const { ensurePostgresAccess } = require('./postgres-access');

async function prepareEngines(env, log = console.log) {
  await ensureInfra(env, log);
  env.DATABASE_URL = await ensurePostgresAccess(env, { log });
  return env;
}

module.exports = { prepareEngines };

// `node scripts/lib/engines.js`: the set-up alone (no build, no services), e.g. to check a server.
if (require.main === module) {
  prepareEngines({ ...process.env })
    .then(() => console.log('engines ready'))
    .catch((e) => {
      console.error(e.message);
      process.exit(1);
    });
}
