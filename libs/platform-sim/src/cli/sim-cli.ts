// What the simulator CLIs share: checking the environment, keeping the console's member list fresh
// from the admin API, and running until SIGINT / SIGTERM. Messages are Chinese, for the console.

export type Env = Record<string, string | undefined>;

/** Throws naming every variable of `names` that is unset or empty. */
export function requireEnv(env: Env, names: string[]): void {
  const missing = names.filter((k) => !env[k]);
  if (missing.length) throw new Error(`缺少环境变量：${missing.join(', ')}`);
}

/**
 * Maps the admin API's member list (an array, or {items|data: array}) to a simulator's members:
 * one per entry with a platform account in `accountField`, named by `name` (the account when that
 * is blank), in `unitName` ('' when absent).
 */
export function membersFromAdmin<M>(
  payload: unknown,
  accountField: string,
  make: (account: string, name: string, unitName: string, entry: Record<string, unknown>) => M,
): M[] {
  const list: unknown = Array.isArray(payload)
    ? payload
    : payload && typeof payload === 'object'
      ? ((payload as Record<string, unknown>).items ?? (payload as Record<string, unknown>).data)
      : undefined;
  if (!Array.isArray(list)) return [];
  const out: M[] = [];
  for (const m of list) {
    if (!m || typeof m !== 'object') continue;
    const r = m as Record<string, unknown>;
    const account = typeof r[accountField] === 'string' ? (r[accountField] as string) : '';
    if (!account) continue;
    out.push(make(account, typeof r.name === 'string' && r.name ? r.name : account, typeof r.unitName === 'string' ? r.unitName : '', r));
  }
  return out;
}

export interface AdminMembersPollerOptions<M> {
  base: string;
  token: string;
  /** Maps GET {base}/api/members's answer. */
  map: (payload: unknown) => M[];
  /** Log prefix, e.g. [企业微信模拟器]. */
  label: string;
  /** What was loaded, after the count: 名成员. */
  noun: string;
  log?: (msg: string) => void;
  refreshMs?: number;
  /**
   * How long the admin API may be unreachable at start before it is worth a line: the simulators
   * start with the services, so the first attempts normally fail while the gateway boots. Default 30 s.
   */
  startupGraceMs?: number;
  now?: () => number;
}

/**
 * Keeps a cached member list fresh from the admin API. Tolerates the API not being up yet:
 * retries every few seconds until the first success, then refreshes every refreshMs (30 s).
 */
export class AdminMembersPoller<M> {
  private cache: M[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private loaded = false;
  private reported = false;
  private startedAt = 0;
  private readonly log: (msg: string) => void;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly o: AdminMembersPollerOptions<M>) {
    this.log = o.log ?? ((m) => console.log(m));
    this.refreshMs = o.refreshMs ?? 30_000;
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  members = async (): Promise<M[]> => this.cache;

  start(): void {
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  async refresh(): Promise<void> {
    let next = this.refreshMs;
    try {
      const res = await fetch(`${this.o.base.replace(/\/+$/, '')}/api/members`, {
        headers: { authorization: `Bearer ${this.o.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.cache = this.o.map(await res.json());
      if (!this.loaded || this.reported) this.log(`${this.o.label} 已从管理接口加载 ${this.cache.length} ${this.o.noun}`);
      this.loaded = true;
      this.failures = 0;
      this.reported = false;
    } catch (err) {
      this.failures++;
      // While the gateway is still starting, failures are expected and not worth alarming anyone.
      const booting = !this.loaded && this.now() - this.startedAt < (this.o.startupGraceMs ?? 30_000);
      if (!booting && !this.reported) {
        this.reported = true;
        this.log(`${this.o.label} 管理接口暂不可用（${(err as Error).message}），稍后自动重试…`);
      }
      next = this.loaded ? this.refreshMs : Math.min(2000 * this.failures, 10_000);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.refresh(), next);
      this.timer.unref();
    }
  }
}

/** With ADMIN_API_BASE set: a started member source for it (ADMIN_TOKEN as the bearer token). */
export function startAdminMembers<S extends { start(): void }>(env: Env, create: (base: string, token: string) => S): S | undefined {
  if (!env.ADMIN_API_BASE) return undefined;
  const source = create(env.ADMIN_API_BASE, env.ADMIN_TOKEN ?? '');
  source.start();
  return source;
}

/** A started simulator as the CLIs hand it out: `stop` stops the member source, then the simulator. */
export function startedSim<S extends { stop(): Promise<void> }>(
  sim: S,
  baseUrl: string,
  members: { stop(): void } | undefined,
): { sim: S; baseUrl: string; stop: () => Promise<void> } {
  return {
    sim,
    baseUrl,
    stop: async () => {
      members?.stop();
      await sim.stop();
    },
  };
}

/**
 * A simulator CLI's main: starts it, prints the banner, and stops it on SIGINT or SIGTERM (exit 0,
 * 1 when stopping fails). When it cannot start, prints why under `label` and exits 1.
 */
export function runSimCli<T extends { stop: () => Promise<void> }>(label: string, start: () => Promise<T>, banner: (started: T) => string[]): void {
  const main = async (): Promise<void> => {
    const started = await start();
    console.log(banner(started).join('\n'));
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${label} 收到 ${signal}，正在停止…`);
      started.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  };
  main().catch((err) => {
    console.error(`${label} 启动失败：${(err as Error).message}`);
    process.exit(1);
  });
}
