// Per-key timestamp logs for sliding-window rate limits.
export class SlidingWindowLog {
  private readonly logs = new Map<string, number[]>();

  /** Events for key within the last windowMs before now. */
  count(key: string, now: number, windowMs: number): number {
    const log = this.logs.get(key);
    if (!log) return 0;
    const from = now - windowMs;
    // Logs are appended in time order (the clock may be injected, so do not assume strictly).
    let n = 0;
    for (let i = log.length - 1; i >= 0; i--) {
      if (log[i] > from) n++;
      else break;
    }
    return n;
  }

  /** Records an event; entries older than horizonMs are forgotten. */
  add(key: string, now: number, horizonMs: number): void {
    let log = this.logs.get(key);
    if (!log) {
      log = [];
      this.logs.set(key, log);
    }
    log.push(now);
    const from = now - horizonMs;
    let drop = 0;
    while (drop < log.length && log[drop] <= from) drop++;
    if (drop) log.splice(0, drop);
  }

  clear(): void {
    this.logs.clear();
  }
}
