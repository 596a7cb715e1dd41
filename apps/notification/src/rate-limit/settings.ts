import type Redis from 'ioredis';
import type { Names } from '@zs/contracts';
import type { NotificationConfig } from '../config';
import { RateLimitSettings, withMargin } from './limits';
import { RateLimiter, RedisRateLimiter } from './rate-limiter';

/** The configured limits, each window lengthened by RATE_LIMIT_MARGIN_MS. */
export function rateLimitSettings(config: NotificationConfig): RateLimitSettings {
  const m = config.RATE_LIMIT_MARGIN_MS;
  return {
    wecomRobot: withMargin(config.WECOM_ROBOT_RATE_LIMIT, m),
    wecomAppMember: withMargin(config.WECOM_APP_MEMBER_RATE_LIMIT, m),
    dingtalkRobot: withMargin(config.DINGTALK_ROBOT_RATE_LIMIT, m),
  };
}

/** The limiter every replica of a deployment shares: keys under `<NAMESPACE>:rl:`. */
export function redisRateLimiter(redis: Redis, names: Names): RateLimiter {
  return new RedisRateLimiter(redis, `${names.redisPrefix}:rl`);
}
