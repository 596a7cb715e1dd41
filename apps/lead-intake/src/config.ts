import { z } from 'zod';
import { baseConfigSchema, portSchema } from '@zs/platform';
import { DB_POOL_SIZES } from '@zs/persistence';

export const leadIntakeConfigSchema = baseConfigSchema.extend({
  LEAD_INTAKE_PORT: portSchema.default(3101),
  /** Chat messages processed at once by one replica. */
  INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** How long a message may stay unacknowledged before JetStream redelivers it (e.g. after a crash). */
  INBOUND_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(DB_POOL_SIZES['lead-intake']),
});
export type LeadIntakeConfig = z.infer<typeof leadIntakeConfigSchema>;
