/**
 * The project stage machine (线索 → 在谈 → 签约 → 开工 → 投产, or 终止), pure. The vocabulary
 * and what each stage needs come from the city profile (`ledger`); the order of the stages is
 * the product's: a project only moves forward (stages may be skipped: a lead can be signed
 * without a recorded negotiation), 终止 ends it from any stage, and nothing follows 终止.
 *
 * Every refusal carries a Chinese reason fit for a chat reply.
 */
import type { LedgerRules, LedgerStageRule } from '../policy/profile.schema';

export type Stage = 'lead' | 'negotiating' | 'signed' | 'started' | 'producing' | 'terminated';
export const STAGE_ORDER: readonly Stage[] = ['lead', 'negotiating', 'signed', 'started', 'producing'];

export interface LedgerState {
  stage: Stage;
  /** ms since epoch the stage was reached, per stage */
  stageDates: Partial<Record<Stage, number>>;
  signedAmountWan: number | null;
  capitalInPlaceWan: number | null;
}

export type LedgerRequest =
  | { kind: 'stage'; to: Exclude<Stage, 'lead'>; date: number; amountWan?: number | null; reason?: string | null }
  | { kind: 'capital'; deltaWan: number; date: number };

export interface LedgerChange {
  from: Stage;
  to: Stage;
  date: number;
  capitalDeltaWan: number | null;
  next: LedgerState;
}

export type LedgerDecision = { ok: true; change: LedgerChange } | { ok: false; reason: string };

/** Dates more than this far ahead of "now" are refused (a typo such as 2062). One day of slack covers time zones. */
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

export function stageLabel(stage: Stage, rules: LedgerRules): string {
  if (stage === 'lead') return rules.leadLabel;
  return rules.stages.find((s) => s.stage === stage)?.label ?? stage;
}

export function stageRule(stage: Stage, rules: LedgerRules): LedgerStageRule | undefined {
  return rules.stages.find((s) => s.stage === stage);
}

/** Which stage (or capital record) a chat command word names, per the profile's vocabulary. */
export function ledgerCommandFor(word: string, rules: LedgerRules): { kind: 'stage'; stage: Exclude<Stage, 'lead'> } | { kind: 'capital' } | null {
  if (rules.capitalCommands.includes(word)) return { kind: 'capital' };
  const rule = rules.stages.find((s) => s.commands.includes(word));
  return rule ? { kind: 'stage', stage: rule.stage } : null;
}

/** Every command word of the profile, longest first (so a router can match prefixes safely). */
export function ledgerCommandWords(rules: LedgerRules): string[] {
  return [...rules.capitalCommands, ...rules.stages.flatMap((s) => s.commands)].sort((a, b) => b.length - a.length);
}

/** Decides whether a request may be applied to a lead in `state`, and what the lead looks like after it. */
export function applyLedgerRequest(state: LedgerState, req: LedgerRequest, rules: LedgerRules, now: number): LedgerDecision {
  if (!Number.isFinite(req.date)) return { ok: false, reason: '日期无法识别，请写成如“2026-12-01”' };
  if (req.date > now + FUTURE_SLACK_MS) return { ok: false, reason: '日期晚于今天，请填写已经发生的日期' };
  if (state.stage === 'terminated') {
    return { ok: false, reason: `该项目已${stageLabel('terminated', rules)}，不能再变更；如需恢复请联系管理员` };
  }
  if (req.kind === 'capital') return applyCapital(state, req, rules);

  const rule = stageRule(req.to, rules);
  if (!rule) return { ok: false, reason: `本市台账未设置“${req.to}”阶段` };
  if (req.to === state.stage) return { ok: false, reason: `该项目已处于“${rule.label}”阶段` };
  if (req.to !== 'terminated' && STAGE_ORDER.indexOf(req.to) < STAGE_ORDER.indexOf(state.stage)) {
    return {
      ok: false,
      reason: `该项目已到“${stageLabel(state.stage, rules)}”阶段，不能退回“${rule.label}”；如登记有误请联系管理员更正`,
    };
  }
  const amount = req.amountWan ?? null;
  if (rule.requires.includes('amount') && (amount === null || !(amount > 0))) {
    return { ok: false, reason: `“${rule.label}”须写明金额，例如：${rule.commands[0]} 编号 5亿 2026-12-01` };
  }
  const reason = (req.reason ?? '').trim();
  if (rule.requires.includes('reason') && !reason) {
    return { ok: false, reason: `“${rule.label}”须写明原因，例如：${rule.commands[0]} 编号 企业战略调整` };
  }
  const previousDates = Object.values(state.stageDates).filter((d): d is number => typeof d === 'number');
  if (req.to !== 'terminated' && previousDates.some((d) => req.date < d - FUTURE_SLACK_MS)) {
    return { ok: false, reason: '日期早于上一阶段的日期，请核对' };
  }
  const next: LedgerState = {
    stage: req.to,
    stageDates: { ...state.stageDates, [req.to]: req.date },
    signedAmountWan: req.to === 'signed' && amount !== null ? amount : state.signedAmountWan,
    capitalInPlaceWan: state.capitalInPlaceWan,
  };
  return { ok: true, change: { from: state.stage, to: req.to, date: req.date, capitalDeltaWan: null, next } };
}

function applyCapital(state: LedgerState, req: Extract<LedgerRequest, { kind: 'capital' }>, rules: LedgerRules): LedgerDecision {
  const word = rules.capitalCommands[0];
  if (!(req.deltaWan > 0)) return { ok: false, reason: `请写明本次到位金额，例如：${word} 编号 1.2亿` };
  if (STAGE_ORDER.indexOf(state.stage) < STAGE_ORDER.indexOf('signed')) {
    return { ok: false, reason: `项目${stageLabel('signed', rules)}后才能登记到位资金` };
  }
  const total = round2((state.capitalInPlaceWan ?? 0) + req.deltaWan);
  return {
    ok: true,
    change: {
      from: state.stage,
      to: state.stage,
      date: req.date,
      capitalDeltaWan: req.deltaWan,
      next: { ...state, capitalInPlaceWan: total },
    },
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
