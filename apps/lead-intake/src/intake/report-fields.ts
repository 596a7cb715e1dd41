import { classifyTier, LEAD_REPORT_FIELD_NAMES, LeadReport, PolicyProfile, registryKeyOfNormalized, formatWan, ReportFieldKey } from '@zs/domain';
import { LeadFieldPatch, LedgerLead } from '@zs/persistence';

/** The largest planned investment a real project reaches (1万亿元); beyond it the amount is asked again. */
export const MAX_PLAUSIBLE_WAN = 1e8;

/** What a report says, as ledger fields; only what it gives (a completion never erases). */
export function patchFromReport(r: LeadReport, policy: PolicyProfile): { patch: LeadFieldPatch; problems: string[] } {
  const patch: LeadFieldPatch = {};
  const problems = [...r.problems];
  if (r.companyName && r.normalizedName) {
    patch.companyName = r.companyName;
    patch.normalizedName = registryKeyOfNormalized(r.normalizedName);
  }
  if (r.creditCode) patch.creditCode = r.creditCode;
  if (r.industry) patch.industry = r.industry;
  if (r.amount) {
    const a = r.amount;
    if (!(a.amountWanCny > 0) || a.amountWanCny > MAX_PLAUSIBLE_WAN || !(a.minWan > 0)) {
      problems.push(`投资额“${a.original}”不合理，请重新填写`);
    } else {
      const tier = classifyTier({ amountWan: a.amountWanCny, currency: 'CNY' }, policy.leadTiers, policy.usdToCnyRate);
      Object.assign(patch, {
        amountWan: round2((a.minWan + a.maxWan) / 2),
        currency: a.currency,
        amountWanCny: round2(a.amountWanCny),
        amountMinWan: a.minWan,
        amountMaxWan: a.maxWan,
        amountApproximate: a.approximate,
        amountOriginal: a.original,
        tier: tier.tier,
        tierLabel: tier.label,
      });
    }
  }
  if (r.contactName) patch.contactName = r.contactName;
  if (r.contactPhone) patch.contactPhone = r.contactPhone;
  if (r.content) patch.content = r.content;
  if (r.intendedArea) patch.intendedArea = r.intendedArea;
  if (r.originRegion) patch.originRegion = r.originRegion;
  return { patch, problems };
}

type LeadFieldsKnown = Pick<LedgerLead, 'industry' | 'amountWan' | 'contactName' | 'contactPhone' | 'content'>;

/** Fields a claimed lead still lacks (the company is always known once claimed), in the order they are asked. */
export function missingKeysOfLead(l: LeadFieldsKnown): ReportFieldKey[] {
  const missing: ReportFieldKey[] = [];
  if (!l.industry) missing.push('industry');
  if (!l.amountWan) missing.push('amount');
  if (!l.contactName && !l.contactPhone) missing.push('contact');
  if (!l.content) missing.push('content');
  return missing;
}

/** Missing fields of a lead, in Chinese. */
export function missingOfLead(l: LeadFieldsKnown): string[] {
  return missingKeysOfLead(l).map((k) => LEAD_REPORT_FIELD_NAMES[k]);
}

export function amountDisplayOf(l: Pick<LedgerLead, 'amountWan' | 'currency' | 'amountApproximate' | 'amountMinWan' | 'amountMaxWan'>): string | null {
  if (l.amountWan === null || l.amountWan === undefined) return null;
  const cur = l.currency ?? 'CNY';
  if (l.amountMinWan !== null && l.amountMaxWan !== null && l.amountMinWan !== l.amountMaxWan) {
    return `${formatWan(l.amountMinWan, cur)}至${formatWan(l.amountMaxWan, cur)}`;
  }
  return `${l.amountApproximate ? '约' : ''}${formatWan(l.amountWan, cur)}`;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
