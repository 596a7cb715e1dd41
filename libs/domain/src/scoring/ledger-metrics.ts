import type { ComputedIndicator } from '../policy/profile.schema';
import { STAGE_ORDER, type Stage } from '../ledger/stage-machine';

/**
 * Indicators computed from the project ledger (the leads and their stages), per owner unit,
 * cumulative over a window [fromMs, toMs) (start of the year → end of the period). This is the
 * definition; the scoring service runs the same rules as one SQL aggregate for speed, and its
 * tests compare the two.
 *
 * - A project counts for the unit that owns it now (after any transfer).
 * - A project terminated before the end of the window counts for nothing.
 * - "Reached a stage" means reached it or any later stage (a producing project has started).
 * - 三率 (DOMAIN.md) are over the projects signed in the window; capital in place is the project's
 *   cumulative 到位资金 as the ledger holds it now (the ledger does not date each payment).
 */
/** The forward stages, in the ledger's own order (one definition: the stage machine's). */
type LadderStage = Exclude<Stage, 'terminated'>;

export interface LedgerProject {
  leadId: string;
  code?: string;
  ownerUnitKey: string;
  firstContactUnitKey: string;
  tier: string;
  /** ms since epoch each stage was reached (terminated included) */
  stageDates: Partial<Record<LadderStage | 'terminated', number>>;
  signedAmountWan: number | null;
  plannedAmountWan: number | null;
  capitalInPlaceWan: number | null;
}

export interface Window {
  fromMs: number;
  toMs: number;
}

/** The first date the project reached `stage` or a later one, if before `toMs`. */
export function reachedAt(p: LedgerProject, stage: LadderStage, toMs: number): number | undefined {
  const from = STAGE_ORDER.indexOf(stage);
  const dates = STAGE_ORDER.slice(from)
    .map((s) => p.stageDates[s])
    .filter((d): d is number => d !== undefined && d < toMs);
  return dates.length ? Math.min(...dates) : undefined;
}

function alive(p: LedgerProject, w: Window): boolean {
  const t = p.stageDates.terminated;
  return t === undefined || t >= w.toMs;
}

function qualifies(p: LedgerProject, c: ComputedIndicator): boolean {
  if (c.tierKey && p.tier !== c.tierKey) return false;
  if (c.minAmountWan !== undefined && (p.signedAmountWan ?? p.plannedAmountWan ?? 0) < c.minAmountWan) return false;
  return true;
}

const inWindow = (d: number | undefined, w: Window) => d !== undefined && d >= w.fromMs && d < w.toMs;

/** The value of one computed indicator for one unit's projects; null when a rate has no base. */
export function ledgerValue(c: ComputedIndicator, projects: LedgerProject[], w: Window): number | null {
  const live = projects.filter((p) => alive(p, w) && qualifies(p, c));
  const signed = live.filter((p) => inWindow(reachedAt(p, 'signed', w.toMs), w));
  switch (c.metric) {
    case 'projects-signed':
      return signed.length;
    case 'projects-started':
      return live.filter((p) => inWindow(reachedAt(p, 'started', w.toMs), w)).length;
    case 'major-projects-landed':
      return live.filter((p) => (c.tierKey ? true : p.tier === 'major') && inWindow(reachedAt(p, 'started', w.toMs), w)).length;
    case 'signed-amount':
      return signed.reduce((s, p) => s + (p.signedAmountWan ?? 0), 0);
    case 'capital-in-place':
      return signed.reduce((s, p) => s + (p.capitalInPlaceWan ?? 0), 0);
    case 'start-rate':
      return signed.length ? (signed.filter((p) => reachedAt(p, 'started', w.toMs) !== undefined).length / signed.length) * 100 : null;
    case 'production-rate':
      // Stryker disable next-line StringLiteral: equivalent, an unknown stage slices STAGE_ORDER from its last entry, which is 'producing'
      return signed.length ? (signed.filter((p) => reachedAt(p, 'producing', w.toMs) !== undefined).length / signed.length) * 100 : null;
    case 'capital-rate': {
      const base = signed.reduce((s, p) => s + (p.signedAmountWan ?? 0), 0);
      return base > 0 ? (signed.reduce((s, p) => s + (p.capitalInPlaceWan ?? 0), 0) / base) * 100 : null;
    }
  }
}

/** unitKey → indicatorKey → value, for every unit that owns a project. */
export function ledgerIndicators(
  indicators: { key: string; computed?: ComputedIndicator }[],
  projects: LedgerProject[],
  w: Window,
): Map<string, Map<string, number>> {
  const byUnit = new Map<string, LedgerProject[]>();
  for (const p of projects) byUnit.set(p.ownerUnitKey, [...(byUnit.get(p.ownerUnitKey) ?? []), p]);
  const out = new Map<string, Map<string, number>>();
  for (const [unit, list] of byUnit) {
    const values = new Map<string, number>();
    for (const ind of indicators) {
      if (!ind.computed) continue;
      const v = ledgerValue(ind.computed, list, w);
      if (v !== null) values.set(ind.key, v);
    }
    out.set(unit, values);
  }
  return out;
}
