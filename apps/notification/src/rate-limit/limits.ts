import { z } from 'zod';
import type { RateLimit } from './rate-limiter';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses limits written as `max/window`, comma-separated: `20/60s`, `30/1m,1000/1h`, `5/3000ms`.
 * Throws with a readable message on anything else.
 */
export function parseRateLimits(spec: string): RateLimit[] {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('expected at least one limit like 20/60s');
  return parts.map((p) => {
    const m = /^(\d+)\s*\/\s*(\d+)\s*(ms|s|min|m|h)$/.exec(p);
    if (!m) throw new Error(`"${p}" is not a limit like 20/60s, 30/1m or 1000/1h`);
    const max = Number(m[1]);
    const windowMs = Number(m[2]) * UNIT_MS[m[3]];
    if (max < 1 || windowMs < 1) throw new Error(`"${p}": max and window must be positive`);
    return { max, windowMs };
  });
}

/** A zod schema for an env var holding limits; the default is the platform's documented limit. */
export const rateLimitsEnv = (defaultSpec: string) =>
  z
    .string()
    .default(defaultSpec)
    .transform((s, ctx) => {
      try {
        return parseRateLimits(s);
      } catch (e) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (e as Error).message });
        return z.NEVER;
      }
    });

/**
 * Our windows are a little longer than the platform's: a request takes a few milliseconds to
 * reach the platform, and the platform counts when it receives it. Without a margin, a send
 * delayed on the way out and a later one that travels faster can land in one platform window.
 */
export function withMargin(limits: RateLimit[], marginMs: number): RateLimit[] {
  return limits.map((l) => ({ max: l.max, windowMs: l.windowMs + marginMs }));
}

/** The limits every sender uses, resolved from configuration (margins included). */
export interface RateLimitSettings {
  /** Per WeCom group robot (webhook key). Platform: 20 a minute. */
  wecomRobot: RateLimit[];
  /** Per WeCom member, app messages. Platform: 30 a minute and 1000 an hour; excess silently dropped. */
  wecomAppMember: RateLimit[];
  /** Per DingTalk robot (custom robot or app robot per conversation). Platform: 20 a minute, then 10 minutes throttled. */
  dingtalkRobot: RateLimit[];
}

export function describeLimits(limits: RateLimit[]): string {
  return limits.map((l) => `${l.max}/${l.windowMs}ms`).join(',');
}
