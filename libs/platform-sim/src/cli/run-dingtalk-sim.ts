// Starts the DingTalk simulator (OpenAPI, Stream gateway, webhooks + the DingTalk chat console)
// from environment variables.
//
//   DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET     required (the app robot the product uses)
//   DINGTALK_ROBOT_CODE                            default: DINGTALK_CLIENT_ID
//   DINGTALK_ROBOTS                                further app robots, JSON (same format as the product)
//   DINGTALK_CUSTOM_ROBOTS                         custom robots, JSON {"id":{"accessToken","secret"}}
//   DINGTALK_CALLBACK_URL                          the product's HTTP-mode callback (HTTP mode in the console)
//   SIM_DINGTALK_PORT (default 0 = random), SIM_HOST (default 127.0.0.1)
//   ADMIN_API_BASE + ADMIN_TOKEN                   members for the console: GET {ADMIN_API_BASE}/api/members
//   SIM_WECOM_CONSOLE_URL                          the WeCom console, for the console's mode tabs
//   SIM_DINGTALK_REDELIVER_MS (default 60000)      Stream: unacknowledged messages come again after this
//
// Compiled: node -r ./scripts/paths.js dist/libs/platform-sim/src/cli/run-dingtalk-sim.js
import { DingtalkSimApp, DingtalkSimMember, DingtalkSimulator } from '../dingtalk-simulator';

type Env = Record<string, string | undefined>;

/** Maps the admin API's member list to simulator members (those with a DingTalk staffId). */
export function mapAdminDingtalkMembers(payload: unknown): DingtalkSimMember[] {
  const list: unknown = Array.isArray(payload)
    ? payload
    : payload && typeof payload === 'object'
      ? ((payload as Record<string, unknown>).items ?? (payload as Record<string, unknown>).data)
      : undefined;
  if (!Array.isArray(list)) return [];
  const out: DingtalkSimMember[] = [];
  for (const m of list) {
    if (!m || typeof m !== 'object') continue;
    const r = m as Record<string, unknown>;
    const staffId = typeof r.dingtalkStaffId === 'string' ? r.dingtalkStaffId : '';
    if (!staffId) continue;
    out.push({
      staffId,
      name: typeof r.name === 'string' && r.name ? r.name : staffId,
      unitName: typeof r.unitName === 'string' ? r.unitName : '',
      ...(typeof r.mobile === 'string' && r.mobile ? { mobile: r.mobile } : {}),
    });
  }
  return out;
}

/** Keeps the member list fresh from the admin API; tolerates it not being up yet. */
class DingtalkMembersSource {
  private cache: DingtalkSimMember[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private loaded = false;

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  members = async (): Promise<DingtalkSimMember[]> => this.cache;

  start(): void {
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async refresh(): Promise<void> {
    let next = 30_000;
    try {
      const res = await fetch(`${this.base.replace(/\/+$/, '')}/api/members`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.cache = mapAdminDingtalkMembers(await res.json());
      if (!this.loaded || this.failures > 0) console.log(`[钉钉模拟器] 已从管理接口加载 ${this.cache.length} 名有钉钉账号的成员`);
      this.loaded = true;
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (this.failures === 1) console.log(`[钉钉模拟器] 管理接口暂不可用（${(err as Error).message}），稍后自动重试…`);
      next = this.loaded ? 30_000 : Math.min(2000 * this.failures, 10_000);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.refresh(), next);
      this.timer.unref();
    }
  }
}

function parseJson<T>(name: string, raw: string | undefined): T | undefined {
  if (!raw || !raw.trim()) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new Error(`${name} 不是合法的 JSON`);
  }
}

export async function startDingtalkSimFromEnv(env: Env = process.env): Promise<{ sim: DingtalkSimulator; baseUrl: string; stop: () => Promise<void> }> {
  const missing = ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`缺少环境变量：${missing.join(', ')}`);
  const apps: DingtalkSimApp[] = [
    { clientId: env.DINGTALK_CLIENT_ID!, clientSecret: env.DINGTALK_CLIENT_SECRET!, robotCode: env.DINGTALK_ROBOT_CODE || undefined, name: '招商助手' },
    ...(parseJson<DingtalkSimApp[]>('DINGTALK_ROBOTS', env.DINGTALK_ROBOTS) ?? []).map((a, i) => ({ ...a, name: `招商助手 ${i + 2}` })),
  ];
  let source: DingtalkMembersSource | undefined;
  if (env.ADMIN_API_BASE) {
    source = new DingtalkMembersSource(env.ADMIN_API_BASE, env.ADMIN_TOKEN ?? '');
    source.start();
  }
  const sim = new DingtalkSimulator({
    apps,
    callbackUrl: env.DINGTALK_CALLBACK_URL ?? '',
    port: env.SIM_DINGTALK_PORT ? Number(env.SIM_DINGTALK_PORT) : 0,
    host: env.SIM_HOST || '127.0.0.1',
    streamRedeliverMs: env.SIM_DINGTALK_REDELIVER_MS ? Number(env.SIM_DINGTALK_REDELIVER_MS) : undefined,
    members: source?.members,
    wecomConsoleUrl: env.SIM_WECOM_CONSOLE_URL,
  });
  const custom = parseJson<Record<string, { accessToken: string; secret?: string }>>('DINGTALK_CUSTOM_ROBOTS', env.DINGTALK_CUSTOM_ROBOTS) ?? {};
  for (const [id, r] of Object.entries(custom)) sim.addCustomRobot(r.accessToken, { name: id === 'city-group' ? '市招商工作群通知机器人' : id, secret: r.secret });
  const { baseUrl } = await sim.start();
  return {
    sim,
    baseUrl,
    stop: async () => {
      source?.stop();
      await sim.stop();
    },
  };
}

async function main(): Promise<void> {
  const { sim, baseUrl, stop } = await startDingtalkSimFromEnv();
  console.log(
    [
      '[钉钉模拟器] 已启动',
      `  聊天控制台（钉钉模式）：${baseUrl}/`,
      `  钉钉 API 基址：         ${baseUrl}   （产品配置 DINGTALK_API_BASE 与 DINGTALK_OAPI_BASE）`,
      `  HTTP 回调地址：         ${sim.getCallbackUrl() || '（未配置 DINGTALK_CALLBACK_URL，仅可使用 Stream 模式）'}`,
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[钉钉模拟器] 收到 ${signal}，正在停止…`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[钉钉模拟器] 启动失败：${(err as Error).message}`);
    process.exit(1);
  });
}
