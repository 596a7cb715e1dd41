import type { AccountabilityRule } from '../policy/profile.schema';
import { addDays, AssessmentPeriod, periodEndDate, previousPeriod } from './period';
import { bottomUnits, GroupRanking } from './ranking';

/**
 * The accountability ladder (约谈问责) evaluated over the rank history. Each action is tied to the
 * period that triggered it: the assessed quarter, or the assessed year for annual rules. Runs are
 * counted across the year boundary (2025-Q4 then 2026-Q1 are two consecutive quarters).
 */
export interface AccountabilityAction {
  /** the rule's key, e.g. quarterly-interview */
  action: string;
  actionType: AccountabilityRule['actionType'];
  period: string;
  unit: string;
  unitName: string;
  /** who convenes / interviews, in the policy's words, and the leader post that holds it */
  convener: string;
  convenerPost: string | null;
  interviewee: string;
  intervieweeRole: AccountabilityRule['intervieweeRole'];
  reason: string;
  /** YYYY-MM-DD, or null when the policy sets no time limit */
  deadline: string | null;
  source: string;
  assumed: boolean;
}

/** Published rankings by period key. */
export type RankHistory = (periodKey: string) => GroupRanking[] | undefined;

const CN_NUM = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十'];
const cn = (n: number) => CN_NUM[n] ?? String(n);

export function evaluateLadder(rules: AccountabilityRule[], period: AssessmentPeriod, history: RankHistory): AccountabilityAction[] {
  const out: AccountabilityAction[] = [];
  for (const rule of rules) {
    if (rule.enabled === false) continue;
    if ((rule.trigger.scope === 'quarter') !== (period.kind === 'quarter')) continue;
    if (rule.trigger.scope === 'year' && period.kind !== 'year') continue;

    // The run of periods, newest first: P, P−1, … (consecutive of them).
    const run: AssessmentPeriod[] = [period];
    while (run.length < rule.trigger.consecutive) run.push(previousPeriod(run[run.length - 1]));
    const rankings = run.map((p) => history(p.key)?.find((g) => g.group === rule.rankingGroup));
    if (rankings.some((r) => !r)) continue;

    const bottomSets = rankings.map((r) => new Set(bottomUnits(r as GroupRanking, rule.trigger.rankFromBottom)));
    const current = rankings[0] as GroupRanking;
    for (const row of current.rows) {
      if (!bottomSets.every((s) => s.has(row.unit))) continue;
      const ranks = [...run]
        .reverse()
        .map((p, i) => {
          const r = (rankings[run.length - 1 - i] as GroupRanking).rows.find((x) => x.unit === row.unit);
          // Stryker disable next-line OptionalChaining: equivalent, the unit is in every period's bottom set, so every period's ranking has its row
          return `${p.label}第${r?.rank}名`;
        })
        .join('、');
      const where = rule.trigger.rankFromBottom === 1 ? '排名末位' : `排名后${cn(rule.trigger.rankFromBottom)}位`;
      const what = rule.trigger.metric === 'progress' ? '任务完成进度' : '考核';
      const runText =
        rule.trigger.consecutive > 1
          ? `连续${cn(rule.trigger.consecutive)}${rule.trigger.scope === 'quarter' ? '个季度' : '年'}${what}${where}`
          : `${what}${where}`;
      out.push({
        action: rule.key,
        actionType: rule.actionType,
        period: period.key,
        unit: row.unit,
        unitName: row.unitName,
        convener: rule.interviewer,
        convenerPost: rule.interviewerPost ?? null,
        interviewee: rule.interviewee,
        intervieweeRole: rule.intervieweeRole,
        reason: `${current.groupName}${runText}（${ranks}）：${rule.action}`,
        deadline: rule.deadlineDays ? addDays(periodEndDate(period), rule.deadlineDays) : null,
        source: rule.source,
        assumed: rule.assumed === true,
      });
    }
  }
  return out;
}
