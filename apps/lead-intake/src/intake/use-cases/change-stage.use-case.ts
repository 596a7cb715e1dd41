import { EntityManager } from 'typeorm';
import { LeadStage } from '@zs/contracts';
import { applyLedgerRequest, LedgerRequest, LedgerState, PolicyProfile, Stage } from '@zs/domain';
import { LedgerLead, LedgerRepository } from '@zs/persistence';
import { Actor, actorLabel } from '../intake-context';
import { LedgerEventWriter, snapshotOf } from '../ledger-events';

export type ChangeStageResult =
  | { kind: 'not-found' }
  | { kind: 'not-owner'; lead: LedgerLead }
  | { kind: 'refused'; reason: string; lead: LedgerLead }
  | { kind: 'changed'; lead: LedgerLead; stageChangeId: string; capitalDeltaWan: number | null; date: number };

/**
 * A stage change or a capital-in-place record, decided by the pure stage machine with the
 * profile's vocabulary, stored with its history and audit, and published as LeadStageChanged.
 */
export class ChangeStageUseCase {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyProfile,
    private readonly events: LedgerEventWriter,
  ) {}

  async run(p: { code: string; request: LedgerRequest; note: string | null; actor: Actor; source: { platform: string; msgId: string } | null }): Promise<ChangeStageResult> {
    const ledger = new LedgerRepository(this.em);
    const lead = await ledger.getByCode(p.code, true);
    if (!lead || lead.lapsedAt) return { kind: 'not-found' };
    if (p.actor.kind === 'member' && p.actor.member.unitId !== lead.ownerUnitId) return { kind: 'not-owner', lead };
    const state: LedgerState = {
      stage: lead.stage as Stage,
      stageDates: lead.stageDates as LedgerState['stageDates'],
      signedAmountWan: lead.signedAmountWan,
      capitalInPlaceWan: lead.capitalInPlaceWan,
    };
    const decision = applyLedgerRequest(state, p.request, this.policy.ledger, Date.now());
    if (!decision.ok) return { kind: 'refused', reason: decision.reason, lead };
    const c = decision.change;
    const after = await ledger.update(lead.id, {
      stage: c.next.stage,
      stageDates: c.next.stageDates as Record<string, number>,
      signedAmountWan: c.next.signedAmountWan,
      capitalInPlaceWan: c.next.capitalInPlaceWan,
    });
    const member = p.actor.kind === 'member' ? p.actor.member : null;
    const amount = p.request.kind === 'stage' ? p.request.amountWan ?? null : null;
    const stageChangeId = await ledger.recordStageChange({
      leadId: lead.id,
      from: c.from,
      to: c.to,
      date: new Date(c.date),
      amountWan: amount,
      capitalDeltaWan: c.capitalDeltaWan,
      note: p.note,
      byMemberId: member?.id ?? null,
      byAdmin: p.actor.kind === 'admin',
      platform: p.source?.platform ?? null,
      msgId: p.source?.msgId ?? null,
    });
    await ledger.audit({
      leadId: lead.id,
      action: c.capitalDeltaWan !== null ? 'capital-in-place' : 'stage',
      actor: actorLabel(p.actor),
      before: state,
      after: { ...c.next, note: p.note },
    });
    await this.events.stageChanged({
      lead: snapshotOf(after),
      from: c.from as LeadStage,
      to: c.to as LeadStage,
      date: c.date,
      capitalDeltaWan: c.capitalDeltaWan,
      note: p.note,
      byMemberId: member?.id ?? null,
    });
    return { kind: 'changed', lead: after, stageChangeId, capitalDeltaWan: c.capitalDeltaWan, date: c.date };
  }
}
