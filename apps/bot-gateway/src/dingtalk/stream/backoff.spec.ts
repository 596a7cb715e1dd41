import { Backoff, backoffDelay } from './backoff';

describe('Stream reconnect backoff', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per failure, between half and all of the step (equal jitter)', () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const step = 1000 * 2 ** attempt;
      expect(backoffDelay(attempt, { ...opts, random: () => 0 })).toBe(step / 2);
      expect(backoffDelay(attempt, { ...opts, random: () => 0.999999 })).toBe(step);
    }
  });

  it('never exceeds the cap, however many failures', () => {
    for (const attempt of [6, 7, 10, 30, 1000]) {
      const d = backoffDelay(attempt, { ...opts, random: () => 0.999999 });
      expect(d).toBeLessThanOrEqual(60_000);
      expect(d).toBeGreaterThanOrEqual(30_000);
    }
  });

  it('spreads replicas that failed together (jitter is real)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, opts)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16000);
    }
  });

  it('never waits zero, even on the first retry', () => {
    expect(backoffDelay(0, { ...opts, random: () => 0 })).toBeGreaterThan(0);
  });

  it('counts consecutive failures and starts over after reset', () => {
    const b = new Backoff({ ...opts, random: () => 0 });
    expect([b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000]);
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(500);
  });
});
