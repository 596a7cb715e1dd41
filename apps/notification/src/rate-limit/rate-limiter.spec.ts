import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { parseRateLimits, RedisRateLimiter, withMargin } from './index';

// Runs against the machine's real Redis (REDIS_URL), under a prefix of its own.
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Room for a loaded machine (CI on 2 cores): timers fire late, and requests meant to be simultaneous are not quite. */
const SLACK_MS = 60;

describe('RedisRateLimiter', () => {
  const prefix = `rltest-${randomBytes(4).toString('hex')}`;
  let a: Redis;
  let b: Redis;
  let limiter: RedisRateLimiter;
  /** A second replica: its own connection and limiter object, same Redis and prefix. */
  let replica: RedisRateLimiter;

  beforeAll(() => {
    a = new Redis(REDIS_URL);
    b = new Redis(REDIS_URL);
    limiter = new RedisRateLimiter(a, prefix);
    replica = new RedisRateLimiter(b, prefix);
  });

  afterAll(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length) await a.del(...keys);
    await a.quit();
    await b.quit();
  });

  const fresh = () => `k${randomBytes(3).toString('hex')}`;

  it('grants max slots in a window, then says how long until the oldest frees', async () => {
    const key = fresh();
    const limits = [{ max: 3, windowMs: 1000 }];
    for (let i = 0; i < 3; i++) expect(await limiter.acquire(key, limits)).toMatchObject({ ok: true });
    const denied = await limiter.acquire(key, limits);
    expect(denied.ok).toBe(false);
    if (denied.ok) return;
    expect(denied.retryAfterMs).toBeGreaterThan(800);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('grants again exactly when the window has slid past the oldest slot', async () => {
    const key = fresh();
    const limits = [{ max: 2, windowMs: 300 }];
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    const denied = await limiter.acquire(key, limits);
    if (denied.ok) throw new Error('expected a denial');
    await sleep(denied.retryAfterMs + SLACK_MS);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    // The second slot was taken within SLACK_MS of the first: it is free too, the third is not.
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    expect((await limiter.acquire(key, limits)).ok).toBe(false);
  });

  it('enforces every limit of a key (per minute AND per hour) and reports the longest wait', async () => {
    const key = fresh();
    const limits = [
      { max: 5, windowMs: 200 },
      { max: 7, windowMs: 5000 },
    ];
    for (let i = 0; i < 5; i++) expect((await limiter.acquire(key, limits)).ok).toBe(true);
    const short = await limiter.acquire(key, limits);
    if (short.ok) throw new Error('expected a denial');
    expect(short.retryAfterMs).toBeLessThanOrEqual(200);
    // A whole short window after the denial: all five have slid out of it, none out of the long one.
    await sleep(200 + SLACK_MS);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    // 7 taken within 5 s: now the long window is the one that blocks.
    const long = await limiter.acquire(key, limits);
    if (long.ok) throw new Error('expected a denial');
    expect(long.retryAfterMs).toBeGreaterThan(4000);
  });

  it('charges a cost, and never grants a cost that cannot fit', async () => {
    const key = fresh();
    const limits = [{ max: 4, windowMs: 1000 }];
    expect((await limiter.acquire(key, limits, 3)).ok).toBe(true);
    expect((await limiter.acquire(key, limits, 2)).ok).toBe(false);
    expect((await limiter.acquire(key, limits, 1)).ok).toBe(true);
    await expect(limiter.acquire(key, limits, 5)).rejects.toThrow(RangeError);
  });

  it('charges several keys all or nothing (an app message to several people)', async () => {
    const [x, y, z] = [fresh(), fresh(), fresh()];
    const limits = [{ max: 2, windowMs: 2000 }];
    expect((await limiter.acquire(y, limits)).ok).toBe(true);
    expect((await limiter.acquire(y, limits)).ok).toBe(true);
    // y is full: nobody is charged.
    expect((await limiter.acquire([x, y, z], limits)).ok).toBe(false);
    expect((await limiter.acquire([x, z], limits)).ok).toBe(true);
    expect((await limiter.acquire([x, z], limits)).ok).toBe(true);
    expect((await limiter.acquire(x, limits)).ok).toBe(false);
  });

  it('is atomic across replicas: 60 concurrent requests from two connections get exactly max slots', async () => {
    const key = fresh();
    const limits = [{ max: 20, windowMs: 10_000 }];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? limiter : replica).acquire(key, limits)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    const waits = results.flatMap((r) => (r.ok ? [] : [r.retryAfterMs]));
    expect(Math.min(...waits)).toBeGreaterThan(9000);
  });

  it('penalize blocks a key for a while, only lengthening an existing block', async () => {
    const key = fresh();
    const limits = [{ max: 100, windowMs: 1000 }];
    await limiter.penalize(key, 400);
    await replica.penalize(key, 100);
    const r = await limiter.acquire(key, limits);
    if (r.ok) throw new Error('expected a denial');
    expect(r.retryAfterMs).toBeGreaterThan(250);
    await sleep(r.retryAfterMs + 5);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
  });

  it('reserves the earliest slot for a holder, who then gets it at once, exactly once', async () => {
    const key = fresh();
    const limits = [{ max: 2, windowMs: 400 }];
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    expect((await limiter.acquire(key, limits)).ok).toBe(true);
    const a = await limiter.acquire(key, limits, 1, { holder: 'job-a#0' });
    const b = await replica.acquire(key, limits, 1, { holder: 'job-b#0' });
    const c = await limiter.acquire(key, limits, 1, { holder: 'job-c#0' });
    if (a.ok || b.ok || c.ok) throw new Error('expected reservations');
    // a and b take the two slots freeing at ~400 ms, c the first one after them (~800 ms).
    expect(a.retryAfterMs).toBeLessThanOrEqual(400);
    expect(b.retryAfterMs).toBeLessThanOrEqual(400);
    expect(c.retryAfterMs).toBeGreaterThan(700);
    // Asking early just says how long is left; the reservation stays.
    const early = await limiter.acquire(key, limits, 1, { holder: 'job-a#0' });
    expect(early.ok).toBe(false);
    // Nobody without a reservation can jump the queue.
    await sleep(Math.max(a.retryAfterMs, b.retryAfterMs));
    const outsider = await limiter.acquire(key, limits);
    expect(outsider.ok).toBe(false);
    expect((await limiter.acquire(key, limits, 1, { holder: 'job-a#0' })).ok).toBe(true);
    expect((await replica.acquire(key, limits, 1, { holder: 'job-b#0' })).ok).toBe(true);
    // Single use: a second grant for the same holder needs a new slot.
    expect((await limiter.acquire(key, limits, 1, { holder: 'job-a#0' })).ok).toBe(false);
  });

  it('spreads a burst of holders over the windows: each comes back when its own slot frees', async () => {
    const key = fresh();
    const limits = [{ max: 5, windowMs: 1000 }];
    const first = await Promise.all(Array.from({ length: 15 }, (_, i) => limiter.acquire(key, limits, 1, { holder: `h${i}` })));
    expect(first.filter((r) => r.ok)).toHaveLength(5);
    const waits = first.flatMap((r) => (r.ok ? [] : [r.retryAfterMs])).sort((x, y) => x - y);
    expect(waits.slice(0, 5).every((w) => w > 1000 - 4 * SLACK_MS && w <= 1000)).toBe(true);
    expect(waits.slice(5).every((w) => w > 2000 - 4 * SLACK_MS && w <= 2000)).toBe(true);
    // Each comes back at its time and is served, at worst after a few more milliseconds: a grant
    // counts from when it was granted, a little after its reserved time.
    const extra = await Promise.all(
      first.map(async (r, i) => {
        if (r.ok) return 0;
        await sleep(r.retryAfterMs);
        let waited = 0;
        for (;;) {
          const again = await limiter.acquire(key, limits, 1, { holder: `h${i}` });
          if (again.ok) return waited;
          waited += again.retryAfterMs;
          await sleep(again.retryAfterMs);
        }
      }),
    );
    expect(Math.max(...extra)).toBeLessThan(2 * SLACK_MS);
  });

  it('reserves across several keys at once', async () => {
    const [x, y] = [fresh(), fresh()];
    const limits = [{ max: 1, windowMs: 200 }];
    expect((await limiter.acquire(y, limits)).ok).toBe(true);
    const r = await limiter.acquire([x, y], limits, 1, { holder: 'multi' });
    if (r.ok) throw new Error('expected a reservation');
    // x is reserved too, in step with y: nobody else gets x now.
    expect((await limiter.acquire(x, limits)).ok).toBe(false);
    await sleep(r.retryAfterMs + 5);
    expect((await limiter.acquire([x, y], limits, 1, { holder: 'multi' })).ok).toBe(true);
  });

  it('measures later slots from when the platform answered (sent), even for slots already reserved', async () => {
    const key = fresh();
    const limits = [{ max: 1, windowMs: 1000 }];
    const a = await limiter.acquire(key, limits);
    if (!a.ok) throw new Error('expected a grant');
    const b = await limiter.acquire(key, limits, 1, { holder: 'late-answer' });
    if (b.ok) throw new Error('expected a reservation');
    expect(b.retryAfterMs).toBeGreaterThan(1000 - 2 * SLACK_MS);
    // The platform took 400 ms to answer a: its slot now counts from then.
    await sleep(400);
    await a.sent();
    await sleep(b.retryAfterMs - 400);
    const claim = await limiter.acquire(key, limits, 1, { holder: 'late-answer' });
    if (claim.ok) throw new Error('the window still holds a, as the platform counts it');
    expect(claim.retryAfterMs).toBeGreaterThan(400 - 3 * SLACK_MS);
    expect(claim.retryAfterMs).toBeLessThanOrEqual(410);
    await sleep(claim.retryAfterMs + 5);
    expect((await limiter.acquire(key, limits, 1, { holder: 'late-answer' })).ok).toBe(true);
  });

  it('keeps no more than one entry per slot and expires idle keys', async () => {
    const key = fresh();
    await limiter.acquire(key, [{ max: 10, windowMs: 500 }], 3);
    expect(await a.zcard(`${prefix}:${key}:w500`)).toBe(3);
    const ttl = await a.pttl(`${prefix}:${key}:w500`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(500);
  });
});

describe('parseRateLimits', () => {
  it('reads max/window lists with units', () => {
    expect(parseRateLimits('20/60s')).toEqual([{ max: 20, windowMs: 60_000 }]);
    expect(parseRateLimits('30/1m, 1000/1h')).toEqual([
      { max: 30, windowMs: 60_000 },
      { max: 1000, windowMs: 3_600_000 },
    ]);
    expect(parseRateLimits('5/3000ms')).toEqual([{ max: 5, windowMs: 3000 }]);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '20', '20/', '/60s', '20/60', '0/60s', '20/60x', '-1/60s']) {
      expect(() => parseRateLimits(bad)).toThrow();
    }
  });

  it('adds the safety margin to every window', () => {
    expect(withMargin(parseRateLimits('20/60s,100/1h'), 500)).toEqual([
      { max: 20, windowMs: 60_500 },
      { max: 100, windowMs: 3_600_500 },
    ]);
  });
});
