import type Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * Replay protection for AI bot callbacks. WeCom's nonce is unique for two hours and the
 * gateway refuses timestamps more than an hour off, so remembering each nonce for a bit over
 * two hours catches every replay.
 *
 * WeCom retries a callback that was not answered 200 within 5 s by sending the same request
 * again; an identical request (same signature) within `retryWindowMs` of the first is that
 * retry and goes on to the msgid deduplication. The same nonce with another signature, or the
 * same request later, is a replay.
 */
export type NonceVerdict = 'fresh' | 'retry' | 'replay';

export const NONCE_TTL_MS = 2 * 3600_000 + 5 * 60_000;
/** Callbacks whose timestamp is further than this from now are refused. */
export const MAX_TIMESTAMP_SKEW_MS = 3600_000;

export function timestampFresh(timestamp: string, now: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now - Number(timestamp) * 1000) <= MAX_TIMESTAMP_SKEW_MS;
}

/** Decides from what was stored for the nonce (`<signature>|<firstSeenMs>`). */
export function judgeNonce(stored: string | null, signature: string, now: number, retryWindowMs: number): NonceVerdict {
  if (stored === null) return 'fresh';
  const bar = stored.lastIndexOf('|');
  const storedSig = bar < 0 ? stored : stored.slice(0, bar);
  const firstSeen = bar < 0 ? 0 : Number(stored.slice(bar + 1));
  return storedSig === signature && now - firstSeen <= retryWindowMs ? 'retry' : 'replay';
}

/** A bounded in-memory map with expiry: the fallback while Redis does not answer. */
export class MemoryNonceStore {
  private readonly map = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly maxEntries = 100_000) {}

  /** SET NX semantics: returns null when stored, else the value already there. */
  setIfAbsent(key: string, value: string, ttlMs: number, now: number): string | null {
    const hit = this.map.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (hit) this.map.delete(key);
    if (this.map.size >= this.maxEntries) {
      for (const [k, v] of this.map) if (v.expiresAt <= now) this.map.delete(k);
      // Still full: forget the oldest (insertion order) down to 90 %.
      for (const k of this.map.keys()) {
        if (this.map.size < this.maxEntries * 0.9) break;
        this.map.delete(k);
      }
    }
    this.map.set(key, { value, expiresAt: now + ttlMs });
    return null;
  }
}

const SET_NX_OR_GET = `
local prev = redis.call('GET', KEYS[1])
if prev then return prev end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

export class NonceGuard {
  private readonly memory = new MemoryNonceStore();
  private redisDownLogged = false;

  constructor(
    private readonly redis: Redis | null,
    private readonly keyPrefix: string,
    private readonly retryWindowMs: number,
    private readonly logger: Logger,
    private readonly redisTimeoutMs = 1000,
  ) {}

  async check(botKey: string, nonce: string, signature: string, now = Date.now()): Promise<NonceVerdict> {
    const key = `${this.keyPrefix}:aibot:nonce:${botKey}:${nonce}`;
    const value = `${signature}|${now}`;
    let stored: string | null;
    try {
      if (!this.redis) throw new Error('no redis');
      stored = await withTimeout(
        this.redis.eval(SET_NX_OR_GET, 1, key, value, String(NONCE_TTL_MS)) as Promise<string | null>,
        this.redisTimeoutMs,
      );
      this.redisDownLogged = false;
    } catch (e) {
      // Keep answering callbacks without Redis: this replica's memory still catches replays to it.
      if (!this.redisDownLogged && this.redis) {
        this.logger.warn({ err: { message: (e as Error).message } }, 'redis unavailable; AI bot nonces are remembered in memory meanwhile');
        this.redisDownLogged = true;
      }
      stored = this.memory.setIfAbsent(key, value, NONCE_TTL_MS, now);
    }
    return judgeNonce(stored, signature, now, this.retryWindowMs);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
