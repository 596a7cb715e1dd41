import os from 'os';
import { z } from 'zod';
import { baseConfigSchema, portSchema } from '@zs/platform';

export const schedulerConfigSchema = baseConfigSchema.extend({
  SCHEDULER_PORT: portSchema.default(3104),
  /** this replica's name in run records (claimed_by); defaults to host and pid */
  SCHEDULER_REPLICA_ID: z.string().min(1).max(64).default(`${os.hostname()}-${process.pid}`),
  /** longest wait between two looks at the clock; slots are also timed exactly with a timer */
  SCHEDULER_TICK_MS: z.coerce.number().int().min(50).max(5000).default(500),
  /** a run whose replica died is taken over by another after this long */
  SCHEDULER_LEASE_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
  /** safety net behind the change broadcast: every replica re-reads changed schedules this often */
  SCHEDULER_POLL_MS: z.coerce.number().int().min(200).max(600000).default(5000),
  /** pending digest pushes (after quiet hours) are looked at this often */
  SCHEDULER_FLUSH_MS: z.coerce.number().int().min(200).max(600000).default(30000),
  /**
   * Overrides the profile's quiet hours: "off", or "HH:MM-HH:MM" (operations and tests; the
   * city's rule lives in its profile).
   */
  SCHEDULER_QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'must be "off" or HH:MM-HH:MM')
    .optional(),
  /** DingTalk robot code used for 1:1 pushes to members without a WeCom id */
  DINGTALK_CLIENT_ID: z.string().optional(),
});
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

/** The quiet hours in force: the override when given, else the profile's. */
export function quietHoursOf(config: SchedulerConfig, profileQuiet: { start: string; end: string } | null | undefined) {
  if (config.SCHEDULER_QUIET_HOURS === 'off') return null;
  if (config.SCHEDULER_QUIET_HOURS) {
    const [start, end] = config.SCHEDULER_QUIET_HOURS.split('-');
    return { start, end };
  }
  return profileQuiet ?? null;
}
