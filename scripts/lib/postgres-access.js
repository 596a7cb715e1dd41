// PostgreSQL access for `npm start` on a server set up the way its distribution ships it:
// peer authentication on the Unix socket, scram-sha-256 over TCP, so DATABASE_URL's user
// (by default `postgres`, without a password) is refused.
//
// When the server is local and refuses the login for authentication, this creates a login role
// and a database of its own through the local superuser: psql on the Unix socket as the
// `postgres` system user (runuser when root, sudo otherwise), the way Debian's and Ubuntu's
// administrators do it. The role gets a generated password, sent to the server only as a SCRAM
// verifier, and owns its database and nothing else. The URL with that password is kept in
// .run/postgres.env (mode 0600, gitignored) and used from then on. The server's authentication
// rules (pg_hba.conf) are never changed and the superuser never signs in over TCP.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { Client } = require('pg');
const { scramSha256Verifier } = require('./scram-verifier');

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/zhaoshang';
const RUN_DIR = path.resolve(__dirname, '..', '..', '.run');
const SAVED_FILE = path.join(RUN_DIR, 'postgres.env');

const isLocalHost = (h) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(h);

/** What a failed login means: 'auth' (refused for who we are), 'no-database', 'unreachable' or 'other'. */
function classifyLoginError(err) {
  const code = err && err.code;
  const msg = String((err && err.message) || err);
  if (code === '28P01' || code === '28000') return 'auth';
  // node-postgres refuses a SCRAM or password challenge itself when the URL has no password.
  if (/SASL|SCRAM|client password must be a string|password authentication failed|no PostgreSQL user name/i.test(msg)) return 'auth';
  if (code === '3D000') return 'no-database';
  if (['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(code) || /timeout/i.test(msg)) return 'unreachable';
  return 'other';
}

/** Signs in once with `url`: { ok: true } or { ok: false, kind, message }. */
async function tryLogin(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A refused SCRAM exchange can surface as an 'error' event as well as the rejected promise.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (e) {
    return { ok: false, kind: classifyLoginError(e), message: String(e && e.message ? e.message : e) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Role and database names: the database named in the URL, for both. */
function namesFor(url) {
  const db = decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'zhaoshang';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(db)) {
    throw new Error(`the database name in DATABASE_URL must be lower-case letters, digits and _ (got "${db}")`);
  }
  return { role: db, db };
}

/** `configured` with the role and password set up here in place of its user. */
function appRoleUrl(configured, role, password) {
  const u = new URL(configured);
  u.username = role;
  u.password = password;
  return u.toString();
}

const serverKey = (url) => {
  const u = new URL(url);
  const host = isLocalHost(u.hostname) ? 'local' : u.hostname;
  return `${host}:${u.port || 5432}${u.pathname}`;
};

function readSavedUrl(file = SAVED_FILE) {
  if (!fs.existsSync(file)) return null;
  const m = /^DATABASE_URL=(.+)$/m.exec(fs.readFileSync(file, 'utf8'));
  return m ? m[1].trim() : null;
}

function saveUrl(url, file = SAVED_FILE) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = `# Written by npm start: the PostgreSQL role it created for this checkout. Never commit.\nDATABASE_URL=${url}\n`;
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // an existing file keeps its mode on write
}

/**
 * How to run psql as the `postgres` system user, so that peer authentication lets it in as the
 * superuser on the Unix socket; null when this process has no way to become that user.
 */
function peerPsqlCommand({ isRoot, user, hasRunuser, hasSudo, interactive }) {
  if (user === 'postgres') return ['psql'];
  if (isRoot && hasRunuser) return ['runuser', '-u', 'postgres', '--', 'psql'];
  if (hasSudo) return ['sudo', ...(interactive ? [] : ['-n']), '-u', 'postgres', 'psql'];
  return null;
}

/**
 * The superuser's script (psql variables role, db and verifier). Idempotent: a role or database
 * that exists is kept; the role's password is reset, because the only copy lives in .run/.
 * The role can log in and owns its database: no superuser, no CREATEDB, no CREATEROLE.
 */
const PROVISION_SQL = `
SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'verifier';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db')
  FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
  WHERE d.datname = :'db' AND r.rolname = :'role' \\gexec
`;

const redactVerifier = (s) => String(s).replace(/SCRAM-SHA-256\$[^\s'"]+/g, 'SCRAM-SHA-256$…');

/** Runs PROVISION_SQL as the local superuser on the Unix socket of the cluster at `port`. */
function provisionRole({ port, role, db, password, psqlCommand, run = spawnSync }) {
  const verifier = scramSha256Verifier(password);
  const argv = [...psqlCommand, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-p', String(port), '-d', 'postgres', '-v', `role=${role}`, '-v', `db=${db}`];
  // The verifier goes through stdin, never the command line (visible to every user in ps).
  const input = `\\set verifier '${verifier}'\n${PROVISION_SQL}`;
  // cwd /: the postgres user may not be allowed into this checkout, and psql says so otherwise.
  const r = run(argv[0], argv.slice(1), { input, cwd: '/', encoding: 'utf8', timeout: 60000 });
  if (r.error) throw new Error(`could not run ${argv[0]}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`creating the role through the local superuser failed: ${redactVerifier((r.stderr || '').trim()) || `exit ${r.status}`}`);
}

function localFacts() {
  const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0;
  let user = '';
  try {
    user = require('os').userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    user,
    hasRunuser: has('runuser'),
    hasSudo: has('sudo'),
    interactive: Boolean(process.stdin.isTTY),
    hasPsql: has('psql'),
    hasPostgresUser: spawnSync('id', ['-u', 'postgres']).status === 0,
  };
}

const where = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
};

/**
 * The DATABASE_URL the system should use: the configured one when it signs in; otherwise, on a
 * local server that refuses it for authentication, the role set up here (earlier, or now).
 */
async function ensurePostgresAccess(env = process.env, { log = console.log, facts, savedFile = SAVED_FILE } = {}) {
  const configured = env.DATABASE_URL || DEFAULT_URL;
  const target = new URL(configured);
  const saved = readSavedUrl(savedFile);
  const fromRoot = path.relative(path.resolve(__dirname, '..', '..'), savedFile);
  const rel = fromRoot.startsWith('..') ? savedFile : fromRoot;

  // A URL that carries a password is the administrator's choice; otherwise what was set up before.
  if (saved && !target.password && serverKey(saved) === serverKey(configured)) {
    const r = await tryLogin(saved);
    if (r.ok) {
      log(`✓ PostgreSQL: signing in as "${new URL(saved).username}" (set up by an earlier start, ${rel})`);
      return saved;
    }
    log(`… the role in ${rel} was refused (${r.message}); setting it up again`);
  }

  const first = await tryLogin(configured);
  if (first.ok || first.kind === 'no-database') return configured; // the migration creates the database
  const user = decodeURIComponent(target.username) || '(none)';
  if (first.kind !== 'auth') throw new Error(`PostgreSQL at ${where(configured)}: ${first.message}`);
  if (!isLocalHost(target.hostname)) {
    throw new Error(`PostgreSQL at ${where(configured)} refused user "${user}": ${first.message}. Put a user and password it accepts in DATABASE_URL.`);
  }

  const f = facts || localFacts();
  const psqlCommand = peerPsqlCommand(f);
  const { role, db } = namesFor(configured);
  const manual = `As the postgres system user run psql -p ${target.port || 5432} and: CREATE ROLE ${role} LOGIN PASSWORD '…'; CREATE DATABASE ${db} OWNER ${role}; then set DATABASE_URL=postgres://${role}:…@${where(configured)}/${db}`;
  if (!f.hasPsql || !f.hasPostgresUser || !psqlCommand) {
    throw new Error(`PostgreSQL at ${where(configured)} refused user "${user}" (${first.message}), and this process cannot act as the local postgres superuser (needs psql, the postgres system user, and root or sudo). ${manual}`);
  }
  log(`… PostgreSQL at ${where(configured)} refused user "${user}" (${first.message})`);
  log(`  creating login role "${role}" and database "${db}" through the local superuser (${psqlCommand.slice(0, -1).join(' ') || 'as postgres'} psql, peer authentication on the Unix socket)`);
  const password = crypto.randomBytes(24).toString('base64url').replace(/[^A-Za-z0-9]/g, '') + crypto.randomBytes(4).toString('hex');
  provisionRole({ port: target.port || 5432, role, db, password, psqlCommand });
  const url = appRoleUrl(configured, role, password);
  const check = await tryLogin(url);
  if (!check.ok) throw new Error(`the new role "${role}" cannot sign in at ${where(configured)} either (${check.message}); the server's pg_hba.conf may not allow password logins from ${target.hostname}. ${manual}`);
  await assertOwnsDatabase(url, role, db);
  saveUrl(url, savedFile);
  log(`✓ PostgreSQL role "${role}" owns database "${db}"; its password is in ${rel} (never committed) and used from now on`);
  return url;
}

/** A database that already existed under another owner is not taken over: say so instead. */
async function assertOwnsDatabase(url, role, db) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const r = await client.query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()');
    const owner = r.rows[0] && r.rows[0].owner;
    if (owner !== role) {
      throw new Error(`database "${db}" already exists and belongs to "${owner}", not "${role}"; name another database in DATABASE_URL, or give it to "${role}" (ALTER DATABASE ${db} OWNER TO ${role}) if it is this system's`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = {
  ensurePostgresAccess,
  classifyLoginError,
  peerPsqlCommand,
  appRoleUrl,
  namesFor,
  readSavedUrl,
  saveUrl,
  tryLogin,
  PROVISION_SQL,
  SAVED_FILE,
};
