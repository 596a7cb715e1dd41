import {
  formatWan,
  LEAD_EXAMPLE,
  LeadReport,
  replyClaimed,
  replyNeedCompany,
  replyOwnedByOtherUnit,
  replyOwnedBySameUnit,
  replyPossibleDuplicate,
  replyReadBack,
  ReportView,
} from '@zs/domain';
import { ConversationRepository } from '@zs/persistence';
import { Decision, IntakeContext } from './intake-context';
import { LedgerEventWriter } from './ledger-events';
import { amountDisplayOf } from './report-fields';
import { RegisterLeadUseCase } from './use-cases/register-lead.use-case';

export const CONVERSATION = {
  awaitingFields: 'awaiting-fields',
  awaitingConfirmation: 'awaiting-confirmation',
  awaitingNewCompany: 'awaiting-new-company',
} as const;

export interface PendingFields {
  leadId: string;
  code: string;
}
export interface PendingReport {
  report: LeadReport;
  /** ms: the time of the message that named the company (the first-contact time). */
  claimedAt: number;
  platform: string;
  msgId: string;
}

/**
 * direct: 报线索 with labels, claim at once. read-back: a sentence without labels (or without
 * 报线索), check ownership and ask to 确认. confirmed: the official said 确认. new-company: the
 * official said 确认新企业 after a near match.
 */
export type ReportMode = 'direct' | 'read-back' | 'confirmed' | 'new-company';

export function reportView(r: LeadReport): ReportView {
  const a = r.amount;
  const amountDisplay = a
    ? a.minWan !== a.maxWan
      ? `${formatWan(a.minWan, a.currency)}至${formatWan(a.maxWan, a.currency)}`
      : `${a.approximate ? '约' : ''}${formatWan(a.minWan, a.currency)}`
    : null;
  return {
    companyName: r.companyName,
    industry: r.industry,
    amountDisplay,
    contact: [r.contactName, r.contactPhone].filter(Boolean).join(' ') || null,
    content: r.content,
    creditCode: r.creditCode,
  };
}

/** Runs a report through first contact and answers; opens or ends the member's conversation in the same transaction. */
export async function runReport(ctx: IntakeContext, report: LeadReport, mode: ReportMode, pending?: PendingReport): Promise<Decision> {
  const conversations = new ConversationRepository(ctx.em);
  const events = new LedgerEventWriter(ctx.em, ctx.outbox);
  const tz = ctx.policy.timezone;
  const office = ctx.policy.coordinatingUnitName;
  const claimedAt = new Date(pending?.claimedAt ?? ctx.msg.createdAt);
  const source = pending ? { platform: pending.platform, msgId: pending.msgId } : { platform: ctx.msg.platform, msgId: ctx.msg.msgId };
  const result = await new RegisterLeadUseCase(ctx.em, ctx.policy, ctx.settings, events).run({
    report,
    member: ctx.member,
    claimedAt,
    source,
    acceptNearMatch: mode === 'new-company',
    checkOnly: mode === 'read-back',
    via: ctx.msg,
  });
  const keep: PendingReport = { report, claimedAt: claimedAt.getTime(), platform: source.platform, msgId: source.msgId };
  switch (result.kind) {
    case 'no-company':
      return { outcome: 'invalid', leadId: null, replyText: replyNeedCompany(LEAD_EXAMPLE) };
    case 'owned-by-other-unit':
      await conversations.end(ctx.member.id, ctx.chatKey);
      return {
        outcome: 'already-registered',
        leadId: result.lead.id,
        // Never the owner's contact person or phone: only who and when.
        replyText: replyOwnedByOtherUnit({ companyName: result.lead.companyName, ownerUnitName: result.lead.ownerUnitName, registeredAt: result.lead.registeredAt, timeZone: tz, office }),
      };
    case 'owned-by-same-unit':
      await conversations.end(ctx.member.id, ctx.chatKey);
      return {
        outcome: 'already-registered',
        leadId: result.lead.id,
        replyText: replyOwnedBySameUnit({ code: result.lead.code, companyName: result.lead.companyName, registeredAt: result.lead.registeredAt, timeZone: tz }),
      };
    case 'possible-duplicate':
      await conversations.open(ctx.member.id, ctx.chatKey, CONVERSATION.awaitingNewCompany, keep, ctx.settings.conversationTtlSeconds);
      return {
        outcome: 'possible-duplicate',
        leadId: result.similar.id,
        replyText: replyPossibleDuplicate({
          companyName: report.companyName ?? '',
          similarName: result.similar.companyName,
          ownerUnitName: result.similar.ownerUnitName,
          registeredAt: result.similar.registeredAt,
          timeZone: tz,
          office,
        }),
      };
    case 'clear':
      await conversations.open(ctx.member.id, ctx.chatKey, CONVERSATION.awaitingConfirmation, keep, ctx.settings.conversationTtlSeconds);
      return { outcome: 'awaiting-confirmation', leadId: null, replyText: replyReadBack({ view: reportView(report), warnings: report.warnings, problems: report.problems }) };
    case 'claimed': {
      const lead = result.lead;
      if (result.missing.length > 0) {
        const p: PendingFields = { leadId: lead.id, code: lead.code };
        await conversations.open(ctx.member.id, ctx.chatKey, CONVERSATION.awaitingFields, p, ctx.settings.conversationTtlSeconds);
      } else await conversations.end(ctx.member.id, ctx.chatKey);
      return {
        outcome: result.missing.length > 0 ? 'claimed' : 'registered',
        leadId: lead.id,
        replyText: replyClaimed({
          code: lead.code,
          companyName: lead.companyName,
          ownerUnitName: lead.ownerUnitName,
          registeredAt: lead.registeredAt,
          timeZone: tz,
          tierLabel: lead.tierLabel,
          amountDisplay: amountDisplayOf(lead),
          missing: result.missing,
          warnings: report.warnings,
          problems: result.problems,
          claimCompletionDays: ctx.policy.firstContact.claimCompletionDays,
        }),
      };
    }
  }
}
