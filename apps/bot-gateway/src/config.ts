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
    /** WeCom AI bot (智能机器人): callback and long connection, several bots; see wecom-aibot/aibot-config.ts. */
    ...wecomAibotEnvShape,
    /** DingTalk app robots: HTTP callback and Stream mode, several robots; see dingtalk/dingtalk.config.ts. */
    ...dingtalkGatewayEnv,
  })
  .superRefine((c, ctx) => {
    refineWecomAibot(c, ctx);
    refineDingtalkGateway(c, ctx);
    requireTogether(ctx, c, ['WECOM_CORP_ID', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'], 'required when the WeCom app callback is configured');
  });
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function wecomAppEnabled(c: GatewayConfig): boolean {
  return Boolean(c.WECOM_CORP_ID && c.WECOM_TOKEN && c.WECOM_ENCODING_AES_KEY);
}
