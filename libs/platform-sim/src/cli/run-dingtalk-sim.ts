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
import { AdminMembersPoller, Env, membersFromAdmin, requireEnv, runSimCli, startAdminMembers, startedSim } from './sim-cli';

const LABEL = '[钉钉模拟器]';

/** Maps the admin API's member list to simulator members (those with a DingTalk staffId). */
export function mapAdminDingtalkMembers(payload: unknown): DingtalkSimMember[] {
  return membersFromAdmin(payload, 'dingtalkStaffId', (staffId, name, unitName, r) => ({
    staffId,
    name,
    unitName,
    ...(typeof r.mobile === 'string' && r.mobile ? { mobile: r.mobile } : {}),
  }));
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
  requireEnv(env, ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET']);
  const apps: DingtalkSimApp[] = [
    { clientId: env.DINGTALK_CLIENT_ID!, clientSecret: env.DINGTALK_CLIENT_SECRET!, robotCode: env.DINGTALK_ROBOT_CODE || undefined, name: '招商助手' },
    ...(parseJson<DingtalkSimApp[]>('DINGTALK_ROBOTS', env.DINGTALK_ROBOTS) ?? []).map((a, i) => ({ ...a, name: `招商助手 ${i + 2}` })),
  ];
  const source = startAdminMembers(
    env,
    (base, token) => new AdminMembersPoller({ base, token, map: mapAdminDingtalkMembers, label: LABEL, noun: '名有钉钉账号的成员' }),
  );
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
  return startedSim(sim, baseUrl, source);
}

if (require.main === module) {
  runSimCli(LABEL, () => startDingtalkSimFromEnv(), ({ sim, baseUrl }) => [
    `${LABEL} 已启动`,
    `  聊天控制台（钉钉模式）：${baseUrl}/`,
    `  钉钉 API 基址：         ${baseUrl}   （产品配置 DINGTALK_API_BASE 与 DINGTALK_OAPI_BASE）`,
    `  HTTP 回调地址：         ${sim.getCallbackUrl() || '（未配置 DINGTALK_CALLBACK_URL，仅可使用 Stream 模式）'}`,
  ]);
}
