import { z } from 'zod';
import { baseConfigSchema, portSchema, requireTogether } from '@zs/platform';
import { rateLimitsEnv } from './rate-limit/limits';
import { dingtalkCustomRobotsEnv, dingtalkSharedEnv, refineDingtalkApps } from '@zs/channels';
import { SecretBox } from '@zs/persistence';

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
    OUTBOUND_LOCK_MS: z.coerce.number().int().min(1000).max(600000).default(5000),
    HTTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(60000).default(10000),
    /** Largest evidence file (image or file after a stage message) kept, bytes; larger ones are marked too-large. */
    EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(20 * 1024 * 1024),
    /** Attempts to fetch one evidence file from its platform before it is marked failed. */
    EVIDENCE_FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    /** First retry delay of an evidence fetch; doubles each attempt. */
    EVIDENCE_FETCH_BACKOFF_MS: z.coerce.number().int().min(100).max(3600000).default(5000),
    /** How often evidence still to be fetched is looked for and queued. */
    EVIDENCE_SWEEP_MS: z.coerce.number().int().min(200).max(600000).default(3000),
    /** Hostnames a WeCom AI bot response_url may point at (comma-separated); others are never posted to. */
    WECOM_AIBOT_RESPONSE_HOSTS: z
      .string()
      .default('qyapi.weixin.qq.com')
      .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
      .refine((l) => l.length > 0, 'must name at least one host, e.g. qyapi.weixin.qq.com'),
    /** Per WeCom group robot: `max/window`, comma-separated (platform: 20 a minute). */
    WECOM_ROBOT_RATE_LIMIT: rateLimitsEnv('20/60s'),
    /** Per WeCom member, app messages (platform: 30 a minute and 1000 an hour, excess silently dropped). */
    WECOM_APP_MEMBER_RATE_LIMIT: rateLimitsEnv('30/60s,1000/1h'),
    /** Per DingTalk robot (platform: 20 a minute, then throttled for 10 minutes). */
    DINGTALK_ROBOT_RATE_LIMIT: rateLimitsEnv('20/60s'),
    /** Added to every rate-limit window, so network jitter cannot push two sends into one platform window. */
    RATE_LIMIT_MARGIN_MS: z.coerce.number().int().min(0).max(60000).default(500),
    /** How WeCom group robots show tables: `markdown_v2` (real tables, newer clients) or `list` (markdown, every client). */
    WECOM_ROBOT_TABLES: z.enum(['markdown_v2', 'list']).default('markdown_v2'),
    /** DingTalk app robots (OpenAPI sends) and custom robots; see libs/channels/src/dingtalk/dingtalk-config.ts. */
    ...dingtalkSharedEnv,
    ...dingtalkCustomRobotsEnv,
    /** AES-256-GCM keys of the stored robot secrets, `<id>:<base64 32 bytes>[,...]`; first encrypts (libs/persistence/src/secret-box.ts). */
    SECRET_ENCRYPTION_KEYS: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        if (!v) return;
        try {
          SecretBox.parse(v);
        } catch (e) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
        }
      }),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.SECRET_ENCRYPTION_KEYS) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['SECRET_ENCRYPTION_KEYS'], message: 'required in production (robot secrets are stored encrypted)' });
    }
    refineDingtalkApps(c, ctx);
    requireTogether(ctx, c, ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET'], 'required when WeCom app messages are configured');
  });
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
