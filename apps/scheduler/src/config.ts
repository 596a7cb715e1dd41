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
  /** DingTalk robot code used for 1:1 pushes to members without a WeCom id */
  DINGTALK_CLIENT_ID: z.string().optional(),
});
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;
