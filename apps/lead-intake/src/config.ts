import { z } from 'zod';
import { baseConfigSchema, portSchema } from '@zs/platform';
import { DB_POOL_SIZES } from '@zs/persistence';

export const leadIntakeConfigSchema = baseConfigSchema.extend({
  LEAD_INTAKE_PORT: portSchema.default(3101),
  /** Chat messages processed at once by one replica. */
  INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** How long a message may stay unacknowledged before JetStream redelivers it (e.g. after a crash). */
  INBOUND_ACK_WAIT_MS: z.coerce.number().int().min(1000).max(600000).default(6000),
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(DB_POOL_SIZES['lead-intake']),
  /** How long the bot waits for the rest of a lead, a 确认 or a 确认新企业 from one member in one chat. */
  INTAKE_CONVERSATION_TTL_S: z.coerce.number().int().min(30).max(30 * 86400).default(86400),
  /** pg_trgm similarity from which a registered company is a possible duplicate of a reported one. */
  FIRST_CONTACT_SIMILARITY: z.coerce.number().min(0.1).max(0.99).default(0.45),
  /** Minutes after a stage message within which an image or file from the same member is attached to it. */
  EVIDENCE_WINDOW_MIN: z.coerce.number().int().min(1).max(1440).default(10),
  /** How often unpublished ledger events (left by a crash) are swept and published. */
  OUTBOX_SWEEP_MS: z.coerce.number().int().min(500).max(600000).default(5000),
});
export type LeadIntakeConfig = z.infer<typeof leadIntakeConfigSchema>;
