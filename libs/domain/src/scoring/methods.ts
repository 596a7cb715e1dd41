import type { IndicatorMethod } from '../policy/profile.schema';

/**
 * One indicator's value → a share of its weight (1 = the full weight). Pure; the group context
 * (best and worst values of the ranking group) is passed in for the relative methods.
 */
export interface MethodInput {
  value: number;
  /** annual target (cumulative values are compared with it); undefined when none is set */
  target?: number;
  direction: 'higher-better' | 'lower-better';
  /** best and worst value among the units of the ranking group that have one */
  groupBest?: number;
  groupWorst?: number;
}

export interface MethodResult {
  /** share of the weight; may exceed 1 up to the method's cap */
  share: number;
  /** actual ÷ target (lower-better: target ÷ actual), when the method uses a target */
  completion?: number;
}

/** Methods that compare a value with the unit's target need one; the others do not. */
export function methodNeedsTarget(m: IndicatorMethod): boolean {
  return m.kind === 'capped-ratio' || m.kind === 'ratio-bonus' || m.kind === 'bands';
}

/** actual ÷ target, or target ÷ actual when lower is better (0 actual against a lower-better target: fully met). */
export function completionRatio(value: number, target: number, direction: MethodInput['direction']): number {
  if (target <= 0) return 0;
  if (direction === 'lower-better') return value <= 0 ? 1 : target / value;
  return Math.max(0, value) / target;
}

export function applyMethod(m: IndicatorMethod, input: MethodInput): MethodResult {
  const { value, target, direction } = input;
  switch (m.kind) {
    case 'capped-ratio': {
      const completion = completionRatio(value, target ?? 0, direction);
      return { share: Math.min(completion, m.capPercent / 100), completion };
    }
    case 'ratio-bonus': {
      const completion = completionRatio(value, target ?? 0, direction);
      // Up to 100 % the share is the completion; beyond it every extra percent earns bonusPerPercent percent.
      // Stryker disable next-line EqualityOperator: equivalent, at completion 1 both branches give 1
      const share = completion <= 1 ? completion : 1 + (completion - 1) * m.bonusPerPercent;
      return { share: Math.min(share, m.capPercent / 100), completion };
    }
    case 'bands': {
      const completion = completionRatio(value, target ?? 0, direction);
      const pct = completion * 100;
      const reached = [...m.bands].sort((a, b) => b.minPercent - a.minPercent).find((b) => pct >= b.minPercent - 1e-9);
      return { share: (reached?.sharePercent ?? 0) / 100, completion };
    }
    case 'efficacy-coefficient': {
      const { groupBest: best, groupWorst: worst } = input;
      if (best === undefined || worst === undefined || best === worst) return { share: 1 };
      // Both quotients are the same number (numerator and denominator negated, exact in floating
      // point); the branch only spells out the direction for the reader.
      // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent, see above
      const pos = direction === 'higher-better' ? (value - worst) / (best - worst) : (worst - value) / (worst - best);
      const floor = m.floorPercent / 100;
      return { share: floor + (1 - floor) * Math.min(1, Math.max(0, pos)) };
    }
    case 'relative-to-best': {
      const best = input.groupBest;
      if (best === undefined) return { share: 0 };
      if (direction === 'higher-better') return { share: best > 0 ? Math.max(0, value) / best : 0 };
      return { share: value <= 0 ? 1 : Math.min(1, best / value) };
    }
    case 'points':
      return { share: Math.min(Math.max(0, value) * m.perUnit, m.maxPoints) / m.maxPoints };
    case 'deduction':
      return { share: Math.max(0, m.maxPoints - Math.max(0, value) * m.perUnit) / m.maxPoints };
  }
}
