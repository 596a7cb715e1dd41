import type { IndicatorMethod, MissingDataRule, PolicyProfile, UnitKind } from '../policy/profile.schema';
import { applyMethod, methodNeedsTarget } from './methods';
import { AssessmentPeriod, timeProgress } from './period';

/**
 * Ranks one ranking group for one period. Pure: the caller brings targets, cumulative actuals
 * (reported or computed from the ledger) and exemptions; the profile brings weights, methods,
 * missing-data and tie rules.
 */
export interface RankedUnit {
  key: string;
  name: string;
  kind: UnitKind;
  /** units[].flags, e.g. investment-task */
  flags?: string[];
}

export interface ScoredIndicator {
  key: string;
  name: string;
  weight: number;
  appliesTo: UnitKind[];
  direction: 'higher-better' | 'lower-better';
  method: IndicatorMethod;
  missing: MissingDataRule;
  requiresFlags?: string[];
}

/** Does an indicator apply to a unit: its kind, and every flag the indicator requires. */
export function indicatorApplies(ind: { appliesTo: readonly string[]; requiresFlags?: readonly string[] }, unit: { kind: string; flags?: readonly string[] }): boolean {
  return ind.appliesTo.includes(unit.kind) && (ind.requiresFlags ?? []).every((f) => unit.flags?.includes(f));
}

export type Band = 'green' | 'yellow' | 'red';

export interface IndicatorCell {
  value: number | null;
  target: number | null;
  /** completion in percent (1 decimal), when the method compares with a target */
  completion: number | null;
  /** points earned: weight × share, 2 decimals (null when left out) */
  points: number | null;
  /** why the indicator was left out for this unit */
  excluded?: string;
}

export interface RankingRow {
  rank: number | null;
  unit: string;
  unitName: string;
  score: number | null;
  indicators: Record<string, IndicatorCell>;
  /** weighted completion, percent (1 decimal) */
  progress: number | null;
  /** 时序进度 in percent */
  timeProgress: number;
  /** 进度差 in percentage points: progress − time elapsed (absolute mode: progress − 100) */
  gap: number | null;
  band: Band | null;
  /** score points behind the unit ranked just above (null for the first) */
  gapToAbove: number | null;
  /** set when the unit is not ranked this period: exemption or missing data */
  unranked?: string;
}

export interface GroupRanking {
  group: string;
  groupName: string;
  rows: RankingRow[];
}

export interface RankGroupInput {
  period: AssessmentPeriod;
  group: { key: string; name: string };
  units: RankedUnit[];
  indicators: ScoredIndicator[];
  /** unitKey → indicatorKey → annual target */
  targets: Map<string, Map<string, number>>;
  /** unitKey → indicatorKey → cumulative value to the end of the period */
  actuals: Map<string, Map<string, number>>;
  /** unitKey → reason */
  exemptions?: Map<string, string>;
  tieBreakIndicators: string[];
  progressMode: 'against-time-elapsed' | 'absolute';
  bands: { greenFrom: number; yellowFrom: number };
}

const round = (x: number, d: number) => {
  const f = 10 ** d;
  return Math.round((x + Number.EPSILON) * f) / f;
};

/** Default 进度差 bands when a profile sets none: on or ahead of time green, up to 10 points behind yellow. */
export const DEFAULT_PROGRESS_BANDS = { greenFrom: 0, yellowFrom: -10 };

/** The scored indicators of a profile, with their method and missing-data rule resolved. */
export function scoredIndicators(profile: PolicyProfile): ScoredIndicator[] {
  return profile.indicators
    .filter((i) => profile.scoring.weights[i.key] !== undefined)
    .map((i) => ({
      key: i.key,
      name: i.name,
      weight: profile.scoring.weights[i.key],
      appliesTo: i.appliesTo,
      direction: i.direction,
      method: i.method ?? { kind: 'capped-ratio', capPercent: profile.scoring.capPercent },
      missing: i.missing ?? profile.scoring.missingData,
      requiresFlags: i.requiresFlags,
    }));
}

export function bandFor(gap: number, bands: { greenFrom: number; yellowFrom: number }): Band {
  if (gap >= bands.greenFrom - 1e-9) return 'green';
  if (gap >= bands.yellowFrom - 1e-9) return 'yellow';
  return 'red';
}

export function rankGroup(input: RankGroupInput): GroupRanking {
  const tp = timeProgress(input.period);
  const exemptions = input.exemptions ?? new Map<string, string>();

  // Group context for the relative methods: best and worst value among the units that have one.
  const context = new Map<string, { best?: number; worst?: number }>();
  for (const ind of input.indicators) {
    const values = input.units
      .filter((u) => indicatorApplies(ind, u) && !exemptions.has(u.key))
      .map((u) => input.actuals.get(u.key)?.get(ind.key) ?? (ind.missing === 'zero' ? 0 : undefined))
      .filter((v): v is number => v !== undefined);
    if (!values.length) {
      context.set(ind.key, {});
      continue;
    }
    const hi = Math.max(...values);
    const lo = Math.min(...values);
    context.set(ind.key, ind.direction === 'higher-better' ? { best: hi, worst: lo } : { best: lo, worst: hi });
  }

  interface Work {
    row: RankingRow;
    shares: Record<string, number>;
  }
  const works: Work[] = [];
  for (const u of input.units) {
    const row: RankingRow = {
      rank: null,
      unit: u.key,
      unitName: u.name,
      score: null,
      indicators: {},
      progress: null,
      timeProgress: round(tp * 100, 1),
      gap: null,
      band: null,
      gapToAbove: null,
    };
    const shares: Record<string, number> = {};
    let weighted = 0;
    let weightIn = 0;
    const missingUnranked: string[] = [];
    for (const ind of input.indicators.filter((i) => indicatorApplies(i, u))) {
      const actual = input.actuals.get(u.key)?.get(ind.key);
      const target = input.targets.get(u.key)?.get(ind.key);
      const cell: IndicatorCell = { value: actual ?? null, target: target ?? null, completion: null, points: null };
      row.indicators[ind.key] = cell;
      let value = actual;
      if (value === undefined) {
        if (ind.missing === 'unranked') missingUnranked.push(ind.name);
        if (ind.missing !== 'zero') {
          cell.excluded = '未报送';
          continue;
        }
        value = 0;
      }
      if (methodNeedsTarget(ind.method) && !(target !== undefined && target > 0)) {
        cell.excluded = '未下达目标';
        continue;
      }
      const ctx = context.get(ind.key) ?? {};
      const r = applyMethod(ind.method, { value, target, direction: ind.direction, groupBest: ctx.best, groupWorst: ctx.worst });
      shares[ind.key] = r.share;
      cell.points = round(r.share * ind.weight, 2);
      if (r.completion !== undefined) {
        cell.completion = round(r.completion * 100, 1);
      }
      weighted += r.share * ind.weight;
      weightIn += ind.weight;
    }
    if (exemptions.has(u.key)) row.unranked = `免于排名：${exemptions.get(u.key)}`;
    else if (missingUnranked.length) row.unranked = `缺报（${missingUnranked.join('、')}），不参与排名`;
    else if (weightIn === 0) row.unranked = '无可计分指标（未下达目标或未报送）';
    if (!row.unranked) {
      const rawScore = (weighted / weightIn) * 100;
      row.score = round(rawScore, 2);
      // Task completion progress (任务完成进度) is the weighted, capped completion: the score read as a share.
      const progress = rawScore / 100;
      row.progress = round(progress * 100, 1);
      const gap = input.progressMode === 'against-time-elapsed' ? progress * 100 - tp * 100 : progress * 100 - 100;
      row.gap = round(gap, 1);
      row.band = bandFor(gap, input.bands);
    }
    works.push({ row, shares });
  }

  const ranked = works.filter((w) => !w.row.unranked);
  const compare = (a: Work, b: Work): number => {
    if (a.row.score !== b.row.score) return (b.row.score ?? 0) - (a.row.score ?? 0);
    for (const k of input.tieBreakIndicators) {
      const d = round(b.shares[k] ?? 0, 6) - round(a.shares[k] ?? 0, 6);
      if (d !== 0) return d;
    }
    return 0;
  };
  ranked.sort((a, b) => compare(a, b) || a.row.unit.localeCompare(b.row.unit));
  // Competition ranking: units still tied after the tie-break indicators share a rank (1, 1, 3).
  ranked.forEach((w, i) => {
    const prev = ranked[i - 1];
    w.row.rank = prev && compare(prev, w) === 0 ? prev.row.rank : i + 1;
    const above = ranked.slice(0, i).reverse().find((p) => (p.row.rank ?? 0) < (w.row.rank ?? 0));
    w.row.gapToAbove = above ? round((above.row.score ?? 0) - (w.row.score ?? 0), 2) : null;
  });
  const unranked = works.filter((w) => w.row.unranked).sort((a, b) => a.row.unit.localeCompare(b.row.unit));
  return { group: input.group.key, groupName: input.group.name, rows: [...ranked, ...unranked].map((w) => w.row) };
}

/** Ranks every ranking group of a profile for a period. */
export function rankPeriod(
  profile: PolicyProfile,
  period: AssessmentPeriod,
  data: {
    units: RankedUnit[];
    targets: Map<string, Map<string, number>>;
    actuals: Map<string, Map<string, number>>;
    exemptions?: Map<string, string>;
  },
): GroupRanking[] {
  const indicators = scoredIndicators(profile);
  return profile.scoring.rankingGroups.map((g) =>
    rankGroup({
      period,
      group: g,
      units: data.units.filter((u) => g.unitKinds.includes(u.kind)),
      indicators,
      targets: data.targets,
      actuals: data.actuals,
      exemptions: data.exemptions,
      tieBreakIndicators: profile.scoring.tieBreakIndicators,
      progressMode: profile.scoring.progressMode,
      bands: profile.scoring.progressBands ?? DEFAULT_PROGRESS_BANDS,
    }),
  );
}

/** The ranked units at the bottom: a unit is in the bottom n when fewer than n ranked units are below it. */
export function bottomUnits(ranking: GroupRanking, n: number): string[] {
  const ranked = ranking.rows.filter((r) => r.rank !== null);
  return ranked.filter((r) => ranked.filter((o) => (o.rank as number) > (r.rank as number)).length < n).map((r) => r.unit);
}

/** What changed between two versions of a group's ranking, in words an administrator reads. */
export function rankingChanges(before: GroupRanking[], after: GroupRanking[]): string[] {
  const out: string[] = [];
  for (const g of after) {
    const old = before.find((b) => b.group === g.group);
    for (const r of g.rows) {
      const o = old?.rows.find((x) => x.unit === r.unit);
      if (!o) {
        out.push(`${g.groupName}：${r.unitName} 新增（第${r.rank ?? '—'}名，${r.score ?? '—'}分）`);
        continue;
      }
      if (o.rank !== r.rank || o.score !== r.score || o.unranked !== r.unranked) {
        out.push(`${g.groupName}：${r.unitName} 第${o.rank ?? '—'}名 ${o.score ?? '—'}分 → 第${r.rank ?? '—'}名 ${r.score ?? '—'}分`);
      }
    }
  }
  return out;
}
