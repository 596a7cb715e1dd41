import { z } from 'zod';
import { baseConfigSchema, portSchema } from '@zs/platform';

export const notificationConfigSchema = baseConfigSchema
  .extend({
    NOTIFICATION_PORT: portSchema.default(3103),
    WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
    WECOM_CORP_ID: z.string().optional(),
    WECOM_AGENT_ID: z.string().regex(/^\d+$/, 'must be the numeric AgentId').optional(),
    WECOM_SECRET: z.string().optional(),
    /** Sends in progress at once in one replica. */
    OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
    OUTBOUND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    /** A job whose worker died is retried after this long (BullMQ lock duration / stalled check). */
    OUTBOUND_LOCK_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
    HTTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(60000).default(10000),
  })
  .superRefine((c, ctx) => {
    const keys = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET'] as const;
    const set = keys.filter((k) => c[k]);
    if (set.length > 0 && set.length < keys.length) {
      for (const k of keys.filter((k) => !c[k])) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: 'required when WeCom app messages are configured' });
      }
    }
  });
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
