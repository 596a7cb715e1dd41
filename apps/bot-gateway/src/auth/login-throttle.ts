import type Redis from 'ioredis';

export interface LoginThrottleSettings {
  /** Redis key prefix (the NAMESPACE). */
  namespace: string;
  /** Failures of one account within the window after which sign-in is refused (the next try gets 429). */
  maxAccountFailures: number;
  /** Failures from one address within the window after which sign-in from it is refused. */
  maxAddressFailures: number;
  windowSeconds: number;
}

/**
 * Counts failed sign-ins per account and per client address in Redis (shared by every gateway
 * replica). Each counter expires `windowSeconds` after its first failure. While a counter is at
 * its limit every attempt is refused, a correct password included, so guessing cannot continue.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly s: LoginThrottleSettings,
  ) {}

  private keys(username: string, address: string): [string, string] {
    return [`${this.s.namespace}:login-fail:account:${username.toLowerCase()}`, `${this.s.namespace}:login-fail:address:${address}`];
  }

  /** Seconds until sign-in is possible again, or 0 when it is open. */
  async lockedFor(username: string, address: string): Promise<number> {
    const [ak, ik] = this.keys(username, address);
    const [[, a], [, ia], [, at], [, it]] = (await this.redis.multi().get(ak).get(ik).ttl(ak).ttl(ik).exec()) as [unknown, string | number | null][];
    const accountLocked = Number(a ?? 0) >= this.s.maxAccountFailures;
    const addressLocked = Number(ia ?? 0) >= this.s.maxAddressFailures;
    const wait = Math.max(accountLocked ? Number(at) : 0, addressLocked ? Number(it) : 0);
    return accountLocked || addressLocked ? Math.max(1, wait) : 0;
  }

  async recordFailure(username: string, address: string): Promise<void> {
    const [ak, ik] = this.keys(username, address);
    // SET NX with the expiry: the window starts at the first failure and later ones do not push it back.
    const w = this.s.windowSeconds;
    await this.redis.multi().set(ak, '0', 'EX', w, 'NX').incr(ak).set(ik, '0', 'EX', w, 'NX').incr(ik).exec();
  }

  /** A successful sign-in clears the account's counter (the address keeps its count). */
  async recordSuccess(username: string): Promise<void> {
    await this.redis.del(this.keys(username, '')[0]);
  }
}
