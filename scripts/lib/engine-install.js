// Installs the engines `npm start` needs (PostgreSQL, Redis, nats-server) when they are missing.
// On Debian and Ubuntu it uses apt-get, as root or through sudo, saying each step; elsewhere it
// says exactly what to run. Planning is pure (unit-tested); running is a thin layer over it.
//
// INSTALL_ENGINES=auto   (default) install what is missing
// INSTALL_ENGINES=plan   print the plan and let apt-get simulate it (`apt-get -s`), change nothing
// INSTALL_ENGINES=never  only print what to install
const fs = require('fs');
const { spawnSync } = require('child_process');

/** Engine key → Debian/Ubuntu package. */
const APT_PACKAGES = { postgresql: 'postgresql', redis: 'redis-server', nats: 'nats-server' };
/** Engine key → Homebrew formula (macOS). */
const BREW_FORMULAE = { postgresql: 'postgresql@16', redis: 'redis', nats: 'nats-server' };
const ENGINE_NAMES = { postgresql: 'PostgreSQL', redis: 'Redis', nats: 'nats-server' };
const MODES = ['auto', 'plan', 'never'];

/** /etc/os-release as { id, idLike: string[], prettyName }. */
function parseOsRelease(text) {
  const kv = {};
  for (const line of String(text || '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) kv[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return { id: (kv.ID || '').toLowerCase(), idLike: (kv.ID_LIKE || '').toLowerCase().split(/\s+/).filter(Boolean), prettyName: kv.PRETTY_NAME || '' };
}

function whichSync(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin} || ls /usr/sbin/${bin} /usr/local/sbin/${bin} 2>/dev/null`], { encoding: 'utf8' });
  return (r.stdout || '').split('\n').find((l) => l.startsWith('/')) || null;
}

/** What the planner needs to know about this machine. */
function hostFacts() {
  let os = { id: '', idLike: [], prettyName: '' };
  try {
    os = parseOsRelease(fs.readFileSync('/etc/os-release', 'utf8'));
  } catch {
    /* not Linux, or a minimal image */
  }
  return {
    platform: process.platform,
    os,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasSudo: whichSync('sudo') !== null,
    hasAptGet: whichSync('apt-get') !== null,
    hasBrew: whichSync('brew') !== null,
    interactive: Boolean(process.stdin.isTTY),
  };
}

const isDebianLike = (os) => ['debian', 'ubuntu'].includes(os.id) || os.idLike.some((x) => x === 'debian' || x === 'ubuntu');

/**
 * The plan for installing `missing` engines (keys of APT_PACKAGES) on a machine described by `facts`:
 * - { kind: 'apt', packages, commands: string[][], env } where commands run in order;
 * - { kind: 'manual', lines: string[] } when this program cannot (or may not) install them itself;
 * - { kind: 'none' } when nothing is missing.
 */
function planInstall(missing, facts) {
  const keys = [...new Set(missing)].filter((k) => k in APT_PACKAGES);
  if (!keys.length) return { kind: 'none' };
  const names = keys.map((k) => ENGINE_NAMES[k]).join(', ');
  const aptPackages = keys.map((k) => APT_PACKAGES[k]);
  const aptLine = `apt-get install -y ${aptPackages.join(' ')}`;

  if (facts.platform === 'linux' && isDebianLike(facts.os) && facts.hasAptGet) {
    // sudo -n never waits for a password that nobody is there to type (CI, no terminal).
    const prefix = facts.isRoot ? [] : facts.hasSudo ? (facts.interactive ? ['sudo'] : ['sudo', '-n']) : null;
    if (prefix) {
      return {
        kind: 'apt',
        packages: aptPackages,
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        commands: [
          [...prefix, 'apt-get', 'update'],
          [...prefix, 'apt-get', 'install', '-y', '--no-install-recommends', ...aptPackages],
        ],
      };
    }
    return {
      kind: 'manual',
      lines: [
        `${names} missing; installing needs root and sudo is not available. As root run:`,
        `  apt-get update && ${aptLine}`,
        'then run npm start again (or point the URLs at servers that already run: see README, "Existing servers").',
      ],
    };
  }
  if (facts.platform === 'darwin') {
    const formulae = keys.map((k) => BREW_FORMULAE[k]);
    return {
      kind: 'manual',
      lines: [
        `${names} missing. With Homebrew${facts.hasBrew ? '' : ' (https://brew.sh)'} run:`,
        `  brew install ${formulae.join(' ')}`,
        ...(keys.includes('postgresql') ? [`  brew services start ${BREW_FORMULAE.postgresql}`] : []),
        'then run npm start again.',
      ],
    };
  }
  if (facts.platform === 'win32') {
    return {
      kind: 'manual',
      lines: [
        `${names} missing. On Windows run the project inside WSL (Ubuntu), where npm start installs them,`,
        'or install them yourself and set DATABASE_URL, REDIS_URL and NATS_URL (see README, "Existing servers").',
      ],
    };
  }
  const distro = facts.os.prettyName || facts.platform;
  return {
    kind: 'manual',
    lines: [
      `${names} missing, and ${distro} is not Debian or Ubuntu, so npm start does not install them itself.`,
      `Install with your package manager (Fedora/RHEL: dnf install postgresql-server redis; Alpine: apk add postgresql redis nats-server),`,
      ...(keys.includes('nats') ? ['nats-server: a release binary from the NATS project, or its container image nats:2 with -js;'] : []),
      'or point DATABASE_URL, REDIS_URL and NATS_URL at servers that already run (see README, "Existing servers").',
    ],
  };
}

/** The read-only rehearsal of an apt plan: `apt-get -s install …` needs no root and changes nothing. */
function simulationOf(plan) {
  return ['apt-get', '-s', 'install', '--no-install-recommends', ...plan.packages];
}

const show = (argv) => argv.join(' ');

/**
 * Carries out (mode auto), rehearses (mode plan) or only describes (mode never) the plan for `missing`.
 * Returns { installed: boolean, plan }. Throws when an install command fails, naming it.
 * `exec(argv, env)` runs one command with inherited stdio and returns its exit status.
 */
function installEngines(missing, { mode = process.env.INSTALL_ENGINES || 'auto', facts = hostFacts(), log = console.log, exec = defaultExec } = {}) {
  if (!MODES.includes(mode)) throw new Error(`INSTALL_ENGINES must be one of ${MODES.join(', ')}`);
  const plan = planInstall(missing, facts);
  if (plan.kind === 'none') return { installed: false, plan };
  if (plan.kind === 'manual') {
    for (const l of plan.lines) log(`  ${l}`);
    return { installed: false, plan };
  }
  const names = missing.map((k) => ENGINE_NAMES[k]).join(', ');
  if (mode === 'never') {
    log(`  ${names} missing. INSTALL_ENGINES=never, so install them yourself:`);
    for (const c of plan.commands) log(`    ${show(c)}`);
    return { installed: false, plan };
  }
  if (mode === 'plan') {
    log(`  ${names} missing. INSTALL_ENGINES=plan: npm start would run`);
    for (const c of plan.commands) log(`    ${show(c)}`);
    log(`  apt-get's rehearsal (${show(simulationOf(plan))}), nothing is changed:`);
    exec(simulationOf(plan), plan.env);
    return { installed: false, plan };
  }
  log(`  ${names} missing: installing with apt-get (${plan.packages.join(', ')})`);
  for (const c of plan.commands) {
    log(`  $ ${show(c)}`);
    const status = exec(c, plan.env);
    if (status !== 0) throw new Error(`\`${show(c)}\` failed (exit ${status}); run it yourself to see why, then npm start again`);
  }
  return { installed: true, plan };
}

function defaultExec(argv, env) {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

module.exports = { planInstall, installEngines, hostFacts, parseOsRelease, simulationOf, APT_PACKAGES, MODES };
