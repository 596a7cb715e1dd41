import type Redis from 'ioredis';

/**
 * WeCom keeps one long connection per AI bot: a second one makes it drop the first. With
 * several gateway replicas exactly one must hold each bot's socket, so the holder keeps a
 * Redis lease (renewed well before it lapses); the others stand by and take over within one
 * lease period when the holder dies, at once when it shuts down and releases the lease.
 */
const ACQUIRE_OR_RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class RedisLease {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly owner: string,
    readonly ttlMs: number,
  ) {}

  /** True while this owner holds the lease (acquired now or renewed). */
  async acquireOrRenew(): Promise<boolean> {
    const r = await this.redis.eval(ACQUIRE_OR_RENEW, 1, this.key, this.owner, String(this.ttlMs));
    return Number(r) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }
}
