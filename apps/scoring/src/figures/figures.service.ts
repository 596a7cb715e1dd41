import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActualsInput, ExemptionsInput, ReportingStatusView, ReportingUnit, TargetsInput } from '@zs/contracts';
import { AssessmentPeriod, indicatorApplies, makePeriod, PolicyProfile } from '@zs/domain';
import { DirectoryReader, DirectoryUnit } from '../directory/directory.reader';
import { RpcBadRequest } from '../rpc/rpc-result';
import { POLICY } from '../tokens';

export interface FigureRow {
  unit: string;
  indicator: string;
  value: number;
}

/** Problems with one row of an input, numbered from 1 as the administrator sees them. */
export interface RowProblem {
  row: number;
  problem: string;
}

/**
 * Annual targets, cumulative results per period and exemptions: checked row by row against the
 * directory and the profile, then written all together or not at all.
 */
@Injectable()
export class FiguresService {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: DirectoryReader,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  /** Checks rows; `reportedOnly` refuses indicators the ledger computes (their results are not typed in). */
  check(rows: FigureRow[], units: DirectoryUnit[], reportedOnly: boolean): { resolved: { unitId: string; indicator: string; value: number }[]; problems: RowProblem[] } {
    const problems: RowProblem[] = [];
    const resolved: { unitId: string; indicator: string; value: number }[] = [];
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const row = i + 1;
      const unit = this.directory.resolve(units, r.unit);
      const indicator = this.policy.indicators.find((x) => x.key === r.indicator || x.name === r.indicator);
      if (!unit) problems.push({ row, problem: `未找到单位“${r.unit}”` });
      if (!indicator) problems.push({ row, problem: `未找到指标“${r.indicator}”（可用指标见 GET /api/indicators）` });
      if (!unit || !indicator) return;
      if (!indicatorApplies(indicator, unit)) problems.push({ row, problem: `指标“${indicator.name}”不适用于${unit.name}` });
      if (reportedOnly && indicator.computed) problems.push({ row, problem: `指标“${indicator.name}”由项目台账自动计算，无需报送` });
      if (!Number.isFinite(r.value) || r.value < 0) problems.push({ row, problem: `数值“${r.value}”应为不小于 0 的数字` });
      const k = `${unit.id}:${indicator.key}`;
      if (seen.has(k)) problems.push({ row, problem: `${unit.name}的“${indicator.name}”重复填写` });
      seen.add(k);
      resolved.push({ unitId: unit.id, indicator: indicator.key, value: r.value });
    });
    return { resolved, problems };
  }

  private fail(problems: RowProblem[]): never {
    const head = problems.slice(0, 20).map((p) => `第${p.row}行：${p.problem}`);
    throw new RpcBadRequest(`数据未保存，请修改后重新提交：${head.join('；')}${problems.length > 20 ? `；另有 ${problems.length - 20} 处问题` : ''}`);
  }

  async putTargets(year: number, input: TargetsInput, by: string): Promise<{ year: number; saved: number }> {
    const units = await this.directory.units();
    const { resolved, problems } = this.check(input.targets, units, false);
    if (problems.length) this.fail(problems);
    await this.ds.transaction(async (em) => {
      for (const r of resolved) {
        await em.query(
          `INSERT INTO scoring_targets (year, unit_id, indicator, value) VALUES ($1,$2,$3,$4)
           ON CONFLICT (year, unit_id, indicator) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [year, r.unitId, r.indicator, r.value],
        );
      }
      await em.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('targets', $1, $2)`, [String(year), JSON.stringify({ by, rows: resolved.length })]);
    });
    return { year, saved: resolved.length };
  }

  async putActuals(period: AssessmentPeriod, input: ActualsInput, by: string): Promise<{ period: string; saved: number }> {
    const units = await this.directory.units();
    const { resolved, problems } = this.check(input.values, units, true);
    if (problems.length) this.fail(problems);
    await this.ds.transaction(async (em) => {
      for (const r of resolved) {
        await em.query(
          `INSERT INTO scoring_actuals (period, unit_id, indicator, value) VALUES ($1,$2,$3,$4)
           ON CONFLICT (period, unit_id, indicator) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [period.key, r.unitId, r.indicator, r.value],
        );
      }
      await em.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('actuals', $1, $2)`, [period.key, JSON.stringify({ by, rows: resolved.length })]);
    });
    return { period: period.key, saved: resolved.length };
  }

  async putExemptions(period: AssessmentPeriod, input: ExemptionsInput, by: string) {
    const units = await this.directory.units();
    const problems: RowProblem[] = [];
    const ids = input.exemptions.map((e, i) => {
      const u = this.directory.resolve(units, e.unit);
      if (!u) problems.push({ row: i + 1, problem: `未找到单位“${e.unit}”` });
      return u?.id;
    });
    if (problems.length) this.fail(problems);
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM scoring_exemptions WHERE period = $1`, [period.key]);
      for (const [i, e] of input.exemptions.entries()) {
        await em.query(`INSERT INTO scoring_exemptions (period, unit_id, reason) VALUES ($1,$2,$3)`, [period.key, ids[i], e.reason]);
      }
      await em.query(`INSERT INTO scoring_audit (action, subject, detail) VALUES ('exemptions', $1, $2)`, [period.key, JSON.stringify({ by, exemptions: input.exemptions })]);
    });
    return { period: period.key, exempted: input.exemptions.length };
  }

  /** unitId → indicator → annual target. */
  async targets(year: number): Promise<Map<string, Map<string, number>>> {
    const rows = await this.ds.query(`SELECT unit_id::text AS unit, indicator, value FROM scoring_targets WHERE year = $1`, [year]);
    return nest(rows);
  }

  /**
   * Reported cumulative values for a period. Values entered for an equivalent period count too:
   * a quarter's figures are also its last month's (2026-Q1 ≡ 2026-03), a year's its December's and Q4's.
   * The period's own entries win.
   */
  async actuals(period: AssessmentPeriod): Promise<Map<string, Map<string, number>>> {
    const keys = equivalentKeys(period);
    const rows: { unit: string; indicator: string; value: string; period: string }[] = await this.ds.query(
      `SELECT unit_id::text AS unit, indicator, value, period FROM scoring_actuals WHERE period = ANY($1::text[])`,
      [keys],
    );
    rows.sort((a, b) => keys.indexOf(b.period) - keys.indexOf(a.period)); // the preferred key last, so it overwrites
    return nest(rows);
  }

  async exemptions(period: AssessmentPeriod): Promise<Map<string, string>> {
    const rows = await this.ds.query(`SELECT unit_id::text AS unit, reason FROM scoring_exemptions WHERE period = $1`, [period.key]);
    return new Map(rows.map((r: { unit: string; reason: string }) => [r.unit, r.reason]));
  }

  /** Which units have, and have not, reported each reported indicator for a period (data-due reminders). */
  async reportingStatus(period: AssessmentPeriod): Promise<ReportingStatusView> {
    const units = (await this.directory.units()).filter((u) => u.ranked);
    const actuals = await this.actuals(period);
    const reported = this.policy.indicators.filter((i) => !i.computed && this.policy.scoring.weights[i.key] !== undefined);
    const out: ReportingStatusView = { period: period.key, reported: [], missing: [] };
    for (const u of units) {
      const expected = reported.filter((i) => indicatorApplies(i, u));
      if (!expected.length) continue;
      const have = actuals.get(u.id) ?? new Map();
      const missing = expected.filter((i) => !have.has(i.key));
      const entry: ReportingUnit = { unitId: u.id, unit: u.key, unitName: u.name, missingIndicators: missing.map((i) => ({ key: i.key, name: i.name })) };
      (missing.length ? out.missing : out.reported).push(entry);
    }
    return out;
  }
}

export function equivalentKeys(p: AssessmentPeriod): string[] {
  const month = (m: number) => makePeriod('month', p.year, m).key;
  if (p.kind === 'quarter') return [p.key, month(p.lastMonth)];
  if (p.kind === 'month' && p.lastMonth % 3 === 0) return [p.key, makePeriod('quarter', p.year, p.lastMonth / 3).key];
  if (p.kind === 'year') return [p.key, makePeriod('quarter', p.year, 4).key, month(12)];
  return [p.key];
}

function nest(rows: { unit: string; indicator: string; value: string | number }[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (!out.has(r.unit)) out.set(r.unit, new Map());
    (out.get(r.unit) as Map<string, number>).set(r.indicator, Number(r.value));
  }
  return out;
}
