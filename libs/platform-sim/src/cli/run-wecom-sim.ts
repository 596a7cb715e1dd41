// Starts the WeCom simulator (API + local chat console) from environment variables.
//
//   WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY   required
//   GATEWAY_CALLBACK_URL   the product's WeCom callback URL (the console cannot send without it)
//   SIM_PORT (default 0 = random), SIM_HOST (default 127.0.0.1)
//   ADMIN_API_BASE + ADMIN_TOKEN   members for the console: GET {ADMIN_API_BASE}/api/members
//   SIM_GROUP_ROBOT_KEY (default demo-city-group), SIM_GROUP_NAME (default 招商工作群)
//   SIM_RETRY_TIMEOUT_MS (default 5000), SIM_MAX_ATTEMPTS (default 3)
//
// Compiled: node -r ./scripts/paths.js dist/libs/platform-sim/src/cli/run-wecom-sim.js
import { SimMember, WecomSimulator } from '../wecom-simulator';

export const DEFAULT_GROUP_ROBOT_KEY = 'demo-city-group';

type Env = Record<string, string | undefined>;

/** Maps the admin API's member list (an array, or {items|data: array}) to simulator members. */
export function mapAdminMembers(payload: unknown): SimMember[] {
  const list: unknown = Array.isArray(payload)
    ? payload
    : payload && typeof payload === 'object'
      ? ((payload as Record<string, unknown>).items ?? (payload as Record<string, unknown>).data)
      : undefined;
  if (!Array.isArray(list)) return [];
  const out: SimMember[] = [];
  for (const m of list) {
    if (!m || typeof m !== 'object') continue;
    const r = m as Record<string, unknown>;
    const userid = typeof r.wecomUserId === 'string' ? r.wecomUserId : '';
    if (!userid) continue;
    out.push({
      userid,
      name: typeof r.name === 'string' && r.name ? r.name : userid,
      unitName: typeof r.unitName === 'string' ? r.unitName : '',
    });
  }
  return out;
}

/**
 * Keeps a cached member list fresh from the admin API. Tolerates the API not being up yet:
 * retries every few seconds until the first success, then refreshes every 30 s.
 */
export class AdminMembersSource {
  private cache: SimMember[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failures = 0;
  private loaded = false;

  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly log: (msg: string) => void = (m) => console.log(m),
    private readonly refreshMs = 30_000,
  ) {}

  members = async (): Promise<SimMember[]> => this.cache;

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
      const res = await fetch(`${this.base.replace(/\/+$/, '')}/api/members`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.cache = mapAdminMembers(await res.json());
      if (!this.loaded || this.failures > 0) this.log(`[企业微信模拟器] 已从管理接口加载 ${this.cache.length} 名成员`);
      this.loaded = true;
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (this.failures === 1) {
        this.log(`[企业微信模拟器] 管理接口暂不可用（${(err as Error).message}），稍后自动重试…`);
      }
      next = this.loaded ? this.refreshMs : Math.min(2000 * this.failures, 10_000);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.refresh(), next);
      this.timer.unref();
    }
  }
}

export async function startWecomSimFromEnv(env: Env = process.env): Promise<{ sim: WecomSimulator; baseUrl: string; stop: () => Promise<void> }> {
  const required = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'];
  const missing = required.filter((k) => !env[k]);
  if (missing.length) throw new Error(`缺少环境变量：${missing.join(', ')}`);

  let source: AdminMembersSource | undefined;
  if (env.ADMIN_API_BASE) {
    source = new AdminMembersSource(env.ADMIN_API_BASE, env.ADMIN_TOKEN ?? '');
    source.start();
  }
  const sim = new WecomSimulator({
    corpId: env.WECOM_CORP_ID!,
    agentId: env.WECOM_AGENT_ID!,
    secret: env.WECOM_SECRET!,
    token: env.WECOM_TOKEN!,
    encodingAesKey: env.WECOM_ENCODING_AES_KEY!,
    callbackUrl: env.GATEWAY_CALLBACK_URL ?? '',
    port: env.SIM_PORT ? Number(env.SIM_PORT) : 0,
    host: env.SIM_HOST || '127.0.0.1',
    retryTimeoutMs: env.SIM_RETRY_TIMEOUT_MS ? Number(env.SIM_RETRY_TIMEOUT_MS) : undefined,
    maxAttempts: env.SIM_MAX_ATTEMPTS ? Number(env.SIM_MAX_ATTEMPTS) : undefined,
    members: source?.members,
  });
  sim.addGroupRobot(env.SIM_GROUP_ROBOT_KEY || DEFAULT_GROUP_ROBOT_KEY, env.SIM_GROUP_NAME || '招商工作群');
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
  const { sim, baseUrl, stop } = await startWecomSimFromEnv();
  const key = process.env.SIM_GROUP_ROBOT_KEY || DEFAULT_GROUP_ROBOT_KEY;
  console.log(
    [
      '[企业微信模拟器] 已启动',
      `  聊天控制台：      ${baseUrl}/`,
      `  企业微信 API 基址：${baseUrl}   （产品配置 WECOM_API_BASE=${baseUrl}）`,
      `  群机器人 Webhook： ${baseUrl}/cgi-bin/webhook/send?key=${key}`,
      `  产品回调地址：    ${sim.getCallbackUrl() || '（未配置 GATEWAY_CALLBACK_URL，控制台将无法发送消息）'}`,
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[企业微信模拟器] 收到 ${signal}，正在停止…`);
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
    console.error(`[企业微信模拟器] 启动失败：${(err as Error).message}`);
    process.exit(1);
  });
}
