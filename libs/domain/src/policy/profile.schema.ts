/**
 * City policy profile: every rule that differs between cities (招商引资 policy) as validated data.
 *
 * Conventions used throughout the profile JSON files:
 * - amounts in 万元 CNY (`...Wan`), foreign capital in 万美元 where a field says so;
 * - `source` cites the seed section the rule comes from (e.g. "§十", "§5");
 * - `assumed: true` marks a value the policy text does not give (the `note` then says what was
 *   assumed and why); a `note` alone explains a partial assumption (e.g. the day of a meeting).
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

export const UNIT_KINDS = ['county', 'park', 'coordinator', 'liaison', 'department', 'service', 'soe'] as const;
export const UnitKindSchema = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKindSchema>;

export const MEMBER_ROLES = ['official', 'head', 'deputy', 'admin', 'leader'] as const;
export const MemberRoleSchema = z.enum(MEMBER_ROLES);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

/** City leader posts (who convenes meetings, who interviews whom). */
export const LEADER_POSTS = [
  'mayor', // 市长
  'executive-vice-mayor', // 常务副市长
  'vice-mayor-in-charge', // 分管（招商 / 商务）副市长
  'vice-mayor', // 其他副市长（分管领域见 member portfolios）
  'party-secretary', // 市委书记
  'deputy-secretary-general', // 市政府副秘书长
] as const;
export const LeaderPostSchema = z.enum(LEADER_POSTS);
export type LeaderPost = z.infer<typeof LeaderPostSchema>;

/** Who a quota, reward or target addresses: a unit kind, a member role, or a special group. */
export const AUDIENCES = [
  ...UNIT_KINDS,
  ...MEMBER_ROLES,
  'chain-lead', // 产业链（执行）链长部门 / 牵头单位
  'association', // 商协会、企业家
  'team', // 项目招引团队
  'all',
] as const;
export const AudienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof AudienceSchema>;

export const TRACKING_CADENCES = ['weekly', 'monthly', 'quarterly'] as const;
export const TrackingCadenceSchema = z.enum(TRACKING_CADENCES);
export type TrackingCadence = z.infer<typeof TrackingCadenceSchema>;

export const CADENCE_KINDS = [
  'weekly-tracking', // 每周跟踪
  'monthly-review', // 月研判 / 月度调度
  'monthly-questioning', // 月度点题询问
  'quarterly-dispatch', // 季调度（通报）
  'annual-summary', // 年总结
  'ranking-notice', // 排名 / 通报
  'data-due', // 数据报送截止提醒
  'quota-check', // 配额进度提醒
  'monthly-report', // 招商月报
  'mid-year-report', // 年中汇报
  'year-end-report', // 年底汇报
  'supervision', // 督导
  'quarterly-visit', // 季度互访
  'project-evaluation', // 项目综合效益评价
] as const;
export const CadenceKindSchema = z.enum(CADENCE_KINDS);
export type CadenceKind = z.infer<typeof CadenceKindSchema>;

/** What a quota (or a forbidden quota) counts. */
export const QUOTA_MEASURES = [
  'outgoing-trips', // 外出招商次数
  'trip-days', // 外出招商天数
  'valid-leads', // 有效招商信息条数
  'events', // 招商 / 对接活动场次
  'target-companies', // 目标企业清单家数
  'association-visits', // 赴商协会拜访
  'inbound-visits', // 邀请企业来访考察
] as const;
export const QuotaMeasureSchema = z.enum(QUOTA_MEASURES);
export type QuotaMeasure = z.infer<typeof QuotaMeasureSchema>;

export const PeriodSchema = z.enum(['month', 'quarter', 'year']);
export type Period = z.infer<typeof PeriodSchema>;

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

const KEY_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const keySchema = z.string().regex(KEY_RE, 'must be a lowercase ASCII key like "heshan" or "svc-taxation"');
const nonEmpty = z.string().trim().min(1);
const sourceSchema = z.string().trim().min(1, 'must cite the seed section, e.g. "§十"');

/** Provenance fields for rules: `source` required. */
const provenance = {
  source: sourceSchema,
  assumed: z.boolean().optional(),
  note: nonEmpty.optional(),
};
/** Provenance fields for descriptive items (tiers, units): `source` optional. */
const optionalProvenance = {
  source: sourceSchema.optional(),
  assumed: z.boolean().optional(),
  note: nonEmpty.optional(),
};

// ---------------------------------------------------------------------------------------------
// Cron (node-cron syntax: 5 fields, or 6 with leading seconds)
// ---------------------------------------------------------------------------------------------

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
type CronField = { name: string; min: number; max: number; names?: string[]; nameBase?: number };
const CRON_FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];
const SECOND_FIELD: CronField = { name: 'second', min: 0, max: 59 };

function cronValue(raw: string, f: CronField): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (f.names) {
    const idx = f.names.indexOf(raw.toLowerCase().slice(0, 3));
    // accept "mon" / "monday", "jan" / "january"
    if (idx >= 0 && /^[a-z]+$/i.test(raw)) return idx + (f.nameBase ?? 0);
  }
  return null;
}

function checkCronField(text: string, f: CronField): string | null {
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) return `${f.name} field "${text}" is malformed`;
    const [, base, step] = m;
    if (step !== undefined && Number(step) < 1) return `${f.name} step must be ≥ 1`;
    if (base === '*') continue;
    const bounds = base.split('-');
    if (bounds.length > 2) return `${f.name} field "${text}" is malformed`;
    const values = bounds.map((b) => cronValue(b, f));
    for (const v of values) {
      if (v === null) return `${f.name} field "${text}" has an invalid value`;
      if (v < f.min || v > f.max) return `${f.name} value ${v} is outside ${f.min}-${f.max}`;
    }
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
      return `${f.name} range "${base}" is reversed`;
    }
  }
  return null;
}

/** Returns null when the expression is valid, else a readable reason. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `cron "${expr}" must have 5 or 6 fields (found ${fields.length})`;
  }
  const specs = fields.length === 6 ? [SECOND_FIELD, ...CRON_FIELDS] : CRON_FIELDS;
  for (let i = 0; i < fields.length; i++) {
    const problem = checkCronField(fields[i], specs[i]);
    if (problem) return `cron "${expr}": ${problem}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Profile parts
// ---------------------------------------------------------------------------------------------

export const LeadTierSchema = z
  .object({
    /** machine key, e.g. "general" | "key" | "major" */
    tier: keySchema,
    /** the city's term: 一般 / 重点 / 重大 */
    label: nonEmpty,
    /** floor in 万元 CNY (inclusive); exactly one tier has 0 */
    minAmountWan: z.number().min(0),
    trackingCadence: TrackingCadenceSchema,
    /** who owns / 包抓 projects of this tier */
    ownerLevel: nonEmpty.optional(),
    ...optionalProvenance,
  })
  .strict();
export type LeadTier = z.infer<typeof LeadTierSchema>;

export const FirstContactSchema = z
  .object({
    /** 首谈首报 / 首次接触: the first unit to report a company owns it */
    enabled: z.boolean(),
    /** the city may hand a lead over (移交 / 流转) to another county or park */
    transferAllowed: z.boolean(),
    /** after a transfer the first reporter keeps the credit (and any reward) */
    providerKeepsCredit: z.boolean(),
    /** other units may not pursue a company already registered by another unit */
    exclusiveFollowUp: z.boolean(),
    /** unit that screens leads and decides transfers (研判、移交) */
    screeningUnitKey: keySchema.optional(),
    /** a claim made with little more than the company name lapses when not completed within this many days */
    claimCompletionDays: z.number().int().min(1).max(365),
    /** stages in which the coordinating office may still transfer (流转) a lead */
    transferableStages: z.array(z.enum(['lead', 'negotiating', 'signed', 'started', 'producing'])),
    ...provenance,
  })
  .strict();
export type FirstContactRule = z.infer<typeof FirstContactSchema>;

// ---------------------------------------------------------------------------------------------
// Project ledger: stage vocabulary, what each stage needs, project types
// ---------------------------------------------------------------------------------------------

export const LEDGER_STAGES = ['negotiating', 'signed', 'started', 'producing', 'terminated'] as const;
export const LEDGER_STAGE_FIELDS = ['amount', 'reason'] as const;

export const LedgerStageRuleSchema = z
  .object({
    stage: z.enum(LEDGER_STAGES),
    /** the city's word for the stage, e.g. 签约 */
    label: nonEmpty,
    /** chat command words that move a lead to this stage, e.g. ["签约"] */
    commands: z.array(nonEmpty).min(1),
    /** what an official must give with the command: the signed amount, a reason */
    requires: z.array(z.enum(LEDGER_STAGE_FIELDS)),
    ...optionalProvenance,
  })
  .strict();
export type LedgerStageRule = z.infer<typeof LedgerStageRuleSchema>;

export const ProjectTypeSchema = z
  .object({
    key: keySchema,
    /** 产业项目 / 外资 / 高科技 / 大健康 / 链主 */
    label: nonEmpty,
    ...optionalProvenance,
  })
  .strict();
export type ProjectType = z.infer<typeof ProjectTypeSchema>;

export const LedgerSchema = z
  .object({
    /** label of the initial stage, e.g. 线索 */
    leadLabel: nonEmpty,
    stages: z.array(LedgerStageRuleSchema).min(1),
    /** chat command words that record capital put in place (到位资金, cumulative) */
    capitalCommands: z.array(nonEmpty).min(1),
    projectTypes: z.array(ProjectTypeSchema),
    ...provenance,
  })
  .strict();
export type LedgerRules = z.infer<typeof LedgerSchema>;

export const UnitSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    kind: UnitKindSchema,
    /** takes part in a ranking (see scoring.rankingGroups) */
    ranked: z.boolean(),
    /** short names officials type in chat, e.g. "赫山" */
    aliases: z.array(nonEmpty).optional(),
    /** regions a liaison office covers, e.g. 长三角 */
    regions: z.array(nonEmpty).optional(),
    /** per-unit override of the monthly valid-lead quota */
    monthlyLeadQuota: z.number().int().positive().optional(),
    /** 产业链链长 / 牵头部门 */
    chainLead: z.boolean().optional(),
    /**
     * Free flags an assessment rule can select units by, e.g. "investment-task" (有招商引资任务的
     * 部门, Zhangye §4). Keys in lowercase ASCII.
     */
    flags: z.array(keySchema).optional(),
    ...optionalProvenance,
  })
  .strict();
export type Unit = z.infer<typeof UnitSchema>;

/**
 * Indicators the project ledger can compute from the leads and their stages (cumulative from the
 * start of the year to the end of the period, per owner unit). Everything else is reported.
 */
export const LEDGER_METRICS = [
  'projects-signed', // 签约项目数（签约金额 / 计划投资 ≥ minAmountWan）
  'projects-started', // 开工项目数
  'signed-amount', // 签约金额（万元）
  'capital-in-place', // 到位资金（万元）
  'start-rate', // 开工率 = 开工及以后 ÷ 年内签约 (%)
  'capital-rate', // 资金到位率 = 到位资金 ÷ 签约金额 (%)
  'production-rate', // 投产率 = 投产 ÷ 年内签约 (%)
  'major-projects-landed', // 落地（开工）重大项目数
] as const;
export const LedgerMetricSchema = z.enum(LEDGER_METRICS);
export type LedgerMetric = z.infer<typeof LedgerMetricSchema>;

export const ComputedIndicatorSchema = z
  .object({
    metric: LedgerMetricSchema,
    /** counted projects must be at least this large (签约金额, else planned amount), 万元 */
    minAmountWan: z.number().positive().optional(),
    /** counted projects must be of this lead tier (e.g. "major") */
    tierKey: keySchema.optional(),
  })
  .strict();
export type ComputedIndicator = z.infer<typeof ComputedIndicatorSchema>;

/**
 * How one indicator's value becomes a share of its weight (1 = the full weight). Every method found
 * in practice; the profile picks one per indicator (default: completion capped at scoring.capPercent).
 */
export const IndicatorMethodSchema = z.discriminatedUnion('kind', [
  /** min(actual ÷ target, cap) */
  z.object({ kind: z.literal('capped-ratio'), capPercent: z.number().min(100).max(1000) }).strict(),
  /** actual ÷ target; above 100 % each further percent adds bonusPerPercent × 1 %, up to capPercent */
  z
    .object({ kind: z.literal('ratio-bonus'), bonusPerPercent: z.number().positive(), capPercent: z.number().min(100).max(1000) })
    .strict(),
  /** 功效系数法: (floor + (100 − floor) × (x − worst) ÷ (best − worst)) ÷ 100 across the group */
  z.object({ kind: z.literal('efficacy-coefficient'), floorPercent: z.number().min(0).max(100) }).strict(),
  /** x ÷ best of the group */
  z.object({ kind: z.literal('relative-to-best') }).strict(),
  /** completion % in bands: the highest band whose minPercent is reached gives its share */
  z
    .object({
      kind: z.literal('bands'),
      bands: z.array(z.object({ minPercent: z.number().min(0), sharePercent: z.number().min(0).max(1000) }).strict()).min(1),
    })
    .strict(),
  /** points per unit of value, capped at maxPoints; share = points ÷ maxPoints (no target needed) */
  z.object({ kind: z.literal('points'), perUnit: z.number().positive(), maxPoints: z.number().positive() }).strict(),
  /** full share minus perUnit points per unit of value (e.g. complaints), floor 0; share = rest ÷ maxPoints */
  z.object({ kind: z.literal('deduction'), perUnit: z.number().positive(), maxPoints: z.number().positive() }).strict(),
]);
export type IndicatorMethod = z.infer<typeof IndicatorMethodSchema>;

/** What happens when a unit has no value for an indicator in a period. */
export const MissingDataRuleSchema = z.enum([
  'zero', // counts as 0
  'exclude', // left out; the unit's other weights are scaled up to 100
  'unranked', // the unit is listed without a rank (缺报不参与排名)
]);
export type MissingDataRule = z.infer<typeof MissingDataRuleSchema>;

export const IndicatorSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    /** measurement unit: 万元, 万美元, 个, 条, %, 次, 分 … */
    unit: nonEmpty,
    direction: z.enum(['higher-better', 'lower-better']),
    appliesTo: z.array(UnitKindSchema).min(1),
    /** computed from the project ledger; absent: reported by the units (PUT /api/actuals) */
    computed: ComputedIndicatorSchema.optional(),
    /** scoring method; absent: capped ratio at scoring.capPercent */
    method: IndicatorMethodSchema.optional(),
    /** missing-data rule; absent: scoring.missingData */
    missing: MissingDataRuleSchema.optional(),
    /** applies only to units carrying every one of these flags (units[].flags), e.g. ["investment-task"] */
    requiresFlags: z.array(keySchema).optional(),
    ...provenance,
  })
  .strict();
export type Indicator = z.infer<typeof IndicatorSchema>;

export const RankingGroupSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    unitKinds: z.array(UnitKindSchema).min(1),
    ...provenance,
  })
  .strict();
export type RankingGroup = z.infer<typeof RankingGroupSchema>;

export const ScoringSchema = z
  .object({
    /** which unit kinds are ranked together */
    rankingGroups: z.array(RankingGroupSchema).min(1),
    /**
     * indicatorKey → weight. For every ranked unit kind, the weights of the indicators that apply
     * to that kind sum to 100. Indicators without a weight are tracked but not scored.
     */
    weights: z.record(keySchema, z.number().positive()),
    /** score = Σ min(actual / target, cap) × weight */
    method: z.literal('completion-capped'),
    capPercent: z.number().min(100).max(1000),
    /** quarterly progress compared with the share of the year elapsed, or raw completion */
    progressMode: z.enum(['against-time-elapsed', 'absolute']),
    /** human-readable tie rule */
    tieBreak: nonEmpty,
    /** indicators compared in order when scores tie; still tied → same rank */
    tieBreakIndicators: z.array(keySchema),
    /** a unit that has not reported an indicator: counts as 0, the indicator is left out, or the unit is not ranked */
    missingData: MissingDataRuleSchema,
    /**
     * 进度差 bands: gap = progress − time elapsed, in percentage points. green when gap ≥ greenFrom,
     * yellow when gap ≥ yellowFrom, else red. In "absolute" mode the gap is progress − 100 %.
     */
    progressBands: z
      .object({ greenFrom: z.number(), yellowFrom: z.number(), ...optionalProvenance })
      .strict()
      .optional(),
    ...provenance,
  })
  .strict();
export type Scoring = z.infer<typeof ScoringSchema>;

export const CadenceSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    kind: CadenceKindSchema,
    /** node-cron expression (5 fields, or 6 with seconds), in the profile timezone */
    cron: nonEmpty,
    /** who receives it, in words */
    audience: nonEmpty,
    audienceRoles: z.array(MemberRoleSchema).optional(),
    audienceUnitKinds: z.array(UnitKindSchema).optional(),
    /** who convenes (召集 / 主持) */
    chair: nonEmpty.optional(),
    chairPost: LeaderPostSchema.optional(),
    /** a notice (通报) with the ranking table is published */
    publishesNotice: z.boolean().optional(),
    enabled: z.boolean().default(true),
    ...provenance,
  })
  .strict();
export type Cadence = z.infer<typeof CadenceSchema>;

export const QuotaSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    /** unit kinds and/or member roles the quota binds */
    appliesTo: z.array(AudienceSchema).min(1),
    /** when appliesTo names a role: members of which unit kinds */
    unitKinds: z.array(UnitKindSchema).optional(),
    /** restrict to these units */
    unitKeys: z.array(keySchema).optional(),
    measure: QuotaMeasureSchema,
    /** minimum count per period (不少于) */
    count: z.number().int().positive(),
    period: PeriodSchema,
    ...provenance,
  })
  .strict();
export type Quota = z.infer<typeof QuotaSchema>;

/** A kind of quota the policy forbids; the engine must never impose a matching quota. */
export const ForbiddenQuotaSchema = z
  .object({
    key: keySchema,
    appliesTo: z.array(AudienceSchema).min(1),
    measures: z.array(QuotaMeasureSchema).min(1),
    description: nonEmpty,
    ...provenance,
  })
  .strict();
export type ForbiddenQuota = z.infer<typeof ForbiddenQuotaSchema>;

export const AccountabilityTriggerSchema = z
  .object({
    scope: z.enum(['quarter', 'year']),
    /** 2 = the bottom two, 1 = the last one */
    rankFromBottom: z.number().int().positive(),
    /** how many consecutive periods */
    consecutive: z.number().int().positive(),
    metric: z.enum(['progress', 'score']),
  })
  .strict();

export const AccountabilitySchema = z
  .object({
    key: keySchema,
    /** ranking group whose ranks are read */
    rankingGroup: keySchema,
    appliesTo: z.array(UnitKindSchema).min(1),
    trigger: AccountabilityTriggerSchema,
    /** the action, in Chinese, as the policy words it */
    action: nonEmpty,
    actionType: z.enum(['interview', 'duty-adjustment', 'admonishment', 'supervision']),
    interviewer: nonEmpty,
    interviewerPost: LeaderPostSchema.optional(),
    interviewee: nonEmpty,
    intervieweeRole: z.enum(['head', 'deputy', 'unit']),
    /** days after the end of the triggering period by which the action should happen */
    deadlineDays: z.number().int().positive().optional(),
    /** an administrator can switch a rule off (every invented trigger is assumed and can be) */
    enabled: z.boolean().optional(),
    ...provenance,
  })
  .strict();
export type AccountabilityRule = z.infer<typeof AccountabilitySchema>;

export const RewardSchema = z
  .object({
    key: keySchema,
    appliesTo: z.array(AudienceSchema).min(1),
    basis: z.enum(['rank', 'per-project', 'honor', 'discretionary']),
    /** for basis "rank": ranking group and exact rank */
    rankingGroup: keySchema.optional(),
    rank: z.number().int().positive().optional(),
    /** for basis "per-project": what is counted */
    per: nonEmpty.optional(),
    /** lead tier the project must reach */
    tierKey: keySchema.optional(),
    /** credit follows first contact (首次接触) */
    requiresFirstContact: z.boolean().optional(),
    /** for per-project rewards: the stage at which a project counts as landed (落地) */
    landedStage: z.enum(['signed', 'started', 'producing']).optional(),
    amountWan: z.number().positive().optional(),
    description: nonEmpty,
    ...provenance,
  })
  .strict();
export type Reward = z.infer<typeof RewardSchema>;

export const TargetSchema = z
  .object({
    key: keySchema,
    name: nonEmpty,
    kind: z.enum(['amount', 'count', 'share', 'growth-rate']),
    /** "city": the whole city's total; "each": each unit addressed by appliesTo / unitKeys */
    scope: z.enum(['city', 'each']),
    appliesTo: z.array(AudienceSchema).optional(),
    unitKeys: z.array(keySchema).optional(),
    /** only units carrying every one of these flags (units[].flags) */
    requiresFlags: z.array(keySchema).optional(),
    indicatorKey: keySchema.optional(),
    /** minimum value (不少于 / 以上) */
    value: z.number().min(0),
    unit: nonEmpty,
    /** counted projects must be at least this large (万元) */
    minProjectAmountWan: z.number().positive().optional(),
    /** "year": every year; "span": over fromYear–toYear (e.g. 2022–2025 average growth) */
    period: z.enum(['year', 'span']),
    fromYear: z.number().int().min(2000).max(2100).optional(),
    toYear: z.number().int().min(2000).max(2100).optional(),
    ...provenance,
  })
  .strict();
export type Target = z.infer<typeof TargetSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/** How the scheduler delivers reminders in this city (quiet hours, digest, catch-up grace). */
export const ReminderPolicySchema = z
  .object({
    /** no pushes to people between start and end, local time (may run over midnight) */
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().nullable(),
    /** one digest per person per day */
    digest: z.literal('daily'),
    /** a slot missed while every scheduler was down still fires this long after, else it is recorded as missed */
    graceMinutes: z.number().int().min(0).max(10080),
    /** meeting reminders (月研判, 季调度, 年总结 ...) go out this long before the meeting */
    meetingLeadMinutes: z.number().int().min(0).max(20160),
    /** seeded schedules follow the working-day calendar (调休) */
    workingDaysOnly: z.boolean(),
    ...provenance,
  })
  .strict();
export type ReminderPolicy = z.infer<typeof ReminderPolicySchema>;

export const ProfileAssumptionSchema = z.object({ field: nonEmpty, note: nonEmpty }).strict();

// ---------------------------------------------------------------------------------------------
// The profile
// ---------------------------------------------------------------------------------------------

export const PolicyProfileBaseSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: keySchema,
    cityName: nonEmpty,
    /** lead-number prefix */
    cityCode: z.string().regex(/^[A-Z]{2,4}$/, 'must be 2–4 uppercase letters'),
    timezone: nonEmpty,
    policyTitle: nonEmpty,
    policyDocNo: nonEmpty.optional(),
    policyYear: z.number().int().min(2000).max(2100),
    policyStatus: z.enum(['in-force', 'draft']),
    /** seed file the profile was transcribed from */
    seedFile: nonEmpty,
    coordinatingUnitName: nonEmpty,
    coordinatingUnitKey: keySchema,
    /** profile-level assumptions (fields without their own note) */
    assumptions: z.array(ProfileAssumptionSchema),
    notes: z.array(nonEmpty).optional(),
    leadTiers: z.array(LeadTierSchema).min(1),
    usdToCnyRate: z.number().positive(),
    firstContact: FirstContactSchema,
    ledger: LedgerSchema,
    units: z.array(UnitSchema).min(1),
    indicators: z.array(IndicatorSchema).min(1),
    scoring: ScoringSchema,
    cadences: z.array(CadenceSchema),
    quotas: z.array(QuotaSchema),
    forbiddenQuotas: z.array(ForbiddenQuotaSchema),
    accountability: z.array(AccountabilitySchema),
    rewards: z.array(RewardSchema),
    targets: z.array(TargetSchema).optional(),
    reminders: ReminderPolicySchema.optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Cross-field rules
// ---------------------------------------------------------------------------------------------

type BaseProfile = z.infer<typeof PolicyProfileBaseSchema>;
type Path = (string | number)[];

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Does a forbidden-quota rule cover this quota? */
export function quotaIsForbidden(
  quota: { appliesTo: readonly Audience[]; measure: QuotaMeasure },
  forbidden: readonly { appliesTo: readonly Audience[]; measures: readonly QuotaMeasure[] }[],
): boolean {
  return forbidden.some(
    (f) =>
      f.measures.includes(quota.measure) &&
      (f.appliesTo.includes('all') || f.appliesTo.some((a) => quota.appliesTo.includes(a))),
  );
}

function walkAssumed(value: unknown, path: Path, ctx: z.RefinementCtx): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkAssumed(v, [...path, i], ctx));
    return;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (obj.assumed === true && !(typeof obj.note === 'string' && obj.note.trim())) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [...path, 'note'],
        message: 'an item marked "assumed": true needs a note saying what was assumed',
      });
    }
    for (const [k, v] of Object.entries(obj)) walkAssumed(v, [...path, k], ctx);
  }
}

export function checkProfile(p: BaseProfile, ctx: z.RefinementCtx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

  // timezone
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: p.timezone });
  } catch {
    issue(['timezone'], `unknown IANA timezone "${p.timezone}"`);
  }

  // tiers
  const floors = p.leadTiers.filter((t) => t.minAmountWan === 0);
  if (floors.length !== 1) {
    issue(
      ['leadTiers'],
      `exactly one tier must have minAmountWan 0 (found ${floors.length}${
        floors.length ? ': ' + floors.map((t) => t.tier).join(', ') : ''
      })`,
    );
  }
  for (const d of duplicates(p.leadTiers.map((t) => t.tier))) issue(['leadTiers'], `duplicate tier "${d}"`);
  for (const d of duplicates(p.leadTiers.map((t) => t.label))) issue(['leadTiers'], `duplicate tier label "${d}"`);
  for (const d of duplicates(p.leadTiers.map((t) => String(t.minAmountWan)))) {
    issue(['leadTiers'], `two tiers share minAmountWan ${d}`);
  }
  const tierKeys = new Set(p.leadTiers.map((t) => t.tier));

  // units
  for (const d of duplicates(p.units.map((u) => u.key))) issue(['units'], `duplicate unit key "${d}"`);
  for (const d of duplicates(p.units.map((u) => u.name))) issue(['units'], `duplicate unit name "${d}"`);
  const allNames = p.units.flatMap((u) => [u.name, ...(u.aliases ?? [])]);
  for (const d of duplicates(allNames)) {
    if (!p.units.some((u) => u.name === d && (u.aliases ?? []).includes(d))) {
      issue(['units'], `alias "${d}" collides with another unit's name or alias`);
    }
  }
  const unitByKey = new Map(p.units.map((u) => [u.key, u]));
  const checkUnitKeys = (keys: string[] | undefined, path: Path) =>
    (keys ?? []).forEach((k, i) => {
      if (!unitByKey.has(k)) issue([...path, i], `unknown unit key "${k}"`);
    });

  const coord = unitByKey.get(p.coordinatingUnitKey);
  if (!coord) issue(['coordinatingUnitKey'], `unknown unit key "${p.coordinatingUnitKey}"`);
  else {
    if (coord.kind !== 'coordinator') issue(['coordinatingUnitKey'], `unit "${coord.key}" is not of kind coordinator`);
    if (coord.name !== p.coordinatingUnitName) {
      issue(['coordinatingUnitName'], `"${p.coordinatingUnitName}" differs from unit "${coord.key}" name "${coord.name}"`);
    }
  }
  // ledger vocabulary: each stage once, each command word once, none shadowing a fixed chat command
  const seenStages = new Set<string>();
  const seenWords = new Set<string>();
  const reserved = ['报线索', '线索', '查询', '查看', '更正', '流转', '申请流转', '确认', '取消', '帮助', '我的线索'];
  p.ledger.stages.forEach((st, i) => {
    if (seenStages.has(st.stage)) issue(['ledger', 'stages', i, 'stage'], `stage "${st.stage}" appears twice`);
    seenStages.add(st.stage);
  });
  const words: Array<[string, (string | number)[]]> = [
    ...p.ledger.stages.flatMap((st, i) => st.commands.map((w, j): [string, (string | number)[]] => [w, ['ledger', 'stages', i, 'commands', j]])),
    ...p.ledger.capitalCommands.map((w, j): [string, (string | number)[]] => [w, ['ledger', 'capitalCommands', j]]),
  ];
  for (const [w, path] of words) {
    if (seenWords.has(w)) issue(path, `command word "${w}" is used twice`);
    if (reserved.includes(w)) issue(path, `command word "${w}" is a fixed chat command`);
    seenWords.add(w);
  }

  if (p.firstContact.screeningUnitKey && !unitByKey.has(p.firstContact.screeningUnitKey)) {
    issue(['firstContact', 'screeningUnitKey'], `unknown unit key "${p.firstContact.screeningUnitKey}"`);
  }

  // indicators & scoring
  for (const d of duplicates(p.indicators.map((i) => i.key))) issue(['indicators'], `duplicate indicator key "${d}"`);
  const indicatorByKey = new Map(p.indicators.map((i) => [i.key, i]));
  for (const k of Object.keys(p.scoring.weights)) {
    if (!indicatorByKey.has(k)) issue(['scoring', 'weights', k], `weight for unknown indicator "${k}"`);
  }
  p.indicators.forEach((ind, i) => {
    if (ind.computed?.tierKey && !tierKeys.has(ind.computed.tierKey)) {
      issue(['indicators', i, 'computed', 'tierKey'], `unknown tier "${ind.computed.tierKey}"`);
    }
  });
  p.scoring.tieBreakIndicators.forEach((k, i) => {
    if (!indicatorByKey.has(k)) issue(['scoring', 'tieBreakIndicators', i], `unknown indicator "${k}"`);
  });
  const groups = p.scoring.rankingGroups;
  for (const d of duplicates(groups.map((g) => g.key))) issue(['scoring', 'rankingGroups'], `duplicate ranking group "${d}"`);
  const groupKeys = new Set(groups.map((g) => g.key));
  for (const d of duplicates(groups.flatMap((g) => g.unitKinds))) {
    issue(['scoring', 'rankingGroups'], `unit kind "${d}" is in more than one ranking group`);
  }
  const rankedKinds = new Set(groups.flatMap((g) => g.unitKinds));
  p.units.forEach((u, i) => {
    if (u.ranked && !rankedKinds.has(u.kind)) {
      issue(['units', i, 'ranked'], `unit "${u.key}" is ranked but no ranking group covers kind "${u.kind}"`);
    }
  });
  for (const kind of rankedKinds) {
    const sum = p.indicators
      .filter((ind) => ind.appliesTo.includes(kind))
      .reduce((acc, ind) => acc + (p.scoring.weights[ind.key] ?? 0), 0);
    if (Math.abs(sum - 100) > 1e-6) {
      issue(['scoring', 'weights'], `weights of indicators for unit kind "${kind}" must sum to 100 (found ${sum})`);
    }
  }

  // cadences
  for (const d of duplicates(p.cadences.map((c) => c.key))) issue(['cadences'], `duplicate cadence key "${d}"`);
  p.cadences.forEach((c, i) => {
    const problem = cronProblem(c.cron);
    if (problem) issue(['cadences', i, 'cron'], problem);
  });

  // quotas
  for (const d of duplicates(p.quotas.map((q) => q.key))) issue(['quotas'], `duplicate quota key "${d}"`);
  for (const d of duplicates(p.forbiddenQuotas.map((q) => q.key))) issue(['forbiddenQuotas'], `duplicate key "${d}"`);
  p.quotas.forEach((q, i) => {
    checkUnitKeys(q.unitKeys, ['quotas', i, 'unitKeys']);
    const hit = p.forbiddenQuotas.find((f) => quotaIsForbidden(q, [f]));
    if (hit) issue(['quotas', i], `quota "${q.key}" is forbidden by "${hit.key}" (${hit.source}): ${hit.description}`);
  });

  // accountability
  for (const d of duplicates(p.accountability.map((a) => a.key))) issue(['accountability'], `duplicate key "${d}"`);
  p.accountability.forEach((a, i) => {
    if (!groupKeys.has(a.rankingGroup)) issue(['accountability', i, 'rankingGroup'], `unknown ranking group "${a.rankingGroup}"`);
  });

  // rewards
  for (const d of duplicates(p.rewards.map((r) => r.key))) issue(['rewards'], `duplicate reward key "${d}"`);
  p.rewards.forEach((r, i) => {
    if (r.basis === 'rank') {
      if (r.rank === undefined) issue(['rewards', i, 'rank'], 'a rank-based reward needs "rank"');
      if (!r.rankingGroup) issue(['rewards', i, 'rankingGroup'], 'a rank-based reward needs "rankingGroup"');
    }
    if (r.basis === 'per-project' && !r.per) issue(['rewards', i, 'per'], 'a per-project reward needs "per"');
    if (r.rankingGroup && !groupKeys.has(r.rankingGroup)) {
      issue(['rewards', i, 'rankingGroup'], `unknown ranking group "${r.rankingGroup}"`);
    }
    if (r.tierKey && !tierKeys.has(r.tierKey)) issue(['rewards', i, 'tierKey'], `unknown tier "${r.tierKey}"`);
  });

  // targets
  const targets = p.targets ?? [];
  for (const d of duplicates(targets.map((t) => t.key))) issue(['targets'], `duplicate target key "${d}"`);
  targets.forEach((t, i) => {
    checkUnitKeys(t.unitKeys, ['targets', i, 'unitKeys']);
    if (t.indicatorKey && !indicatorByKey.has(t.indicatorKey)) {
      issue(['targets', i, 'indicatorKey'], `unknown indicator "${t.indicatorKey}"`);
    }
    if (t.period === 'span' && (t.fromYear === undefined || t.toYear === undefined || t.toYear < t.fromYear)) {
      issue(['targets', i], 'a target over a span of years needs fromYear ≤ toYear');
    }
    if (t.scope === 'each' && !t.appliesTo?.length && !t.unitKeys?.length) {
      issue(['targets', i], 'a per-unit target ("scope": "each") needs appliesTo or unitKeys');
    }
  });

  // assumed items carry a note
  walkAssumed(p, [], ctx);
}

export const PolicyProfileSchema = PolicyProfileBaseSchema.superRefine(checkProfile);
export type PolicyProfile = z.infer<typeof PolicyProfileSchema>;

// ---------------------------------------------------------------------------------------------
// Demo members
// ---------------------------------------------------------------------------------------------

export const DemoMemberSchema = z
  .object({
    name: nonEmpty,
    unitKey: keySchema,
    role: MemberRoleSchema,
    /** post in words, e.g. 区长, 副县长, 招商服务中心干部 */
    title: nonEmpty.optional(),
    /** required for role "leader" */
    leaderPost: LeaderPostSchema.optional(),
    /** a leader's portfolio (分管领域), e.g. 商务、招商 */
    portfolios: z.array(nonEmpty).optional(),
    wecomUserId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be ASCII (letters, digits, . _ -)'),
    dingtalkStaffId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be ASCII (letters, digits, _ -)'),
    mobile: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number'),
  })
  .strict();
export type DemoMember = z.infer<typeof DemoMemberSchema>;

/** Schema for a profile's demo member list, checked against that profile's units. */
export function demoMembersSchemaFor(profile: Pick<PolicyProfile, 'units'>) {
  const unitKeys = new Set(profile.units.map((u) => u.key));
  return z.array(DemoMemberSchema).superRefine((members, ctx) => {
    const issue = (path: Path, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    members.forEach((m, i) => {
      if (!unitKeys.has(m.unitKey)) issue([i, 'unitKey'], `unknown unit key "${m.unitKey}"`);
      if (m.role === 'leader' && !m.leaderPost) issue([i, 'leaderPost'], 'a member with role "leader" needs leaderPost');
    });
    for (const field of ['wecomUserId', 'dingtalkStaffId', 'mobile'] as const) {
      for (const d of duplicates(members.map((m) => m[field]))) issue([], `duplicate ${field} "${d}"`);
    }
    if (members.length && !members.some((m) => m.role === 'admin')) issue([], 'at least one member must have role "admin"');
  });
}
