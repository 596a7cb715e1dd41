// When `npm start`'s supervisor starts a service again after it died: exponential backoff,
// as systemd (RestartSec with a burst limit), compose and Kubernetes (CrashLoopBackOff) do.
// A process that stayed up long enough counts as healthy again, so its next crash restarts
// quickly instead of waiting out the backoff of crashes long past.
// Pure: no timers, no processes; the supervisor in mesh.js applies it.

const DEFAULT_RESTART_POLICY = Object.freeze({
  /** Delay before the first restart after a healthy run. */
  initialMs: 500,
  /** Each consecutive crash doubles the delay … */
  factor: 2,
  /** … up to this much (Kubernetes caps CrashLoopBackOff at 5 min; locally half a minute is enough). */
  maxMs: 30000,
  /** Up this long without a crash: the crash count starts again from zero. */
  resetAfterMs: 30000,
});

/**
 * The supervisor's decision when a process exits unexpectedly.
 * @param {{ crashes: number }} state consecutive crashes so far (0 for a fresh process)
 * @param {number} upMs how long the process that just exited had been running
 * @param {Partial<typeof DEFAULT_RESTART_POLICY>} [policy]
 * @returns {{ crashes: number, delayMs: number }} the new crash count and the delay before restarting
 */
function nextRestart(state, upMs, policy = {}) {
  const p = { ...DEFAULT_RESTART_POLICY, ...policy };
  const crashes = (upMs >= p.resetAfterMs ? 0 : state.crashes) + 1;
  const delayMs = Math.min(p.maxMs, Math.round(p.initialMs * p.factor ** (crashes - 1)));
  return { crashes, delayMs };
}

module.exports = { nextRestart, DEFAULT_RESTART_POLICY };
