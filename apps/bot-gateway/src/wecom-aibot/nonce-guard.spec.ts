import pino from 'pino';
import { backoffDelay } from './backoff';
import { judgeNonce, MemoryNonceStore, NONCE_TTL_MS, NonceGuard, timestampFresh } from './nonce-guard';

describe('nonce replay protection', () => {
  const now = 1_750_000_000_000;

  it('accepts a fresh nonce, the identical request within the retry window, and nothing else', () => {
    expect(judgeNonce(null, 'sig', now, 60_000)).toBe('fresh');
    expect(judgeNonce(`sig|${now - 10_000}`, 'sig', now, 60_000)).toBe('retry');
    expect(judgeNonce(`sig|${now - 61_000}`, 'sig', now, 60_000)).toBe('replay');
    expect(judgeNonce(`other|${now}`, 'sig', now, 60_000)).toBe('replay');
  });

  it('refuses timestamps more than an hour from now, and non-numeric ones', () => {
    const ts = (ms: number) => String(Math.floor(ms / 1000));
    expect(timestampFresh(ts(now), now)).toBe(true);
    expect(timestampFresh(ts(now - 59 * 60_000), now)).toBe(true);
    expect(timestampFresh(ts(now - 61 * 60_000), now)).toBe(false);
    expect(timestampFresh(ts(now + 61 * 60_000), now)).toBe(false);
    expect(timestampFresh('12ab', now)).toBe(false);
    expect(timestampFresh('', now)).toBe(false);
  });

  it('remembers nonces longer than the timestamp window allows a replay', () => {
    expect(NONCE_TTL_MS).toBeGreaterThan(2 * 3600_000);
  });

  it('keeps working in memory without Redis', async () => {
    const guard = new NonceGuard(null, 'ns', 60_000, pino({ level: 'silent' }));
    expect(await guard.check('bot', 'n1', 'sig', now)).toBe('fresh');
    expect(await guard.check('bot', 'n1', 'sig', now + 5000)).toBe('retry');
    expect(await guard.check('bot', 'n1', 'sig2', now + 5000)).toBe('replay');
    expect(await guard.check('other-bot', 'n1', 'sig2', now)).toBe('fresh');
  });

  it('bounds the in-memory store and expires entries', () => {
    const store = new MemoryNonceStore(10);
    for (let i = 0; i < 25; i++) expect(store.setIfAbsent(`k${i}`, 'v', 1000, now)).toBeNull();
    expect(store.setIfAbsent('k24', 'v2', 1000, now)).toBe('v');
    expect(store.setIfAbsent('k24', 'v3', 1000, now + 1001)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, between half and all of each step', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, 1000, 30_000, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect([1, 2, 3, 10].map((a) => backoffDelay(a, 1000, 30_000, () => 0.999999))).toEqual([1000, 2000, 4000, 30_000]);
  });

  it('spreads simultaneous reconnects', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1000, 30_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it('treats attempt numbers below one as the first', () => {
    expect(backoffDelay(0, 100, 1000, () => 0)).toBe(50);
  });
});
