/**
 * Reconnect delays: exponential growth, capped, with "equal jitter" (half fixed, half
 * random), so a fleet of replicas that lost DingTalk at the same moment does not come
 * back in lock-step, and no delay collapses to zero (which full jitter allows).
 */
export interface BackoffOptions {
  /** Delay before the first retry's growth (ms). */
  baseMs: number;
  /** Upper bound of any delay (ms). */
  maxMs: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0 = the first retry after a failure). */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const random = opts.random ?? Math.random;
  const n = Math.max(0, Math.min(Math.floor(attempt), 30));
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** n);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

/** Counts consecutive failures; a connection that stayed up long enough resets it. */
export class Backoff {
  private failures = 0;

  constructor(private readonly opts: BackoffOptions) {}

  /** The delay for the next attempt after a failure, and count it. */
  next(): number {
    const d = backoffDelay(this.failures, this.opts);
    this.failures++;
    return d;
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
