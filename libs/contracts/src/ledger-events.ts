import { z } from 'zod';

/**
 * Project-ledger events, published by lead-intake on the EVENTS stream (JetStream msgID in
 * parentheses) and consumed by scoring (its read model) and the scheduler. Every event carries
 * the lead's full current state after the change (`lead`) so a consumer can upsert its read
 * model idempotently from any one event, in any order: the one with the highest `version` wins.
 *
 * Subjects (see namesFor().subjects):
 *   leadRegistered   `<ns>.events.lead.registered`      (`lead-registered:<leadId>`)
 *   leadStageChanged `<ns>.events.lead.stage-changed`   (`lead-stage:<leadId>:<version>`)
 *   leadTransferred  `<ns>.events.lead.transferred`     (`lead-transfer:<leadId>:<version>`)
 *   leadUpdated      `<ns>.events.lead.updated`         (`lead-updated:<leadId>:<version>`) corrections
 */
export const LEAD_STAGES = ['lead', 'negotiating', 'signed', 'started', 'producing', 'terminated'] as const;
export const LeadStage = z.enum(LEAD_STAGES);
export type LeadStage = z.infer<typeof LeadStage>;

/** The lead as the ledger holds it after a change. Amounts in 万元 (CNY, converted where the original was USD). */
export const LeadSnapshot = z.object({
  leadId: z.string(),
  code: z.string(),
  companyName: z.string(),
  /** The unit that owns the project now (after any transfer). */
  ownerUnitId: z.string(),
  /** The unit that made first contact; keeps first-contact credit across transfers. */
  firstContactUnitId: z.string(),
  tier: z.string(),
  projectTypes: z.array(z.string()),
  industry: z.string().nullable(),
  plannedAmountWan: z.number().nullable(),
  stage: LeadStage,
  /** ms since epoch of the date each stage was reached, when it was. */
  stageDates: z.record(LeadStage, z.number().int()).default({}),
  signedAmountWan: z.number().nullable(),
  /** Cumulative capital in place (到位资金) to date. */
  capitalInPlaceWan: z.number().nullable(),
  registeredAt: z.number().int(),
  /** Monotonic per lead: incremented by every change. */
  version: z.number().int().nonnegative(),
  updatedAt: z.number().int(),
});
export type LeadSnapshot = z.infer<typeof LeadSnapshot>;

export const LeadStageChangedEvent = z.object({
  lead: LeadSnapshot,
  from: LeadStage,
  to: LeadStage,
  /** The date the stage was reached (as stated by the official), ms since epoch. */
  date: z.number().int(),
  /** Capital put in place by this change (for `到位` records), 万元. */
  capitalDeltaWan: z.number().nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
  byMemberId: z.string().nullable(),
});
export type LeadStageChangedEvent = z.infer<typeof LeadStageChangedEvent>;

export const LeadTransferredEvent = z.object({
  lead: LeadSnapshot,
  fromUnitId: z.string(),
  toUnitId: z.string(),
  reason: z.string().max(2000),
  at: z.number().int(),
  byMemberId: z.string().nullable(),
});
export type LeadTransferredEvent = z.infer<typeof LeadTransferredEvent>;

export const LeadUpdatedEvent = z.object({ lead: LeadSnapshot, fields: z.array(z.string()), at: z.number().int() });
export type LeadUpdatedEvent = z.infer<typeof LeadUpdatedEvent>;
