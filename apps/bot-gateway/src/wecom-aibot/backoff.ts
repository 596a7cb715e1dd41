/**
 * Reconnect delay: exponential (base · 2^(attempt-1), capped at max) with "equal jitter":
 * half the step is fixed, the other half random, so replicas and bots that lost their sockets
 * together do not reconnect in lockstep, and the delay never collapses to zero.
 *
 * @param attempt 1 for the first reconnect after a loss
 * @param random  a source in [0, 1) (injectable for tests)
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(step / 2 + (r * step) / 2);
}
