import { z } from 'zod';

/**
 * Scoring's request/reply subjects beyond the four shared ones in `Rpc` (publish, rankings,
 * accountability, reporting status), and the shapes of its admin inputs and its events.
 * Derived from NAMESPACE at import time, like `Rpc` (docs/adr/0003).
 */
const NS = process.env.NAMESPACE || 'zs';
export const ScoringRpc = {
  indicators: `${NS}.rpc.scoring.indicators.list`,
  targetsPut: `${NS}.rpc.scoring.targets.put`,
  targetsGet: `${NS}.rpc.scoring.targets.get`,
  actualsPut: `${NS}.rpc.scoring.actuals.put`,
  actualsGet: `${NS}.rpc.scoring.actuals.get`,
  exemptionsPut: `${NS}.rpc.scoring.exemptions.put`,
  template: `${NS}.rpc.scoring.sheets.template`,
  upload: `${NS}.rpc.scoring.sheets.upload`,
  rankingSheet: `${NS}.rpc.scoring.rankings.sheet`,
  rewards: `${NS}.rpc.scoring.rewards.list`,
  interviewHeld: `${NS}.rpc.scoring.accountability.held`,
} as const;

/** A unit named by id (numeric string) or by name / alias / profile key. */
const unitRef = z.union([z.string().trim().min(1).max(64), z.number().int().positive().transform(String)]);
const figure = z.number().finite().min(-1e12).max(1e12);

export const TargetsInput = z
  .object({ targets: z.array(z.object({ unit: unitRef, indicator: z.string().min(1).max(64), value: figure }).strict()).min(1).max(20000) })
  .strict();
export type TargetsInput = z.infer<typeof TargetsInput>;

export const ActualsInput = z
  .object({ values: z.array(z.object({ unit: unitRef, indicator: z.string().min(1).max(64), value: figure }).strict()).min(1).max(20000) })
  .strict();
export type ActualsInput = z.infer<typeof ActualsInput>;

export const ExemptionsInput = z
  .object({ exemptions: z.array(z.object({ unit: unitRef, reason: z.string().trim().min(2).max(500) }).strict()).max(1000) })
  .strict();
export type ExemptionsInput = z.infer<typeof ExemptionsInput>;

export const InterviewHeldInput = z
  .object({ heldAt: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'heldAt must be a date like 2026-04-12'), note: z.string().max(2000).optional() })
  .strict();
export type InterviewHeldInput = z.infer<typeof InterviewHeldInput>;

/** Published on `rankingPublished` (msgID `ranking-published:<period>:<version>`). */
export const RankingPublishedEvent = z.object({
  period: z.string(),
  version: z.number().int().positive(),
  publishedAt: z.number().int(),
  groups: z.array(z.object({ group: z.string(), units: z.array(z.object({ unit: z.string(), rank: z.number().nullable(), score: z.number().nullable() })) })),
  changes: z.array(z.string()),
});
export type RankingPublishedEvent = z.infer<typeof RankingPublishedEvent>;

/**
 * Published on `accountabilityRaised` when the ladder raises an action (msgID `accountability:<id>`)
 * and on `accountabilityHeld` when the interview is recorded as held (msgID
 * `accountability:<id>:held:<heldAt>`), both from scoring's outbox (written in the same transaction as the
 * action). The scheduler owns the alert: it sends the first 约谈提醒 to the people named (the
 * unit's members holding `intervieweeRole`, the leaders holding `convenerPost`) and repeats it daily
 * while the action is open.
 */
export const AccountabilityRaisedEvent = z.object({
  id: z.string(),
  period: z.string(),
  /** profile key (or `unit-<id>`) */
  unit: z.string(),
  /** directory id (units.id) */
  unitId: z.string().optional(),
  unitName: z.string().optional(),
  action: z.string(),
  actionType: z.string().optional(),
  convener: z.string(),
  /** the leader post (members.leader_post) that convenes, from the profile's ladder */
  convenerPost: z.string().nullable().optional(),
  interviewee: z.string(),
  /** head, deputy, or unit (its head and deputy), from the profile's ladder */
  intervieweeRole: z.enum(['head', 'deputy', 'unit']).optional(),
  reason: z.string(),
  deadline: z.string().nullable(),
  status: z.enum(['open', 'held']).optional(),
  heldAt: z.string().nullable().optional(),
  /** when scoring raised the action (ms): a raise replayed long after (a new consumer reading history) is not alerted at once */
  raisedAt: z.number().optional(),
});
export type AccountabilityRaisedEvent = z.infer<typeof AccountabilityRaisedEvent>;

/** `Rpc.scoringReportingStatus` {period} → which ranked units have (not) reported each reported indicator. */
export interface ReportingStatusView {
  period: string;
  reported: ReportingUnit[];
  missing: ReportingUnit[];
}
export interface ReportingUnit {
  /** directory id (units.id), for finding the unit's members */
  unitId: string;
  /** profile key (or `unit-<id>`) */
  unit: string;
  unitName: string;
  missingIndicators: { key: string; name: string }[];
}

/** `Rpc.scoringAccountability` {year} → the actions raised for periods of that year. */
export interface AccountabilityActionView {
  id: string;
  period: string;
  unit: string;
  unitName: string;
  /** the profile rule's key, e.g. quarterly-interview */
  action: string;
  actionType: string;
  convener: string;
  interviewee: string;
  reason: string;
  /** YYYY-MM-DD or null */
  deadline: string | null;
  status: 'open' | 'held';
  heldAt: string | null;
  note: string | null;
  rankingVersion: number;
}

/** `Rpc.scoringPublish` {period, by?} → the version published and what followed. */
export interface PublishResultView {
  period: string;
  version: number;
  /** false: the figures had not changed, the same version was published again (nothing re-sent) */
  created: boolean;
  changes: string[];
  notices: number;
  accountability: AccountabilityActionView[];
}
