import { loadProfile } from '../policy/load-profile';
import { applyLedgerRequest, ledgerCommandFor, LedgerState, stageLabel } from './stage-machine';

const rules = loadProfile('yiyang').ledger;
const NOW = Date.parse('2026-11-29T04:00:00Z');
const DAY = 86400000;
const fresh: LedgerState = { stage: 'lead', stageDates: {}, signedAmountWan: null, capitalInPlaceWan: null };

describe('stage machine', () => {
  it('moves forward, skipping stages, and records the date and signed amount', () => {
    const r = applyLedgerRequest(fresh, { kind: 'stage', to: 'signed', date: NOW - DAY, amountWan: 50000 }, rules, NOW);
    expect(r).toEqual({
      ok: true,
      change: { from: 'lead', to: 'signed', date: NOW - DAY, capitalDeltaWan: null, next: { stage: 'signed', stageDates: { signed: NOW - DAY }, signedAmountWan: 50000, capitalInPlaceWan: null } },
    });
  });

  it.each([
    ['a signing without an amount', fresh, { kind: 'stage', to: 'signed', date: NOW } as const, '金额'],
    ['a termination without a reason', fresh, { kind: 'stage', to: 'terminated', date: NOW } as const, '原因'],
    ['going back', { ...fresh, stage: 'started' as const }, { kind: 'stage', to: 'negotiating', date: NOW } as const, '不能退回'],
    ['the same stage again', { ...fresh, stage: 'negotiating' as const }, { kind: 'stage', to: 'negotiating', date: NOW } as const, '已处于'],
    ['anything after termination', { ...fresh, stage: 'terminated' as const }, { kind: 'stage', to: 'started', date: NOW } as const, '不能再变更'],
    ['a date in the future', fresh, { kind: 'stage', to: 'negotiating', date: NOW + 3 * DAY } as const, '晚于今天'],
    ['capital before signing', fresh, { kind: 'capital', deltaWan: 100, date: NOW } as const, '签约后'],
    ['capital of zero', { ...fresh, stage: 'signed' as const }, { kind: 'capital', deltaWan: 0, date: NOW } as const, '到位金额'],
    ['a date before the previous stage', { ...fresh, stage: 'signed' as const, stageDates: { signed: NOW - DAY } }, { kind: 'stage', to: 'started', date: NOW - 10 * DAY } as const, '早于上一阶段'],
  ])('refuses %s with a Chinese reason', (_what, state, req, reason) => {
    const r = applyLedgerRequest(state as LedgerState, req, rules, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('terminates from any live stage with a reason', () => {
    const r = applyLedgerRequest({ ...fresh, stage: 'started' }, { kind: 'stage', to: 'terminated', date: NOW, reason: '企业战略调整' }, rules, NOW);
    expect(r.ok && r.change.next.stage).toBe('terminated');
  });

  it('adds capital in place cumulatively', () => {
    const signed: LedgerState = { stage: 'signed', stageDates: { signed: NOW - DAY }, signedAmountWan: 50000, capitalInPlaceWan: 12000 };
    const r = applyLedgerRequest(signed, { kind: 'capital', deltaWan: 3000, date: NOW }, rules, NOW);
    expect(r.ok && r.change.next.capitalInPlaceWan).toBe(15000);
    expect(r.ok && r.change.capitalDeltaWan).toBe(3000);
  });

  it('takes its vocabulary from the profile', () => {
    expect(ledgerCommandFor('签约', rules)).toEqual({ kind: 'stage', stage: 'signed' });
    expect(ledgerCommandFor('洽谈', rules)).toEqual({ kind: 'stage', stage: 'negotiating' });
    expect(ledgerCommandFor('到位', rules)).toEqual({ kind: 'capital' });
    expect(ledgerCommandFor('签了', rules)).toBeNull();
    expect(stageLabel('producing', rules)).toBe('投产');
    const custom = { ...rules, stages: rules.stages.map((s) => (s.stage === 'signed' ? { ...s, label: '落户', commands: ['落户'], requires: [] } : s)) };
    expect(ledgerCommandFor('落户', custom)).toEqual({ kind: 'stage', stage: 'signed' });
    expect(applyLedgerRequest(fresh, { kind: 'stage', to: 'signed', date: NOW }, custom, NOW).ok).toBe(true);
  });
});
