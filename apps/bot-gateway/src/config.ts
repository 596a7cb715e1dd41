import { z } from 'zod';
import { baseConfigSchema, portSchema, requireTogether } from '@zs/platform';
import { refineWecomAibot, wecomAibotEnvShape } from './wecom-aibot/aibot-config';
import { dingtalkGatewayEnv, refineDingtalkGateway } from './dingtalk/dingtalk.config';

export const gatewayConfigSchema = baseConfigSchema
  .extend({
    GATEWAY_PORT: portSchema.default(3000),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
    WECOM_CORP_ID: z.string().optional(),
    WECOM_AGENT_ID: z.string().regex(/^\d+$/, 'must be the numeric AgentId').optional(),
    WECOM_TOKEN: z.string().optional(),
    WECOM_ENCODING_AES_KEY: z.string().length(43, 'must be exactly 43 characters').optional(),
    /** Callback bodies above this size are refused with 413. */
    CALLBACK_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024).default(64 * 1024),
    /** Console sign-in (ADR 0021): how long a session lasts, in minutes. */
    ADMIN_SESSION_TTL_MIN: z.coerce.number().int().min(5).max(7 * 24 * 60).default(480),
    /** Secure flag of the session cookies: auto = when the request came over https (or X-Forwarded-Proto: https). */
    ADMIN_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    /** Wrong passwords for one account within the window after which sign-in answers 429 (at most 9: refused before the 10th try). */
    ADMIN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(9).default(5),
    /** Wrong passwords from one address within the window after which sign-in from it answers 429. */
    ADMIN_LOGIN_MAX_ADDRESS_FAILURES: z.coerce.number().int().min(1).max(10000).default(100),
    /** Lockout window in seconds, counted from the first wrong password. */
    ADMIN_LOGIN_WINDOW_S: z.coerce.number().int().min(10).max(86400).default(900),
    /** Origins allowed to call the API from a browser (comma-separated); empty = CORS closed (the console is same-origin). */
    CORS_ORIGINS: z.string().default(''),
    /** WeCom web sign-in (企业微信登录) next to the password: the app's Secret (gettoken) enables it with WECOM_CORP_ID and WECOM_AGENT_ID. */
    WECOM_SECRET: z.string().optional(),
    WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
    /** Where the WeCom web sign-in page is (the simulator locally). */
    WECOM_SSO_BASE: z.string().url().optional(),
    /** DingTalk web sign-in (钉钉登录) next to the password: the DingTalk app's Client ID (AppKey) and Client Secret enable it (with DINGTALK_API_BASE). */
    DINGTALK_LOGIN_CLIENT_ID: z.string().optional(),
    DINGTALK_LOGIN_CLIENT_SECRET: z.string().optional(),
    /** Where the DingTalk sign-in page is (the simulator locally). */
    DINGTALK_LOGIN_BASE: z.string().url().default('https://login.dingtalk.com'),
    /** WeCom AI bot (智能机器人): callback and long connection, several bots; see wecom-aibot/aibot-config.ts. */
    ...wecomAibotEnvShape,
    /** DingTalk app robots: HTTP callback and Stream mode, several robots; see dingtalk/dingtalk.config.ts. */
    ...dingtalkGatewayEnv,
  })
  .superRefine((c, ctx) => {
    refineWecomAibot(c, ctx);
    refineDingtalkGateway(c, ctx);
    requireTogether(ctx, c, ['WECOM_CORP_ID', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'], 'required when the WeCom app callback is configured');
    requireTogether(ctx, c, ['DINGTALK_LOGIN_CLIENT_ID', 'DINGTALK_LOGIN_CLIENT_SECRET'], 'required together for 钉钉登录');
  });
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function wecomAppEnabled(c: GatewayConfig): boolean {
  return Boolean(c.WECOM_CORP_ID && c.WECOM_TOKEN && c.WECOM_ENCODING_AES_KEY);
}
