/**
 * Per-robot and per-person rate limits, shared by every replica through Redis.
 *
 * Senders ask before each platform call:
 *
 *   const slot = await limiter.acquire(`dingtalk-robot:${robotId}`, limits.dingtalkRobot, 1, {
 *     holder: ctx.dedupKey && `${ctx.dedupKey}#${part}`, // reserves the slot for this part
 *   });
 *   if (!slot.ok) throw new RetryLaterError(slot.retryAfterMs, 'robot rate limit');
 *
 * The worker turns RetryLaterError into a delayed job (no attempt spent), so a burst is spread
 * out over the windows instead of being rejected (or silently dropped) by the platform.
 */
export { RedisRateLimiter, acquireSoon } from './rate-limiter';
export type { RateLimiter, RateLimit, AcquireResult, AcquireOptions } from './rate-limiter';
export { parseRateLimits, rateLimitsEnv, withMargin, describeLimits } from './limits';
export type { RateLimitSettings } from './limits';
export { rateLimitSettings, redisRateLimiter } from './settings';

/** Nest injection token of the shared RateLimiter. */
export const RATE_LIMITER = Symbol('RATE_LIMITER');
/** Nest injection token of the RateLimitSettings resolved from configuration. */
export const RATE_LIMITS = Symbol('RATE_LIMITS');
