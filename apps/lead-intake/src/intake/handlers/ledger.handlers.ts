import {
  formatWan,
  LEAD_EXAMPLE,
  ledgerCommandWords,
  parseStageArgs,
  readLeadReport,
  replyCorrected,
  replyIntakeHelp,
  replyLeadDetail,
  replyLeadNotFound,
  replyMyLeads,
  replyNeedsCode,
  replyNotOwner,
  replyQuery,
  replyRefused,
  replyStageRecorded,
  replyTransferRequested,
  stageLabel,
  Stage,
  companyRegistryKey,
} from '@zs/domain';
import { LedgerRepository } from '@zs/persistence';
import { Decision, IntakeContext } from '../intake-context';
import { LedgerEventWriter } from '../ledger-events';
import { amountDisplayOf } from '../report-fields';
import { ChangeStageUseCase } from '../use-cases/change-stage.use-case';
import { TransferLeadUseCase } from '../use-cases/transfer-lead.use-case';
import { UpdateLeadUseCase } from '../use-cases/update-lead.use-case';
import { CommandHandler, CommandOf } from './command-handler';

const member = (ctx: IntakeContext) => ({ kind: 'member' as const, member: ctx.member });

/** 签约 / 开工 / 投产 / 终止 / 在谈 编号 …, and 到位 编号 金额: by the owning unit only. */
export class StageHandler implements CommandHandler<'stage'> {
  readonly kind = 'stage' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'stage'>): Promise<Decision> {
    const args = parseStageArgs(c.args, new Date(ctx.msg.createdAt), ctx.policy.timezone);
    if (args.badAmount) return refuseAmount(args.badAmount);
    const rate = args.currency === 'USD' ? ctx.policy.usdToCnyRate : 1;
    return changeStage(ctx, c.code, {
      kind: 'stage',
      to: c.stage,
      date: args.date ?? ctx.msg.createdAt,
      amountWan: args.amountWan === null ? null : Math.round(args.amountWan * rate * 100) / 100,
      reason: args.note,
    }, args.note);
  }
}

export class CapitalHandler implements CommandHandler<'capital'> {
  readonly kind = 'capital' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'capital'>): Promise<Decision> {
    const args = parseStageArgs(c.args, new Date(ctx.msg.createdAt), ctx.policy.timezone);
    if (args.badAmount) return refuseAmount(args.badAmount);
    const rate = args.currency === 'USD' ? ctx.policy.usdToCnyRate : 1;
    const delta = args.amountWan === null ? 0 : Math.round(args.amountWan * rate * 100) / 100;
    return changeStage(ctx, c.code, { kind: 'capital', deltaWan: delta, date: args.date ?? ctx.msg.createdAt }, args.note);
  }
}

/** An amount the official wrote but that reads as none (`-5亿`): say so rather than record or guess. */
function refuseAmount(badAmount: string): Decision {
  return { outcome: 'refused', leadId: null, replyText: replyRefused(`金额“${badAmount}”无法识别，请写成如“5亿”“8000万”`) };
}

async function changeStage(ctx: IntakeContext, code: string, request: Parameters<ChangeStageUseCase['run']>[0]['request'], note: string | null): Promise<Decision> {
  const r = await new ChangeStageUseCase(ctx.em, ctx.policy, new LedgerEventWriter(ctx.em, ctx.outbox)).run({
    code,
    request,
    note,
    actor: member(ctx),
    source: { platform: ctx.msg.platform, msgId: ctx.msg.msgId },
  });
  switch (r.kind) {
    case 'not-found':
      return { outcome: 'refused', leadId: null, replyText: replyLeadNotFound(code) };
    case 'not-owner':
      return { outcome: 'refused', leadId: r.lead.id, replyText: replyNotOwner(code, ctx.policy.coordinatingUnitName) };
    case 'refused':
      return { outcome: 'refused', leadId: r.lead.id, replyText: replyRefused(r.reason) };
    case 'changed':
      return {
        outcome: 'stage-changed',
        leadId: r.lead.id,
        replyText: replyStageRecorded({
          code: r.lead.code,
          companyName: r.lead.companyName,
          stageLabel: stageLabel(r.lead.stage as Stage, ctx.policy.ledger),
          date: r.date,
          timeZone: ctx.policy.timezone,
          signedAmount: r.lead.stage === 'signed' && r.capitalDeltaWan === null ? formatWan(r.lead.signedAmountWan) : null,
          capitalDelta: r.capitalDeltaWan !== null ? formatWan(r.capitalDeltaWan) : null,
          capitalTotal: r.lead.capitalInPlaceWan !== null ? formatWan(r.lead.capitalInPlaceWan) : null,
        }),
      };
  }
}

/** 我的线索: the unit's leads, most recently updated first. */
export class MyLeadsHandler implements CommandHandler<'my-leads'> {
  readonly kind = 'my-leads' as const;
  async handle(ctx: IntakeContext): Promise<Decision> {
    const { items, total } = await new LedgerRepository(ctx.em).listForUnit(ctx.member.unitId, 20);
    return {
      outcome: 'answered',
      leadId: null,
      replyText: replyMyLeads({
        unitName: ctx.member.unitName,
        total,
        timeZone: ctx.policy.timezone,
        items: items.map((l) => ({ code: l.code, companyName: l.companyName, stageLabel: stageLabel(l.stage as Stage, ctx.policy.ledger), updatedAt: l.updatedAt })),
      }),
    };
  }
}

/** 查询 企业名: whether, by which unit and when a company is registered. Never contacts. */
export class QueryHandler implements CommandHandler<'query'> {
  readonly kind = 'query' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'query'>): Promise<Decision> {
    const ledger = new LedgerRepository(ctx.em);
    const key = companyRegistryKey(c.companyName);
    const exact = key ? await ledger.findLiveClaim(key, null) : null;
    const found = exact
      ? [{ companyName: exact.companyName, unitName: exact.ownerUnitName, registeredAt: exact.registeredAt, exact: true }]
      : key
        ? (await ledger.findSimilar(key, ctx.settings.similarityThreshold, 3)).map((s) => ({ companyName: s.companyName, unitName: s.ownerUnitName, registeredAt: s.registeredAt, exact: false }))
        : [];
    return { outcome: 'answered', leadId: exact?.id ?? null, replyText: replyQuery({ companyName: c.companyName, found, timeZone: ctx.policy.timezone }) };
  }
}

/** 线索 编号: the lead in full, to its own unit. */
export class ShowHandler implements CommandHandler<'show'> {
  readonly kind = 'show' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'show'>): Promise<Decision> {
    const ledger = new LedgerRepository(ctx.em);
    const lead = await ledger.getByCode(c.code);
    if (!lead || lead.lapsedAt) return { outcome: 'refused', leadId: null, replyText: replyLeadNotFound(c.code) };
    if (lead.ownerUnitId !== ctx.member.unitId) return { outcome: 'refused', leadId: lead.id, replyText: replyNotOwner(c.code, ctx.policy.coordinatingUnitName) };
    const h = await ledger.history(lead.id);
    return {
      outcome: 'answered',
      leadId: lead.id,
      replyText: replyLeadDetail(
        {
          code: lead.code,
          companyName: lead.companyName,
          industry: lead.industry,
          amountDisplay: amountDisplayOf(lead),
          tierLabel: lead.tierLabel,
          stageLabel: stageLabel(lead.stage as Stage, ctx.policy.ledger),
          ownerUnitName: lead.ownerUnitName,
          firstContactUnitName: lead.firstContactUnitName,
          contact: [lead.contactName, lead.contactPhone].filter(Boolean).join(' ') || null,
          content: lead.content,
          registeredAt: lead.registeredAt,
          signedAmount: lead.signedAmountWan !== null ? formatWan(lead.signedAmountWan) : null,
          capitalTotal: lead.capitalInPlaceWan !== null ? formatWan(lead.capitalInPlaceWan) : null,
          history: h.stages
            .filter((s: { from: string; to: string }) => s.from !== s.to)
            .map((s: { to: string; date: Date }) => ({ label: stageLabel(s.to as Stage, ctx.policy.ledger), date: s.date })),
        },
        ctx.policy.timezone,
      ),
    };
  }
}

/** 更正 编号 投资额：3亿: the owning unit corrects fields. */
export class CorrectHandler implements CommandHandler<'correct'> {
  readonly kind = 'correct' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'correct'>): Promise<Decision> {
    const report = readLeadReport(c.body, { usdToCnyRate: ctx.policy.usdToCnyRate });
    const r = await new UpdateLeadUseCase(ctx.em, ctx.policy, new LedgerEventWriter(ctx.em, ctx.outbox)).fromReport({
      code: c.code,
      report,
      actor: member(ctx),
      action: 'corrected',
      allowRename: false,
    });
    if (r.kind === 'not-found') return { outcome: 'refused', leadId: null, replyText: replyLeadNotFound(c.code) };
    if (r.kind === 'not-owner') return { outcome: 'refused', leadId: r.lead.id, replyText: replyNotOwner(c.code, ctx.policy.coordinatingUnitName) };
    if (r.kind === 'nothing') return { outcome: 'invalid', leadId: r.lead.id, replyText: replyCorrected({ code: c.code, fields: [], warnings: report.warnings, problems: r.problems }) };
    return { outcome: 'corrected', leadId: r.lead.id, replyText: replyCorrected({ code: c.code, fields: r.fields, warnings: report.warnings, problems: r.problems }) };
  }
}

/** 流转 编号 单位 原因: the coordinating office hands a lead to another unit. */
export class TransferHandler implements CommandHandler<'transfer'> {
  readonly kind = 'transfer' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'transfer'>): Promise<Decision> {
    const uc = new TransferLeadUseCase(ctx.em, ctx.policy, new LedgerEventWriter(ctx.em, ctx.outbox));
    if (!(await uc.mayTransfer(member(ctx)))) {
      return { outcome: 'refused', leadId: null, replyText: replyRefused(`线索流转由${ctx.policy.coordinatingUnitName}办理；如需跟进，请发送“申请流转 ${c.code} 原因”`) };
    }
    const [unitName, ...reason] = c.args.split(/\s+/);
    if (!unitName) return { outcome: 'refused', leadId: null, replyText: replyRefused(`请写明流转至哪个单位，例如：流转 ${c.code} 赫山区 企业选址调整`) };
    const r = await uc.run({ code: c.code, toUnit: { name: unitName }, reason: reason.join(' '), actor: member(ctx), via: ctx.msg });
    switch (r.kind) {
      case 'not-found':
        return { outcome: 'refused', leadId: null, replyText: replyLeadNotFound(c.code) };
      case 'unknown-unit':
        return { outcome: 'refused', leadId: null, replyText: replyRefused(`未找到单位“${r.unit}”，请使用单位全称`) };
      case 'refused':
        return { outcome: 'refused', leadId: null, replyText: replyRefused(r.reason) };
      case 'transferred':
        return {
          outcome: 'transferred',
          leadId: r.lead.id,
          replyText: `线索 ${r.lead.code} 已由${r.fromUnitName}流转至${r.toUnit.name}，首谈首报成绩仍归${r.lead.firstContactUnitName}。已通知两个单位。`,
        };
    }
  }
}

/** 申请流转 编号 原因: a unit asks the office for a lead. */
export class RequestTransferHandler implements CommandHandler<'request-transfer'> {
  readonly kind = 'request-transfer' as const;
  async handle(ctx: IntakeContext, c: CommandOf<'request-transfer'>): Promise<Decision> {
    const r = await new TransferLeadUseCase(ctx.em, ctx.policy, new LedgerEventWriter(ctx.em, ctx.outbox)).request({
      code: c.code,
      reason: c.reason,
      actor: member(ctx),
      via: ctx.msg,
    });
    if (r.kind === 'not-found') return { outcome: 'refused', leadId: null, replyText: replyLeadNotFound(c.code) };
    if (r.kind === 'refused') return { outcome: 'refused', leadId: null, replyText: replyRefused(r.reason) };
    return { outcome: 'answered', leadId: r.lead.id, replyText: replyTransferRequested({ code: r.lead.code, office: ctx.policy.coordinatingUnitName }) };
  }
}

export class HelpHandler implements CommandHandler<'help'> {
  readonly kind = 'help' as const;
  async handle(ctx: IntakeContext): Promise<Decision> {
    const words = ctx.policy.ledger.stages.map((s) => s.commands[0]);
    return {
      outcome: 'help',
      leadId: null,
      replyText: replyIntakeHelp({
        office: ctx.policy.coordinatingUnitName,
        stageWords: words,
        capitalWord: ctx.policy.ledger.capitalCommands[0],
        example: LEAD_EXAMPLE,
        transferAllowed: ctx.policy.firstContact.transferAllowed,
      }),
    };
  }
}

export class NeedsCodeHandler implements CommandHandler<'needs-code'> {
  readonly kind = 'needs-code' as const;
  async handle(_ctx: IntakeContext, c: CommandOf<'needs-code'>): Promise<Decision> {
    return { outcome: 'refused', leadId: null, replyText: replyNeedsCode(c.command) };
  }
}

export { ledgerCommandWords };
