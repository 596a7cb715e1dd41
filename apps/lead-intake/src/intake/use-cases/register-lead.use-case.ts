import { EntityManager } from 'typeorm';
import { InboundChatMessage } from '@zs/contracts';
import { LeadReport, noticePossibleDuplicate, noticeSharedPhone, PolicyProfile, registryKeyOfNormalized } from '@zs/domain';
import { LedgerLead, LedgerRepository, MemberRow, SimilarLead } from '@zs/persistence';
import { IntakeSettings } from '../intake-context';
import { LedgerEventWriter } from '../ledger-events';
import { unitNoticeTargets } from '../notice-targets';
import { missingOfLead, patchFromReport } from '../report-fields';

export interface RegisterInput {
  report: LeadReport;
  member: MemberRow;
  /** First contact is claimed at the time of the message that named the company. */
  claimedAt: Date;
  source: { platform: string; msgId: string };
  /** The official answered 确认新企业: a near match is not a duplicate. */
  acceptNearMatch: boolean;
  /** Ownership is checked, but nothing is claimed: the official must 确认 the read-back first. */
  checkOnly: boolean;
  /** The chat message (office notices go out on its platform). */
  via: InboundChatMessage | null;
}

export type RegisterResult =
  | { kind: 'no-company' }
  | { kind: 'owned-by-other-unit'; lead: LedgerLead }
  | { kind: 'owned-by-same-unit'; lead: LedgerLead }
  | { kind: 'possible-duplicate'; similar: SimilarLead }
  | { kind: 'clear' }
  | { kind: 'claimed'; lead: LedgerLead; missing: string[]; problems: string[] };

/**
 * First contact (首谈首报): ownership first (exact registry key or credit code; a lapsed bare
 * claim frees the company), then near matches (pg_trgm), then the claim itself with a gapless
 * number at the message's time. Re-reports are recorded; the office hears of near matches and
 * of a contact phone shared with another unit's lead.
 */
export class RegisterLeadUseCase {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyProfile,
    private readonly settings: IntakeSettings,
    private readonly events: LedgerEventWriter,
  ) {}

  async run(input: RegisterInput): Promise<RegisterResult> {
    const { report, member } = input;
    if (!report.companyName || !report.normalizedName) return { kind: 'no-company' };
    const key = registryKeyOfNormalized(report.normalizedName);
    const ledger = new LedgerRepository(this.em);

    await ledger.lapseStaleClaims(key, report.creditCode, this.policy.firstContact.claimCompletionDays);
    const owner = await ledger.findLiveClaim(key, report.creditCode);
    if (owner) return this.reReport(ledger, owner, input);

    if (!input.acceptNearMatch) {
      const [similar] = await ledger.findSimilar(key, this.settings.similarityThreshold, 1);
      if (similar) {
        await this.tellOffice(input, noticePossibleDuplicate({
          companyName: report.companyName,
          reporterUnitName: member.unitName,
          similarName: similar.companyName,
          ownerUnitName: similar.ownerUnitName,
        }), `possible-duplicate:${input.source.platform}:${input.source.msgId}`);
        return { kind: 'possible-duplicate', similar };
      }
    }
    if (input.checkOnly) return { kind: 'clear' };

    const { patch, problems } = patchFromReport(report, this.policy);
    const similarId = input.acceptNearMatch ? (await ledger.findSimilar(key, this.settings.similarityThreshold, 1))[0]?.id ?? null : null;
    const missing = missingOfLead({
      industry: patch.industry ?? null,
      amountWan: patch.amountWan ?? null,
      contactName: patch.contactName ?? null,
      contactPhone: patch.contactPhone ?? null,
      content: patch.content ?? null,
    });
    const year = yearIn(input.claimedAt, this.policy.timezone);
    const claim = await ledger.insertUnnumbered({
      cityCode: this.policy.cityCode,
      year,
      companyName: report.companyName,
      normalizedName: key,
      creditCode: report.creditCode,
      industry: patch.industry ?? null,
      amountWan: patch.amountWan ?? null,
      currency: patch.currency ?? null,
      amountWanCny: patch.amountWanCny ?? null,
      amountMinWan: patch.amountMinWan ?? null,
      amountMaxWan: patch.amountMaxWan ?? null,
      amountApproximate: patch.amountApproximate ?? false,
      amountOriginal: patch.amountOriginal ?? null,
      tier: patch.tier ?? null,
      tierLabel: patch.tierLabel ?? null,
      ownerUnitId: member.unitId,
      reporterMemberId: member.id,
      contactName: patch.contactName ?? null,
      contactPhone: patch.contactPhone ?? null,
      content: patch.content ?? null,
      intendedArea: patch.intendedArea ?? null,
      originRegion: patch.originRegion ?? null,
      warnings: report.warnings,
      possibleDuplicateOf: similarId,
      complete: missing.length === 0,
      registeredAt: input.claimedAt,
      sourcePlatform: input.source.platform,
      sourceMsgId: input.source.msgId,
    });
    if (!claim) {
      // Claimed by someone else between our check and our insert (we waited for their commit).
      const winner = await ledger.findLiveClaim(key, report.creditCode);
      if (!winner) throw new Error('lead insert conflicted but no live claim was found');
      return this.reReport(ledger, winner, input);
    }
    // What needs no number is done before it: from assignNumber to COMMIT every registration of the
    // city waits for this one (docs/performance.md).
    const sharesPhoneWith = patch.contactPhone ? await ledger.findOtherUnitLeadByPhone(patch.contactPhone, member.unitId, claim.id) : null;
    const lead = await ledger.assignNumber(claim.id, this.policy.cityCode, year, { actor: `member:${member.id}:${member.name}` });
    await this.events.registered(lead);
    if (sharesPhoneWith) await this.tellOfficeOfSharedPhone(lead, sharesPhoneWith, input);
    return { kind: 'claimed', lead, missing, problems };
  }

  private async reReport(ledger: LedgerRepository, owner: LedgerLead, input: RegisterInput): Promise<RegisterResult> {
    const sameUnit = owner.ownerUnitId === input.member.unitId;
    if (!input.checkOnly) {
      await ledger.recordReReport({
        leadId: owner.id,
        unitId: input.member.unitId,
        memberId: input.member.id,
        companyName: input.report.companyName ?? owner.companyName,
        platform: input.source.platform,
        msgId: input.source.msgId,
        kind: sameUnit ? 'same-unit' : 'other-unit',
      });
    }
    return sameUnit ? { kind: 'owned-by-same-unit', lead: owner } : { kind: 'owned-by-other-unit', lead: owner };
  }

  /** The same contact phone already on another unit's lead: the coordinating office decides (DOMAIN.md). */
  private async tellOfficeOfSharedPhone(lead: LedgerLead, other: LedgerLead, input: RegisterInput) {
    await this.tellOffice(
      input,
      noticeSharedPhone({
        code: lead.code,
        companyName: lead.companyName,
        unitName: lead.ownerUnitName,
        otherCode: other.code,
        otherCompanyName: other.companyName,
        otherUnitName: other.ownerUnitName,
      }),
      `shared-phone:${lead.id}`,
    );
  }

  private async tellOffice(input: RegisterInput, content: string, dedupKey: string) {
    const targets = await unitNoticeTargets(this.em, { profileKey: this.policy.coordinatingUnitKey }, input.via);
    await this.events.notice(dedupKey, targets, content);
  }
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();

/** The year of `at` in the zone; one formatter per zone (building one costs more than the lead's parsing). */
export function yearIn(at: Date, timeZone: string): number {
  let f = yearFormats.get(timeZone);
  if (!f) yearFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' })));
  return Number(f.format(at));
}
