import { z } from 'zod';
import { LEADER_POSTS } from '@zs/domain';

/**
 * The scheduler's admin contract: request/reply subjects (answered in the scheduler's queue
 * group) and the bodies the admin API and chat forward. Validated by the scheduler with these
 * schemas, so the API and chat give the same answers.
 */
const RPC_NS = process.env.NAMESPACE || 'zs';
export const SchedulerRpc = {
  list: `${RPC_NS}.rpc.scheduler.schedules.list`,
  create: `${RPC_NS}.rpc.scheduler.schedules.create`,
  update: `${RPC_NS}.rpc.scheduler.schedules.update`,
  remove: `${RPC_NS}.rpc.scheduler.schedules.delete`,
  run: `${RPC_NS}.rpc.scheduler.schedules.run`,
  runs: `${RPC_NS}.rpc.scheduler.schedules.runs`,
  /** who would receive what if the schedule ran as of an instant; sends and records nothing */
  preview: `${RPC_NS}.rpc.scheduler.schedules.preview`,
  tripsCreate: `${RPC_NS}.rpc.scheduler.trips.create`,
  tripsList: `${RPC_NS}.rpc.scheduler.trips.list`,
  /** a chat message starting with 日程/暂停/恢复/改期/外出招商, forwarded by lead-intake's router */
  chat: `${RPC_NS}.rpc.scheduler.chat`,
} as const;

/** Core NATS subjects every scheduler replica hears (no queue group). */
export function schedulerBroadcast(ns: string) {
  return {
    /** a schedule changed: every replica reloads it at once */
    changed: `${ns}.scheduler.schedules.changed`,
    /** each replica answers with what it has loaded (tests, operations) */
    state: `${ns}.scheduler.replicas.state`,
  };
}

const id = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
export const ScheduleAudience = z
  .object({
    members: z.array(id).max(10000).optional(),
    /** unit ids or profile keys */
    units: z.array(z.string().min(1).max(100)).max(1000).optional(),
    roles: z.array(z.enum(['official', 'head', 'deputy', 'admin', 'leader'])).optional(),
    posts: z.array(z.enum(LEADER_POSTS)).optional(),
    robots: z.array(id).max(100).optional(),
  })
  .strict();
export type ScheduleAudience = z.infer<typeof ScheduleAudience>;

export const SCHEDULE_KINDS = [
  'custom',
  'weekly-tracking',
  'monthly-review',
  'monthly-questioning',
  'quarterly-dispatch',
  'annual-summary',
  'ranking-notice',
  'data-due',
  'quota-check',
  'monthly-report',
  'mid-year-report',
  'year-end-report',
  'supervision',
  'quarterly-visit',
  'project-evaluation',
  'stale-projects',
  'interview-alerts',
] as const;

export const CreateScheduleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(SCHEDULE_KINDS).default('custom'),
    cron: z.string().trim().min(1).max(100),
    timezone: z.string().trim().min(1).max(64).optional(),
    enabled: z.boolean().default(true),
    workingDaysOnly: z.boolean().default(false),
    message: z.string().trim().min(1).max(4000),
    audience: ScheduleAudience,
    graceMinutes: z.number().int().min(0).max(10080).optional(),
    leadMinutes: z.number().int().min(0).max(20160).optional(),
  })
  .strict();
export type CreateScheduleBody = z.infer<typeof CreateScheduleBody>;

export const PatchScheduleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(SCHEDULE_KINDS),
    cron: z.string().trim().min(1).max(100),
    timezone: z.string().trim().min(1).max(64),
    enabled: z.boolean(),
    workingDaysOnly: z.boolean(),
    message: z.string().trim().max(4000).nullable(),
    audience: ScheduleAudience,
    graceMinutes: z.number().int().min(0).max(10080),
    leadMinutes: z.number().int().min(0).max(20160),
    /** one extra firing at this instant (ISO 8601); null clears it */
    onceAt: z.string().datetime({ offset: true }).nullable(),
  })
  .partial()
  .strict();
export type PatchScheduleBody = z.infer<typeof PatchScheduleBody>;

export const RunScheduleBody = z.object({ asOf: z.string().datetime({ offset: true }).optional() }).strict();

/** `POST /api/schedules/{id}/preview`: as of an instant (default now); `limit` bounds the recipient list. */
export const PreviewScheduleBody = z
  .object({ asOf: z.string().datetime({ offset: true }).optional(), limit: z.number().int().min(1).max(1000).optional() })
  .strict();
export type PreviewScheduleBody = z.infer<typeof PreviewScheduleBody>;

/** One person a run would reach, with how many items and on which channel (null: no chat identity). */
export interface SchedulePreviewRecipient {
  memberId: string;
  name: string;
  unitName: string;
  role: string;
  channel: 'wecom-app' | 'dingtalk-oto' | null;
  items: number;
}

/** One distinct rendered message and how many people it would reach. */
export interface SchedulePreviewMessage {
  title: string;
  text: string;
  recipients: number;
}

/**
 * What a run as of `asOf` would send, computed by the same build step as a real run, without
 * sending anything or recording a run. Lists are bounded; `total` counts every recipient.
 */
export interface SchedulePreviewView {
  scheduleId: string;
  name: string;
  kind: string;
  asOf: string;
  /** distinct people who would receive something */
  total: number;
  /** items (one push per person and text) */
  items: number;
  /** people without a chat identity, whose items would be recorded as 'no-channel' */
  noChannel: number;
  recipients: SchedulePreviewRecipient[];
  /** distinct rendered messages, most recipients first (at most 20) */
  messages: SchedulePreviewMessage[];
  /** group robots that would receive the robot message */
  robots: { robotId: string; platform: string; title: string; text: string }[];
  /** true when `recipients` or `messages` was cut to its bound */
  truncated: boolean;
  /** when quiet hours would hold the pushes, the instant they would go out */
  heldUntil: string | null;
  /** what the build step found (period, stale projects, lagging units, warnings...) */
  summary: Record<string, unknown>;
}

export const CreateTripBody = z
  .object({
    member: id,
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
    destination: z.string().trim().min(1).max(100),
    purpose: z.string().trim().max(1000).default(''),
  })
  .strict();
export type CreateTripBody = z.infer<typeof CreateTripBody>;

export const ScheduleChatRequest = z.object({
  text: z.string().max(2000),
  /** the sender's member id (lead-intake resolved it) */
  memberId: z.string(),
  /** the sender's role: only admins and leaders change schedules */
  role: z.string(),
});
export type ScheduleChatRequest = z.infer<typeof ScheduleChatRequest>;

/** What the admin API lists. */
export interface ScheduleView {
  id: string;
  kind: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  workingDaysOnly: boolean;
  audience: ScheduleAudience;
  message: string | null;
  nextFireAt: string | null;
  lastFiredAt: string | null;
  onceAt: string | null;
  graceMinutes: number;
  leadMinutes: number;
  profileKey: string | null;
  version: number;
}
