import type { PolicyProfile, UnitKind } from '../policy/profile.schema';
import { LedgerProject, reachedAt } from './ledger-metrics';
import { GroupRanking } from './ranking';

/**
 * Rewards (奖励) of a year: rank-based ones from the annual ranking, per-project ones from the
 * ledger by first contact (首次接触): the unit that first reported the lead is credited even when
 * the project was transferred to and landed by another unit.
 */
export interface RewardLine {
  unit: string;
  unitName: string;
  amountWan: number;
  reason: string;
  rule: string;
  /** the lead a per-project reward is for */
  leadId?: string;
}

export function computeRewards(
  profile: PolicyProfile,
  year: number,
  annual: GroupRanking[] | undefined,
  projects: LedgerProject[],
  units: Map<string, { name: string; kind: UnitKind }>,
  utcOffsetMinutes = 480,
): RewardLine[] {
  const out: RewardLine[] = [];
  const fromMs = Date.UTC(year, 0, 1) - utcOffsetMinutes * 60_000;
  const toMs = Date.UTC(year + 1, 0, 1) - utcOffsetMinutes * 60_000;
  for (const r of profile.rewards) {
    if (r.basis === 'rank' && r.amountWan && annual) {
      const g = annual.find((x) => x.group === r.rankingGroup);
      for (const row of g?.rows.filter((x) => x.rank === r.rank) ?? []) {
        out.push({
          unit: row.unit,
          unitName: row.unitName,
          amountWan: r.amountWan,
          // Stryker disable next-line OptionalChaining: equivalent, this row comes from g.rows, so g is defined here
          reason: `${year}年度${g?.groupName}考核排名第${r.rank}名（${row.score}分）：${r.description}`,
          rule: r.key,
        });
      }
    }
    if (r.basis === 'per-project' && r.amountWan) {
      const stage = r.landedStage ?? 'started';
      for (const p of projects) {
        if (r.tierKey && p.tier !== r.tierKey) continue;
        if (p.stageDates.terminated !== undefined && p.stageDates.terminated < toMs) continue;
        const landed = reachedAt(p, stage, toMs);
        if (landed === undefined || landed < fromMs) continue;
        const byFirstContact = r.requiresFirstContact !== false;
        const creditKey = byFirstContact ? p.firstContactUnitKey : p.ownerUnitKey;
        const unit = units.get(creditKey);
        if (!unit || !r.appliesTo.includes(unit.kind)) continue;
        // Only a credit by first contact to a unit other than the owner says so; a reward credited
        // to the owner (requiresFirstContact: false) is not "by first contact" whoever reported it.
        const transferred = creditKey !== p.ownerUnitKey ? `（已移交${units.get(p.ownerUnitKey)?.name ?? p.ownerUnitKey}落地，按首次接触计）` : '';
        out.push({
          unit: creditKey,
          unitName: unit.name,
          amountWan: r.amountWan,
          reason: `${byFirstContact ? '首次接触并提供信息的' : ''}重大产业项目${p.code ? ` ${p.code}` : ''} ${year}年落地${transferred}：${r.description}`,
          rule: r.key,
          leadId: p.leadId,
        });
      }
    }
  }
  return out;
}
