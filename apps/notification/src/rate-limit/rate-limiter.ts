import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** At most `max` events in any window of `windowMs` (a sliding window, as the platforms count). */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export type AcquireResult =
  | {
      ok: true;
      /**
       * Call once the platform has answered (or the request failed): re-stamps the slot with that
       * time. The platform counts a message when it RECEIVES it, which is some unknown time after
       * the slot was taken; stamping with the answer time (always later than receipt) means later
       * slots are measured from a time no earlier than the platform's, whatever the latency.
       */
      sent: () => Promise<void>;
    }
  | { ok: false; retryAfterMs: number };

export interface AcquireOptions {
  /**
   * A stable name for this send (e.g. `<dedupKey>#<part>`). When there is no slot now, the
   * limiter RESERVES the earliest slot for the holder and says when it is; the same holder
   * asking again at that time gets it at once. So a burst of N waiting sends wakes up N times in
   * all, each when its slot frees, instead of all of them at every free slot (a thundering herd).
   * A reservation is single-use: asking again after it was granted takes a new slot.
   * Without a holder nothing is reserved: the caller just learns how long to wait.
   */
  holder?: string;
}

/**
 * The narrow interface senders use. One implementation (Redis) is shared by every replica.
 *
 * - `acquire(key, limits, cost, opts)`: takes `cost` slots from every limit of `key`, or none at all
 *   and says how long until they are available (reserving them when `opts.holder` is given).
 *   With several keys (an app message to N people) all keys are checked and charged atomically:
 *   each person pays `cost`, or nobody does. Call `sent()` on the grant after the platform call.
 * - `penalize(key, ms)`: the platform said "too fast" anyway (another system shares the robot, or
 *   its clock disagrees): nobody gets a slot for `key` for `ms`.
 */
export interface RateLimiter {
  acquire(key: string | string[], limits: RateLimit[], cost?: number, opts?: AcquireOptions): Promise<AcquireResult>;
  penalize(key: string, ms: number): Promise<void>;
}

// Shared head of both scripts: server time and argument decoding.
// KEYS, per key k (stride = 1 + limits): [block_k, zset_k_limit1, zset_k_limit2, ...]
// ARGV: cost, grant id, number of keys, number of limits, then max_i and window_i per limit, then holder.
const LUA_HEAD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local uid = ARGV[2]
local nKeys = tonumber(ARGV[3])
local nLimits = tonumber(ARGV[4])
local holder = ARGV[5 + 2 * nLimits]
local stride = nLimits + 1
local function maxOf(l) return tonumber(ARGV[3 + l * 2]) end
local function winOf(l) return tonumber(ARGV[4 + l * 2]) end
local function zkey(k, l) return KEYS[k * stride + 1 + l] end
local function keepFor(key, ms)
  if redis.call('PTTL', key) < ms then redis.call('PEXPIRE', key, ms) end
end
`;

/**
 * Sliding-window log per key and window, atomic across replicas. One sorted-set entry per slot
 * taken or reserved (score = its time), so memory is bounded by `max` per key and window plus
 * the reservations ahead.
 *
 * A new slot is granted (or reserved) at the earliest `at` with, for every key and limit,
 *   at >= now, at >= the end of a penalty block, at >= the latest entry (reservations in order),
 *   at >= e[n - max + cost - 1] + window (enough entries have left the window by `at`).
 * When a holder comes back for its reservation, the window is checked again against what was
 * really sent meanwhile (entries re-stamped by `sent()`); if it is still too full, the
 * reservation moves to the precise time it fits. Returns {1, 0} granted, {0, waitMs} not yet.
 */
const ACQUIRE_LUA = `${LUA_HEAD}
local blocked = 0
for k = 0, nKeys - 1 do
  local b = redis.call('PTTL', KEYS[k * stride + 1])
  if b > blocked then blocked = b end
  for l = 1, nLimits do redis.call('ZREMRANGEBYSCORE', zkey(k, l), '-inf', now - winOf(l)) end
end

if holder ~= '' then
  local all = true
  local latest = 0
  for k = 0, nKeys - 1 do
    for l = 1, nLimits do
      local s = redis.call('ZSCORE', zkey(k, l), holder .. ':1')
      if not s then all = false elseif tonumber(s) > latest then latest = tonumber(s) end
    end
  end
  if all then
    local wait = latest - now
    if blocked > wait then wait = blocked end
    if wait > 0 then return {0, wait} end
  end
  -- Claim (or drop a partial leftover): take the holder's entries out, then check what is left.
  for k = 0, nKeys - 1 do
    for l = 1, nLimits do
      for c = 1, cost do redis.call('ZREM', zkey(k, l), holder .. ':' .. c) end
    end
  end
  if all then
    local wait = 0
    for k = 0, nKeys - 1 do
      for l = 1, nLimits do
        local key = zkey(k, l)
        local lo = '(' .. (now - winOf(l))
        local cnt = redis.call('ZCOUNT', key, lo, now)
        if cnt + cost > maxOf(l) then
          local e = redis.call('ZRANGEBYSCORE', key, lo, now, 'WITHSCORES', 'LIMIT', cnt + cost - maxOf(l) - 1, 1)
          local w = tonumber(e[2]) + winOf(l) - now
          if w > wait then wait = w end
        end
      end
    end
    local member = uid
    if wait > 0 then member = holder end
    for k = 0, nKeys - 1 do
      for l = 1, nLimits do
        for c = 1, cost do redis.call('ZADD', zkey(k, l), now + wait, member .. ':' .. c) end
        keepFor(zkey(k, l), wait + winOf(l))
      end
    end
    if wait > 0 then return {0, wait} end
    return {1, 0}
  end
end

local at = now + blocked
for k = 0, nKeys - 1 do
  for l = 1, nLimits do
    local key = zkey(k, l)
    local n = redis.call('ZCARD', key)
    if n > 0 then
      local last = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
      if last > at then at = last end
      local idx = n - maxOf(l) + cost - 1
      if idx >= 0 then
        local e = tonumber(redis.call('ZRANGE', key, idx, idx, 'WITHSCORES')[2]) + winOf(l)
        if e > at then at = e end
      end
    end
  end
end
if at > now and holder == '' then return {0, at - now} end
local member = uid
if at > now then member = holder end
for k = 0, nKeys - 1 do
  for l = 1, nLimits do
    for c = 1, cost do redis.call('ZADD', zkey(k, l), at, member .. ':' .. c) end
    keepFor(zkey(k, l), at - now + winOf(l))
  end
end
if at > now then return {0, at - now} end
return {1, 0}
`;

/** Re-stamps a grant's entries with the current time (never earlier than they were). */
const SENT_LUA = `${LUA_HEAD}
for k = 0, nKeys - 1 do
  for l = 1, nLimits do
    local key = zkey(k, l)
    for c = 1, cost do
      local s = redis.call('ZSCORE', key, uid .. ':' .. c)
      if s and tonumber(s) < now then redis.call('ZADD', key, now, uid .. ':' .. c) end
    end
    keepFor(key, winOf(l))
  end
end
return 1
`;

/** Largest number of keys one acquire may charge (an app message goes to at most 1000 people). */
const MAX_KEYS = 1000;

type ScriptFn = (...a: unknown[]) => Promise<unknown>;

export class RedisRateLimiter implements RateLimiter {
  /**
   * @param redis any ioredis connection (commands only, no blocking calls)
   * @param prefix namespace for the limiter's keys, e.g. `<NAMESPACE>:rl`
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    const r = redis as unknown as Record<string, unknown>;
    if (!r.zsRlAcquire) redis.defineCommand('zsRlAcquire', { lua: ACQUIRE_LUA });
    if (!r.zsRlSent) redis.defineCommand('zsRlSent', { lua: SENT_LUA });
  }

  async acquire(key: string | string[], limits: RateLimit[], cost = 1, opts: AcquireOptions = {}): Promise<AcquireResult> {
    const keys = [...new Set(Array.isArray(key) ? key : [key])];
    if (keys.length === 0 || limits.length === 0) return { ok: true, sent: async () => undefined };
    if (keys.length > MAX_KEYS) throw new RangeError(`at most ${MAX_KEYS} keys per acquire`);
    if (!Number.isInteger(cost) || cost < 1) throw new RangeError('cost must be a positive integer');
    for (const l of limits) {
      if (!Number.isInteger(l.max) || l.max < 1 || !Number.isInteger(l.windowMs) || l.windowMs < 1) {
        throw new RangeError('limits need an integer max >= 1 and windowMs >= 1');
      }
      // It could never be granted: fail loudly rather than wait forever.
      if (cost > l.max) throw new RangeError(`cost ${cost} exceeds the limit of ${l.max} per ${l.windowMs} ms`);
    }
    const redisKeys: string[] = [];
    for (const k of keys) {
      redisKeys.push(`${this.prefix}:${k}:block`);
      for (const l of limits) redisKeys.push(`${this.prefix}:${k}:w${l.windowMs}`);
    }
    const uid = randomUUID();
    const args: (string | number)[] = [cost, uid, keys.length, limits.length];
    for (const l of limits) args.push(l.max, l.windowMs);
    args.push(opts.holder ?? '');
    const script = (name: string) => (this.redis as unknown as Record<string, ScriptFn>)[name];
    const r = (await script('zsRlAcquire').call(this.redis, redisKeys.length, ...redisKeys, ...args)) as [number, number];
    if (r[0] !== 1) return { ok: false, retryAfterMs: Math.max(1, Number(r[1])) };
    return {
      ok: true,
      sent: async () => {
        await script('zsRlSent').call(this.redis, redisKeys.length, ...redisKeys, ...args);
      },
    };
  }

  async penalize(key: string, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    // Only ever lengthens an existing block.
    await this.redis.eval(
      `local ttl = redis.call('PTTL', KEYS[1]) if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 1`,
      1,
      `${this.prefix}:${key}:block`,
      Math.ceil(ms),
    );
  }
}

/**
 * acquire, but waits in place when the slot is only a moment away (a claim that arrives a few
 * milliseconds before the window really has room) instead of handing the job back to the queue,
 * whose round trip costs more than the wait. Longer waits are returned to the caller as usual.
 */
export async function acquireSoon(
  limiter: RateLimiter,
  key: string | string[],
  limits: RateLimit[],
  opts: AcquireOptions & { cost?: number; inlineWaitMs?: number } = {},
): Promise<AcquireResult> {
  const inline = opts.inlineWaitMs ?? 250;
  let waited = 0;
  for (;;) {
    const r = await limiter.acquire(key, limits, opts.cost ?? 1, { holder: opts.holder });
    if (r.ok || r.retryAfterMs > inline - waited) return r;
    waited += r.retryAfterMs;
    await new Promise((res) => setTimeout(res, r.retryAfterMs));
  }
}
