import { counter, histogram } from '@zs/platform';

/**
 * Slots this replica claimed and fired, or recorded as missed, by schedule kind and trigger
 * (`slot`: the cron came round; `once`: a one-off time). Only the replica whose claim won counts a
 * firing, so the sum over replicas is the number of firings. Runs asked for by an administrator
 * ("run now") are not slots and are not counted here.
 */
export const scheduleFirings = counter({
  name: 'zs_schedule_firings_total',
  help: 'Schedule slots claimed and fired (outcome=fired) or recorded as missed beyond grace (outcome=missed), by kind and trigger',
  labelNames: ['kind', 'trigger', 'outcome'] as const,
});

/**
 * From a slot's time to its claim: how late the clock fired it. A busy machine shows as tens of
 * milliseconds; seconds to minutes mean every replica was down (fired late within grace).
 */
export const scheduleFireDelaySeconds = histogram({
  name: 'zs_schedule_fire_delay_seconds',
  help: 'Delay from a schedule slot to its firing, by kind and trigger',
  labelNames: ['kind', 'trigger'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
});

export function countFiring(kind: string, trigger: 'slot' | 'once', delayMs: number): void {
  scheduleFirings.inc({ kind, trigger, outcome: 'fired' });
  scheduleFireDelaySeconds.observe({ kind, trigger }, Math.max(0, delayMs) / 1000);
}
