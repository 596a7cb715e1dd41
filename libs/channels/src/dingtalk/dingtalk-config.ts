/**
 * DingTalk configuration shared by bot-gateway (callbacks, Stream) and notification
 * (OpenAPI sends, custom robots). Both services read the same variables, so a robot is
 * configured once for the whole deployment.
 *
 * App robots (企业内部应用机器人): one primary robot from
 *   DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET, DINGTALK_ROBOT_CODE (default: the client id)
 * and any number of further robots from DINGTALK_ROBOTS, a JSON array:
 *   [{"clientId":"dingabc","clientSecret":"...","robotCode":"dingabc"}, ...]
 *
 * Custom robots (自定义机器人, signed webhooks, send only) from DINGTALK_CUSTOM_ROBOTS, a JSON
 * object keyed by the robot id that NotifyTarget `dingtalk-custom-robot` names:
 *   {"city-group":{"accessToken":"...","secret":"SEC..."}, ...}
 * (`secret` is the robot's 加签 secret; leave it out only for robots secured by keyword or IP.)
 */
import { z } from 'zod';

export interface DingtalkAppCredentials {
  /** AppKey / Client ID. */
  clientId: string;
  /** AppSecret / Client Secret: OpenAPI token, Stream ticket, and the HTTP callback signature key. */
  clientSecret: string;
  /** The robot's code (机器人 robotCode); for an internal app robot usually equal to the client id. */
  robotCode: string;
}

export interface DingtalkCustomRobotCredentials {
  robotId: string;
  accessToken: string;
  /** 加签 secret (SEC...); absent when the robot is secured by keyword or IP only. */
  secret?: string;
}

const appEntry = z
  .object({
    clientId: z.string().min(1, 'clientId is required'),
    clientSecret: z.string().min(1, 'clientSecret is required'),
    robotCode: z.string().min(1).optional(),
  })
  .strict();

const customEntry = z
  .object({
    accessToken: z.string().min(1, 'accessToken is required'),
    secret: z.string().min(1).optional(),
  })
  .strict();

/** Parses a JSON-valued variable; the issue names the problem, never the value. */
function jsonVar<T extends z.ZodTypeAny>(schema: T, example: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx): z.infer<T> | undefined => {
      if (s === undefined || s.trim() === '') return undefined;
      let raw: unknown;
      try {
        raw = JSON.parse(s);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
      const r = schema.safeParse(raw);
      if (!r.success) {
        const first = r.error.issues[0];
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${first.path.length ? `at ${first.path.join('.')}: ` : ''}${first.message} (expected e.g. ${example})`,
        });
        return z.NEVER;
      }
      return r.data;
    });
}

/** "true"/"false"/"1"/"0"/"yes"/"no" (any case); absent gives undefined so callers can pick a default. */
export const envBoolean = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s.trim() === '') return undefined;
    const v = s.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be true or false' });
    return z.NEVER;
  });

/** Variables both services read. Spread into a service's config schema. */
export const dingtalkSharedEnv = {
  DINGTALK_API_BASE: z.string().url('must be a URL such as https://api.dingtalk.com').default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: z.string().url('must be a URL such as https://oapi.dingtalk.com').default('https://oapi.dingtalk.com'),
  DINGTALK_CLIENT_ID: z.string().min(1).optional(),
  DINGTALK_CLIENT_SECRET: z.string().min(1).optional(),
  DINGTALK_ROBOT_CODE: z.string().min(1).optional(),
  DINGTALK_ROBOTS: jsonVar(z.array(appEntry).max(50), '[{"clientId":"dingabc","clientSecret":"...","robotCode":"dingabc"}]'),
};

/** The parsed dingtalkSharedEnv: what a service that reads the shared variables gets. */
export type DingtalkSharedConfig = z.output<z.ZodObject<typeof dingtalkSharedEnv>>;

export const dingtalkCustomRobotsEnv = {
  DINGTALK_CUSTOM_ROBOTS: jsonVar(
    z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'robot ids are letters, digits, . _ -'), customEntry),
    '{"city-group":{"accessToken":"...","secret":"SEC..."}}',
  ),
};

type SharedShape = {
  DINGTALK_CLIENT_ID?: string;
  DINGTALK_CLIENT_SECRET?: string;
  DINGTALK_ROBOT_CODE?: string;
  DINGTALK_ROBOTS?: Array<z.infer<typeof appEntry>>;
};


/** Every configured app robot, primary first. */
export function dingtalkApps(c: SharedShape): DingtalkAppCredentials[] {
  const out: DingtalkAppCredentials[] = [];
  if (c.DINGTALK_CLIENT_ID && c.DINGTALK_CLIENT_SECRET) {
    out.push({ clientId: c.DINGTALK_CLIENT_ID, clientSecret: c.DINGTALK_CLIENT_SECRET, robotCode: c.DINGTALK_ROBOT_CODE || c.DINGTALK_CLIENT_ID });
  }
  // Defensive: refinements also run over a config whose DINGTALK_ROBOTS failed to parse.
  const extra = Array.isArray(c.DINGTALK_ROBOTS) ? c.DINGTALK_ROBOTS : [];
  for (const r of extra) out.push({ clientId: r.clientId, clientSecret: r.clientSecret, robotCode: r.robotCode || r.clientId });
  return out;
}

/** Custom robots by id. */
export function dingtalkCustomRobots(c: { DINGTALK_CUSTOM_ROBOTS?: Record<string, z.infer<typeof customEntry>> }): DingtalkCustomRobotCredentials[] {
  const robots = c.DINGTALK_CUSTOM_ROBOTS && typeof c.DINGTALK_CUSTOM_ROBOTS === 'object' ? c.DINGTALK_CUSTOM_ROBOTS : {};
  return Object.entries(robots).map(([robotId, r]) => ({ robotId, accessToken: r.accessToken, secret: r.secret }));
}

/** Cross-field checks, for a config schema's superRefine. */
export function refineDingtalkApps(c: SharedShape, ctx: z.RefinementCtx): void {
  if (Boolean(c.DINGTALK_CLIENT_ID) !== Boolean(c.DINGTALK_CLIENT_SECRET)) {
    const missing = c.DINGTALK_CLIENT_ID ? 'DINGTALK_CLIENT_SECRET' : 'DINGTALK_CLIENT_ID';
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET go together: set both or neither' });
  }
  if (c.DINGTALK_ROBOT_CODE && !c.DINGTALK_CLIENT_ID) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['DINGTALK_ROBOT_CODE'], message: 'set DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET too' });
  }
  const seenCodes = new Set<string>();
  const seenIds = new Set<string>();
  for (const a of dingtalkApps(c)) {
    if (seenCodes.has(a.robotCode)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['DINGTALK_ROBOTS'], message: `robotCode ${a.robotCode} is configured twice` });
    }
    if (seenIds.has(a.clientId)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['DINGTALK_ROBOTS'], message: `clientId ${a.clientId} is configured twice` });
    }
    seenCodes.add(a.robotCode);
    seenIds.add(a.clientId);
  }
}
