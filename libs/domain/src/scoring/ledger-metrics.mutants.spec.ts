/**
 * Indicators computed from the project ledger, as a county's investment office would check them
 * against its own list of projects. Cases added for mutation testing (docs/testing.md); every
 * expected figure is counted by hand from the projects listed in the case.
 */
import { loadProfile } from '../policy/load-profile';
import type { ComputedIndicator } from '../policy/profile.schema';
import { LedgerProject, ledgerIndicators, ledgerValue } from './ledger-metrics';
import { cumulativeWindowMs, parsePeriod } from './period';

/** Beijing wall-clock time → ms since epoch. */
const BJ = (local: string) => Date.parse(`${local}+08:00`);
const H1 = cumulativeWindowMs(parsePeriod('2026-Q2')!); // 2026-01-01 00:00 → 2026-07-01 00:00, Beijing
const project = (over: Partial<LedgerProject>): LedgerProject => ({
  leadId: 'L', ownerUnitKey: 'county-a', firstContactUnitKey: 'county-a', tier: 'key',
  stageDates: { signed: BJ('2026-03-01T10:00:00') }, signedAmountWan: 10000, plannedAmountWan: 10000, capitalInPlaceWan: 0, ...over,
});
const value = (metric: ComputedIndicator['metric'], projects: LedgerProject[], extra: Partial<ComputedIndicator> = {}) => ledgerValue({ metric, ...extra }, projects, H1);

describe('ledger indicators: which projects count in the half year', () => {
  it('a project signed at midnight on 1 January counts; one signed at midnight on 1 July belongs to the next half', () => {
    const atStart = project({ stageDates: { signed: BJ('2026-01-01T00:00:00') } });
    const atEnd = project({ stageDates: { signed: BJ('2026-07-01T00:00:00') } });
    expect(value('projects-signed', [atStart, atEnd])).toBe(1);
  });

  it('a project signed last year and started this year is not one of this year\'s signings', () => {
    const carriedOver = project({ stageDates: { signed: BJ('2025-12-20T10:00:00'), started: BJ('2026-02-01T10:00:00') } });
    expect(value('projects-signed', [carriedOver])).toBe(0);
    // but it is one of this year's starts
    expect(value('projects-started', [carriedOver])).toBe(1);
  });

  it('a project terminated after the half year still counts for it; terminated at the very end of it, too', () => {
    const laterStopped = project({ stageDates: { signed: BJ('2026-03-01T10:00:00'), terminated: BJ('2026-08-01T10:00:00') } });
    const stoppedAtEnd = project({ stageDates: { signed: BJ('2026-03-01T10:00:00'), terminated: BJ('2026-07-01T00:00:00') } });
    const stoppedInside = project({ stageDates: { signed: BJ('2026-03-01T10:00:00'), terminated: BJ('2026-06-30T23:00:00') } });
    expect(value('projects-signed', [laterStopped, stoppedAtEnd, stoppedInside])).toBe(2);
  });

  it('starts are counted by the start date, producing projects included, later starts not', () => {
    const started = project({ stageDates: { signed: BJ('2026-01-10T10:00:00'), started: BJ('2026-04-01T10:00:00') } });
    const producing = project({ stageDates: { signed: BJ('2026-01-10T10:00:00'), producing: BJ('2026-05-01T10:00:00') } });
    const startsInJuly = project({ stageDates: { signed: BJ('2026-01-10T10:00:00'), started: BJ('2026-07-02T10:00:00') } });
    const signedOnly = project({});
    expect(value('projects-started', [started, producing, startsInJuly, signedOnly])).toBe(2);
  });

  it('only projects of the indicator\'s tier count', () => {
    const majors = [project({ tier: 'major' }), project({ tier: 'major' })];
    expect(value('projects-signed', [...majors, project({ tier: 'key' })], { tierKey: 'major' })).toBe(2);
    expect(value('projects-signed', [project({ tier: 'key' }), project({ tier: 'general' })], { tierKey: 'major' })).toBe(0);
  });

  it('a size threshold is met by the signed amount, at or above it; the planned amount is read only when nothing was signed', () => {
    const exactly = project({ signedAmountWan: 5000, plannedAmountWan: 5000 });
    const signedAbovePlannedBelow = project({ signedAmountWan: 6000, plannedAmountWan: 4000 });
    const signedBelowPlannedAbove = project({ signedAmountWan: 4000, plannedAmountWan: 6000 });
    const onlyPlanned = project({ signedAmountWan: null, plannedAmountWan: 8000 });
    const noAmount = project({ signedAmountWan: null, plannedAmountWan: null });
    expect(value('projects-signed', [exactly, signedAbovePlannedBelow, signedBelowPlannedAbove, onlyPlanned, noAmount], { minAmountWan: 5000 })).toBe(3);
  });
});

describe('ledger indicators: the figures', () => {
  it('landed major projects: started major projects only, unless the indicator names its own tier', () => {
    const majorStarted = project({ tier: 'major', stageDates: { started: BJ('2026-02-01T10:00:00') } });
    const keyStarted = project({ tier: 'key', stageDates: { started: BJ('2026-02-01T10:00:00') } });
    const majorSignedOnly = project({ tier: 'major' });
    const majorStartedLastYear = project({ tier: 'major', stageDates: { started: BJ('2025-11-01T10:00:00') } });
    const generalStarted = project({ tier: 'general', stageDates: { started: BJ('2026-03-01T10:00:00') } });
    const all = [majorStarted, keyStarted, majorSignedOnly, majorStartedLastYear, generalStarted];
    expect(value('major-projects-landed', all)).toBe(1);
    expect(value('major-projects-landed', all, { tierKey: 'key' })).toBe(1);
    expect(value('major-projects-landed', [keyStarted, majorStarted, majorStarted], { tierKey: 'major' })).toBe(2);
  });

  it('signed amount adds up this year\'s signings; a signing without an amount adds nothing', () => {
    const a = project({ signedAmountWan: 12000 });
    const b = project({ signedAmountWan: 3500 });
    const noAmount = project({ signedAmountWan: null });
    const lastYear = project({ signedAmountWan: 90000, stageDates: { signed: BJ('2025-10-01T10:00:00') } });
    expect(value('signed-amount', [a, b, noAmount, lastYear])).toBe(15500);
  });

  it('start rate: a signed project that starts after the period is not started yet; exactly at the end neither', () => {
    const startedInside = project({ stageDates: { signed: BJ('2026-02-01T10:00:00'), started: BJ('2026-06-01T10:00:00') } });
    const startsLater = project({ stageDates: { signed: BJ('2026-02-01T10:00:00'), started: BJ('2026-09-01T10:00:00') } });
    const startsAtEnd = project({ stageDates: { signed: BJ('2026-02-01T10:00:00'), started: BJ('2026-07-01T00:00:00') } });
    const notStarted = project({});
    expect(value('start-rate', [startedInside, startsLater, startsAtEnd, notStarted])).toBe(25);
  });

  it('production rate: producing projects over this year\'s signings', () => {
    const producing = project({ stageDates: { signed: BJ('2026-02-01T10:00:00'), producing: BJ('2026-06-01T10:00:00') } });
    const started = project({ stageDates: { signed: BJ('2026-02-01T10:00:00'), started: BJ('2026-06-01T10:00:00') } });
    expect(value('production-rate', [producing, started])).toBe(50);
  });

  it('capital rate has no value when nothing signed this year carries an amount (not 0 %, not a division by zero)', () => {
    expect(value('capital-rate', [project({ signedAmountWan: null, capitalInPlaceWan: 500 })])).toBeNull();
    expect(value('capital-rate', [project({ signedAmountWan: 0, capitalInPlaceWan: 0 })])).toBeNull();
    expect(value('capital-rate', [project({ signedAmountWan: 4000, capitalInPlaceWan: 1000 })])).toBe(25);
  });

  it('a unit whose projects give a rate no base gets counts but no rate (Yongzhou 三率)', () => {
    const yongzhou = loadProfile('yongzhou');
    const signedLastYear = project({ ownerUnitKey: 'u1', signedAmountWan: 8000, stageDates: { signed: BJ('2025-12-01T10:00:00') } });
    const values = ledgerIndicators(yongzhou.indicators, [signedLastYear], H1).get('u1')!;
    expect(Object.fromEntries(values)).toEqual({ 'signed-projects-5000': 0, 'projects-10yi': 0 });
  });
});
