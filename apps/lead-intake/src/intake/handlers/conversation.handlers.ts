import { readCompletionReply, readLeadReport, registryKeyOfNormalized, replyCancelled, replyCompletion, replyNothingToConfirm, replyPendingNotUnderstood, replyUnknownCommand } from '@zs/domain';
import { ConversationRepository } from '@zs/persistence';
import { Decision, IntakeContext } from '../intake-context';
import { LedgerEventWriter } from '../ledger-events';
import { amountDisplayOf, missingKeysOfLead, missingOfLead } from '../report-fields';
import { CONVERSATION, PendingFields, PendingReport, runReport } from '../report-flow';
import { UpdateLeadUseCase } from '../use-cases/update-lead.use-case';
import { CommandHandler, CommandOf } from './command-handler';

/** 报线索 …: labelled text is claimed at once; a sentence the reader had to interpret is read back first. */
export class SubmitHandler implements CommandHandler<'submit'> {
  readonly kind = 'submit' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'submit'>): Promise<Decision> {
    const report = readLeadReport(c.body, { usdToCnyRate: ctx.policy.usdToCnyRate });
    return runReport(ctx, report, report.labelled ? 'direct' : 'read-back');
  }
}

/** 确认: claims the read-back report at the time of the original message. */
export class ConfirmHandler implements CommandHandler<'confirm'> {
  readonly kind = 'confirm' as const;
  async handle(ctx: IntakeContext): Promise<Decision> {
    const conv = await new ConversationRepository(ctx.em).take<PendingReport>(ctx.member.id, ctx.chatKey);
    if (!conv || conv.kind !== CONVERSATION.awaitingConfirmation) return { outcome: 'unknown-command', leadId: null, replyText: replyNothingToConfirm() };
    return runReport(ctx, conv.payload.report, 'confirmed', conv.payload);
  }
}

/** 确认新企业: the reporter says a near match is a different company. */
export class ConfirmNewCompanyHandler implements CommandHandler<'confirm-new-company'> {
  readonly kind = 'confirm-new-company' as const;
  async handle(ctx: IntakeContext): Promise<Decision> {
    const conv = await new ConversationRepository(ctx.em).take<PendingReport>(ctx.member.id, ctx.chatKey);
    if (!conv || conv.kind !== CONVERSATION.awaitingNewCompany) return { outcome: 'unknown-command', leadId: null, replyText: replyNothingToConfirm() };
    return runReport(ctx, conv.payload.report, 'new-company', conv.payload);
  }
}

/** 取消: ends whatever the bot was waiting for. A claim already made stays. */
export class CancelHandler implements CommandHandler<'cancel'> {
  readonly kind = 'cancel' as const;
  async handle(ctx: IntakeContext): Promise<Decision> {
    const repo = new ConversationRepository(ctx.em);
    const had = !!(await repo.take(ctx.member.id, ctx.chatKey));
    if (had) await repo.end(ctx.member.id, ctx.chatKey);
    return { outcome: 'cancelled', leadId: null, replyText: replyCancelled(had) };
  }
}

/**
 * Text that is no command: the values a pending lead is waiting for, or a report written as a
 * plain sentence (read back for 确认), or something not understood.
 */
export class TextHandler implements CommandHandler<'text'> {
  readonly kind = 'text' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'text'>): Promise<Decision> {
    const conversations = new ConversationRepository(ctx.em);
    const conv = await conversations.take<PendingFields | PendingReport>(ctx.member.id, ctx.chatKey);
    const opts = { usdToCnyRate: ctx.policy.usdToCnyRate };
    const pending = conv?.kind === CONVERSATION.awaitingFields ? (conv.payload as PendingFields) : null;
    const lead = pending
      ? (
          await ctx.em.query(
            `SELECT normalized_name AS key, industry, amount_wan AS "amountWan", contact_name AS "contactName", contact_phone AS "contactPhone", content FROM leads WHERE id = $1`,
            [pending.leadId],
          )
        )[0]
      : null;
    // An answer to 请补充 is read knowing what was asked: a bare "新能源汽车零部件" is the industry.
    const report = pending && lead ? readCompletionReply(c.text, missingKeysOfLead(lead), opts) : readLeadReport(c.text, opts);
    if (pending) {
      const otherCompany = report.normalizedName && lead && registryKeyOfNormalized(report.normalizedName) !== lead.key;
      if (!otherCompany) return this.complete(ctx, pending, report);
    }
    if (report.companyName && report.normalizedName) return runReport(ctx, report, 'read-back');
    if (pending) {
      return { outcome: 'invalid', leadId: pending.leadId, replyText: replyPendingNotUnderstood({ code: pending.code, missing: lead ? missingOfLead(lead) : [] }) };
    }
    return { outcome: 'unknown-command', leadId: null, replyText: replyUnknownCommand(c.text) };
  }

  private async complete(ctx: IntakeContext, pending: PendingFields, report: ReturnType<typeof readLeadReport>): Promise<Decision> {
    const events = new LedgerEventWriter(ctx.em, ctx.outbox);
    const r = await new UpdateLeadUseCase(ctx.em, ctx.policy, events).fromReport({
      leadId: pending.leadId,
      report,
      actor: { kind: 'member', member: ctx.member },
      action: 'completed',
      allowRename: false,
    });
    const conversations = new ConversationRepository(ctx.em);
    if (r.kind === 'not-found' || r.kind === 'not-owner') {
      await conversations.end(ctx.member.id, ctx.chatKey);
      return { outcome: 'invalid', leadId: null, replyText: replyNothingToConfirm() };
    }
    if (r.kind === 'nothing') {
      const missing = missingOfLead(r.lead);
      return {
        outcome: 'invalid',
        leadId: r.lead.id,
        replyText: r.problems.length
          ? replyCompletion({ code: r.lead.code, companyName: r.lead.companyName, tierLabel: r.lead.tierLabel, amountDisplay: amountDisplayOf(r.lead), stillMissing: missing, warnings: report.warnings, problems: r.problems })
          : replyPendingNotUnderstood({ code: pending.code, missing }),
      };
    }
    if (r.stillMissing.length === 0) await conversations.end(ctx.member.id, ctx.chatKey);
    else await conversations.open(ctx.member.id, ctx.chatKey, CONVERSATION.awaitingFields, pending, ctx.settings.conversationTtlSeconds);
    return {
      outcome: 'completed',
      leadId: r.lead.id,
      replyText: replyCompletion({
        code: r.lead.code,
        companyName: r.lead.companyName,
        tierLabel: r.lead.tierLabel,
        amountDisplay: amountDisplayOf(r.lead),
        stillMissing: r.stillMissing,
        warnings: report.warnings,
        problems: r.problems,
      }),
    };
  }
}
