import { z } from 'zod';
import { DingtalkAppCredentials, dingtalkApps, dingtalkSharedEnv, DingtalkSharedConfig, envBoolean, refineDingtalkApps } from '@zs/channels';

/**
 * bot-gateway's DingTalk variables (spread into the gateway config schema). Which ways in
 * are on is configuration: HTTP mode (POST /dingtalk/callback) defaults to on when an app
 * robot is configured, Stream mode (outbound WebSocket, no public URL needed) defaults to off.
 * Both may run at once: a message that arrives both ways is accepted once (msgId dedup).
 */
export const dingtalkGatewayEnv = {
  ...dingtalkSharedEnv,
  DINGTALK_HTTP_ENABLED: envBoolean,
  DINGTALK_STREAM_ENABLED: envBoolean,
  /** First reconnect delay of the Stream client; doubles per failure (with jitter) up to the max. */
  DINGTALK_STREAM_BACKOFF_BASE_MS: z.coerce.number().int().min(50, 'at least 50').max(60_000, 'at most 60000').default(1000),
  DINGTALK_STREAM_BACKOFF_MAX_MS: z.coerce.number().int().min(100, 'at least 100').max(600_000, 'at most 600000').default(60_000),
};

type GatewayDingtalkShape = DingtalkSharedConfig & {
  DINGTALK_HTTP_ENABLED?: boolean;
  DINGTALK_STREAM_ENABLED?: boolean;
  DINGTALK_STREAM_BACKOFF_BASE_MS: number;
  DINGTALK_STREAM_BACKOFF_MAX_MS: number;
  CALLBACK_MAX_BYTES: number;
};

export function refineDingtalkGateway(c: GatewayDingtalkShape, ctx: z.RefinementCtx): void {
  refineDingtalkApps(c, ctx);
  const none = dingtalkApps(c).length === 0;
  for (const k of ['DINGTALK_HTTP_ENABLED', 'DINGTALK_STREAM_ENABLED'] as const) {
    if (c[k] === true && none) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: 'needs an app robot: set DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (or DINGTALK_ROBOTS)' });
    }
  }
  if (c.DINGTALK_STREAM_BACKOFF_MAX_MS < c.DINGTALK_STREAM_BACKOFF_BASE_MS) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['DINGTALK_STREAM_BACKOFF_MAX_MS'], message: 'must not be below DINGTALK_STREAM_BACKOFF_BASE_MS' });
  }
}

export interface DingtalkGatewaySettings {
  robots: DingtalkAppCredentials[];
  httpEnabled: boolean;
  streamEnabled: boolean;
  apiBase: string;
  /** Origins a callback's sessionWebhook may point at. */
  sessionWebhookOrigins: string[];
  maxBodyBytes: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export function dingtalkGatewaySettings(c: GatewayDingtalkShape): DingtalkGatewaySettings {
  const robots = dingtalkApps(c);
  return {
    robots,
    httpEnabled: robots.length > 0 && c.DINGTALK_HTTP_ENABLED !== false,
    streamEnabled: robots.length > 0 && c.DINGTALK_STREAM_ENABLED === true,
    apiBase: c.DINGTALK_API_BASE,
    sessionWebhookOrigins: [new URL(c.DINGTALK_OAPI_BASE).origin],
    maxBodyBytes: c.CALLBACK_MAX_BYTES,
    backoffBaseMs: c.DINGTALK_STREAM_BACKOFF_BASE_MS,
    backoffMaxMs: c.DINGTALK_STREAM_BACKOFF_MAX_MS,
  };
}
