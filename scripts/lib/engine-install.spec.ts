// eslint-disable-next-line @typescript-eslint/no-require-imports
const { planInstall, installEngines, parseOsRelease, simulationOf } = require('./engine-install');

const DEBIAN = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
const UBUNTU = parseOsRelease('PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\n');
const MINT = parseOsRelease('PRETTY_NAME="Linux Mint 21"\nID=linuxmint\nID_LIKE="ubuntu debian"\n');
const FEDORA = parseOsRelease('PRETTY_NAME="Fedora Linux 40"\nID=fedora\n');

const facts = (over: Record<string, unknown> = {}) => ({
  platform: 'linux',
  os: DEBIAN,
  isRoot: true,
  hasSudo: false,
  hasAptGet: true,
  hasBrew: false,
  interactive: false,
  ...over,
});

describe('planning the install of missing engines', () => {
  it('reads /etc/os-release, quoted or not', () => {
    expect(DEBIAN).toEqual({ id: 'debian', idLike: [], prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(MINT.idLike).toEqual(['ubuntu', 'debian']);
  });

  it('as root on Debian: apt-get update, then the missing packages only, without prompts', () => {
    const plan = planInstall(['postgresql', 'nats'], facts());
    expect(plan.kind).toBe('apt');
    expect(plan.packages).toEqual(['postgresql', 'nats-server']);
    expect(plan.commands).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', '--no-install-recommends', 'postgresql', 'nats-server'],
    ]);
    expect(plan.env).toEqual({ DEBIAN_FRONTEND: 'noninteractive' });
  });

  it('as a user with sudo: through sudo, and never waiting for a password when nobody can type it', () => {
    const onTerminal = planInstall(['redis'], facts({ os: UBUNTU, isRoot: false, hasSudo: true, interactive: true }));
    expect(onTerminal.commands[1]).toEqual(['sudo', 'apt-get', 'install', '-y', '--no-install-recommends', 'redis-server']);
    const inCi = planInstall(['redis'], facts({ os: UBUNTU, isRoot: false, hasSudo: true, interactive: false }));
    expect(inCi.commands[0]).toEqual(['sudo', '-n', 'apt-get', 'update']);
  });

  it('recognises Debian derivatives by ID_LIKE', () => {
    expect(planInstall(['redis'], facts({ os: MINT })).kind).toBe('apt');
  });

  it('without root or sudo: says exactly what to run as root', () => {
    const plan = planInstall(['postgresql', 'redis', 'nats'], facts({ isRoot: false, hasSudo: false }));
    expect(plan.kind).toBe('manual');
    expect(plan.lines.join('\n')).toContain('apt-get install -y postgresql redis-server nats-server');
  });

  it('elsewhere: Homebrew on macOS, WSL on Windows, the package manager or existing servers on other Linux', () => {
    const mac = planInstall(['postgresql', 'nats'], facts({ platform: 'darwin', os: { id: '', idLike: [], prettyName: '' } }));
    expect(mac.kind).toBe('manual');
    expect(mac.lines.join('\n')).toContain('brew install postgresql@16 nats-server');
    expect(planInstall(['redis'], facts({ platform: 'win32' })).lines.join('\n')).toContain('WSL');
    const fedora = planInstall(['nats'], facts({ os: FEDORA }));
    expect(fedora.kind).toBe('manual');
    expect(fedora.lines.join('\n')).toMatch(/Fedora Linux 40 is not Debian or Ubuntu/);
    expect(fedora.lines.join('\n')).toContain('NATS_URL');
  });

  it('has nothing to do when nothing is missing', () => {
    expect(planInstall([], facts())).toEqual({ kind: 'none' });
  });
});

describe('carrying out the plan', () => {
  const recorder = (status = 0) => {
    const ran: string[][] = [];
    return { ran, exec: (argv: string[]) => (ran.push(argv), status) };
  };
  const quiet = () => undefined;

  it('INSTALL_ENGINES=plan only lets apt-get rehearse (apt-get -s), which changes nothing', () => {
    const { ran, exec } = recorder();
    const lines: string[] = [];
    const r = installEngines(['postgresql', 'redis'], { mode: 'plan', facts: facts(), exec, log: (l: string) => lines.push(l) });
    expect(r.installed).toBe(false);
    expect(ran).toEqual([['apt-get', '-s', 'install', '--no-install-recommends', 'postgresql', 'redis-server']]);
    expect(ran).toEqual([simulationOf(r.plan)]);
    expect(lines.join('\n')).toContain('apt-get install -y --no-install-recommends postgresql redis-server');
  });

  it('INSTALL_ENGINES=never runs nothing and prints the commands', () => {
    const { ran, exec } = recorder();
    const lines: string[] = [];
    installEngines(['nats'], { mode: 'never', facts: facts(), exec, log: (l: string) => lines.push(l) });
    expect(ran).toEqual([]);
    expect(lines.join('\n')).toContain('apt-get install -y --no-install-recommends nats-server');
  });

  it('auto: runs each step in order and says so', () => {
    const { ran, exec } = recorder();
    const lines: string[] = [];
    const r = installEngines(['nats'], { mode: 'auto', facts: facts(), exec, log: (l: string) => lines.push(l) });
    expect(r.installed).toBe(true);
    expect(ran.map((c) => c.join(' '))).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends nats-server']);
    expect(lines.filter((l) => l.includes('$ apt-get'))).toHaveLength(2);
  });

  it('stops at a failing step and names it', () => {
    const { ran, exec } = recorder(100);
    expect(() => installEngines(['redis'], { mode: 'auto', facts: facts(), exec, log: quiet })).toThrow(/`apt-get update` failed \(exit 100\)/);
    expect(ran).toHaveLength(1);
  });

  it('runs nothing where it can only describe', () => {
    const { ran, exec } = recorder();
    const r = installEngines(['redis'], { mode: 'auto', facts: facts({ os: FEDORA }), exec, log: quiet });
    expect(r.installed).toBe(false);
    expect(ran).toEqual([]);
  });

  it('refuses an unknown INSTALL_ENGINES value', () => {
    expect(() => installEngines(['redis'], { mode: 'yes', facts: facts(), log: quiet })).toThrow(/INSTALL_ENGINES must be one of auto, plan, never/);
  });
});
