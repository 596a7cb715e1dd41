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
import { AdminMembersPoller, Env, membersFromAdmin, requireEnv, runSimCli, startAdminMembers, startedSim } from './sim-cli';

export const DEFAULT_GROUP_ROBOT_KEY = 'demo-city-group';

const LABEL = '[企业微信模拟器]';

/** Maps the admin API's member list (an array, or {items|data: array}) to simulator members. */
export function mapAdminMembers(payload: unknown): SimMember[] {
  return membersFromAdmin(payload, 'wecomUserId', (userid, name, unitName) => ({ userid, name, unitName }));
}

/**
 * Keeps a cached member list fresh from the admin API. Tolerates the API not being up yet:
 * retries every few seconds until the first success, then refreshes every 30 s.
 */
export class AdminMembersSource extends AdminMembersPoller<SimMember> {
  constructor(base: string, token: string, log: (msg: string) => void = (m) => console.log(m), refreshMs = 30_000) {
    super({ base, token, map: mapAdminMembers, label: LABEL, noun: '名成员', log, refreshMs });
  }
}

export async function startWecomSimFromEnv(env: Env = process.env): Promise<{ sim: WecomSimulator; baseUrl: string; stop: () => Promise<void> }> {
  requireEnv(env, ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY']);
  const source = startAdminMembers(env, (base, token) => new AdminMembersSource(base, token));
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
  return startedSim(sim, baseUrl, source);
}

if (require.main === module) {
  runSimCli(LABEL, () => startWecomSimFromEnv(), ({ sim, baseUrl }) => {
    const key = process.env.SIM_GROUP_ROBOT_KEY || DEFAULT_GROUP_ROBOT_KEY;
    return [
      `${LABEL} 已启动`,
      `  聊天控制台：      ${baseUrl}/`,
      `  企业微信 API 基址：${baseUrl}   （产品配置 WECOM_API_BASE=${baseUrl}）`,
      `  群机器人 Webhook： ${baseUrl}/cgi-bin/webhook/send?key=${key}`,
      `  产品回调地址：    ${sim.getCallbackUrl() || '（未配置 GATEWAY_CALLBACK_URL，控制台将无法发送消息）'}`,
    ];
  });
}
