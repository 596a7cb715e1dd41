import { ZodError } from 'zod';
import {
  DemoMember,
  PolicyProfile,
  PolicyProfileSchema,
  QuotaMeasure,
  Audience,
  Unit,
  demoMembersSchemaFor,
  quotaIsForbidden,
} from './profile.schema';
import yiyang from './profiles/yiyang.json';
import zhuzhou from './profiles/zhuzhou.json';
import hengyang from './profiles/hengyang.json';
import yongzhou from './profiles/yongzhou.json';
import zhangye from './profiles/zhangye.json';
import yiyangMembers from './demo/yiyang-members.json';

/** Shipped profiles, in display order (the demo city first). */
const RAW_PROFILES: Readonly<Record<string, unknown>> = Object.freeze({
  yiyang,
  zhuzhou,
  hengyang,
  yongzhou,
  zhangye,
});

const RAW_DEMO_MEMBERS: Readonly<Record<string, unknown>> = Object.freeze({
  yiyang: yiyangMembers,
});

/** Thrown when profile or member data fails validation; `issues` holds one line per problem. */
export class PolicyProfileError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'PolicyProfileError';
  }
}

/** One readable line per zod issue: `path.to.field: message`. */
export function formatZodIssues(error: ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validates arbitrary data (e.g. an administrator's edited profile) and returns the typed profile. */
export function parsePolicyProfile(data: unknown, label = 'profile'): PolicyProfile {
  const result = PolicyProfileSchema.safeParse(data);
  if (!result.success) {
    const issues = formatZodIssues(result.error);
    throw new PolicyProfileError(`Invalid policy profile ${label}:\n  - ${issues.join('\n  - ')}`, issues);
  }
  return result.data;
}

export function listProfileIds(): string[] {
  return Object.keys(RAW_PROFILES);
}

function assertKnown(id: string): void {
  if (!Object.prototype.hasOwnProperty.call(RAW_PROFILES, id)) {
    throw new Error(`Unknown policy profile "${id}". Known profiles: ${listProfileIds().join(', ')}`);
  }
}

const cache = new Map<string, PolicyProfile>();

/** Loads and validates a shipped profile. Each call returns a fresh copy the caller may mutate. */
export function loadProfile(id: string): PolicyProfile {
  assertKnown(id);
  let profile = cache.get(id);
  if (!profile) {
    profile = parsePolicyProfile(RAW_PROFILES[id], `"${id}"`);
    if (profile.id !== id) {
      throw new PolicyProfileError(`Policy profile registered as "${id}" has id "${profile.id}"`, [
        `id: expected "${id}"`,
      ]);
    }
    cache.set(id, profile);
  }
  return structuredClone(profile);
}

/** Demo members of a profile (only the Yiyang demo city has any). */
export function loadDemoMembers(profileId: string): DemoMember[] {
  assertKnown(profileId);
  const raw = RAW_DEMO_MEMBERS[profileId];
  if (raw === undefined) return [];
  const profile = loadProfile(profileId);
  const result = demoMembersSchemaFor(profile).safeParse(raw);
  if (!result.success) {
    const issues = formatZodIssues(result.error);
    throw new PolicyProfileError(
      `Invalid demo members for profile "${profileId}":\n  - ${issues.join('\n  - ')}`,
      issues,
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Small lookups the engine needs often
// ---------------------------------------------------------------------------------------------

export function findUnit(profile: PolicyProfile, keyOrName: string): Unit | undefined {
  const q = keyOrName.trim();
  return (
    profile.units.find((u) => u.key === q || u.name === q) ?? profile.units.find((u) => u.aliases?.includes(q))
  );
}

/** True when the profile forbids a quota of this measure for this audience (e.g. Zhangye trip counts). */
export function isQuotaForbidden(
  profile: Pick<PolicyProfile, 'forbiddenQuotas'>,
  appliesTo: Audience | Audience[],
  measure: QuotaMeasure,
): boolean {
  return quotaIsForbidden({ appliesTo: Array.isArray(appliesTo) ? appliesTo : [appliesTo], measure }, profile.forbiddenQuotas);
}

/** Monthly valid-lead quota of a unit: its own override, else the profile's rule for its kind. */
export function monthlyLeadQuotaFor(profile: PolicyProfile, unitKey: string): number | undefined {
  const unit = profile.units.find((u) => u.key === unitKey);
  if (!unit) return undefined;
  if (unit.monthlyLeadQuota !== undefined) return unit.monthlyLeadQuota;
  const rule = profile.quotas.find(
    (q) =>
      q.measure === 'valid-leads' &&
      q.period === 'month' &&
      (q.unitKeys ? q.unitKeys.includes(unitKey) : q.appliesTo.includes(unit.kind)),
  );
  return rule?.count;
}
