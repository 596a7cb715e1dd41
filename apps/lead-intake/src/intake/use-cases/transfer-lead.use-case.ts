import { EntityManager } from 'typeorm';
import { InboundChatMessage } from '@zs/contracts';
import { noticeTransferred, noticeTransferRequest, PolicyProfile, Stage } from '@zs/domain';
import { DirectoryRepository, LedgerLead, LedgerRepository, UnitRow } from '@zs/persistence';
import { Actor, actorLabel } from '../intake-context';
import { LedgerEventWriter, snapshotOf } from '../ledger-events';
import { unitNoticeTargets } from '../notice-targets';

export type TransferResult =
  | { kind: 'not-found' }
  | { kind: 'unknown-unit'; unit: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'transferred'; lead: LedgerLead; fromUnitName: string; toUnit: UnitRow };

/**
 * Transfer (流转): the coordinating office hands a lead to another unit. The landing unit owns
 * the project from then on; the first-contact unit is kept separately (first_contact_unit_id)
 * and keeps the credit. Both units are told. The profile says whether and in which stages a
 * transfer applies.
 */
export class TransferLeadUseCase {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyProfile,
    private readonly events: LedgerEventWriter,
  ) {}

  /** Whether the actor may transfer: an administrator, or a member of the coordinating (or screening) unit. */
  async mayTransfer(actor: Actor): Promise<boolean> {
    if (actor.kind === 'admin') return true;
    const keys = [this.policy.coordinatingUnitKey, this.policy.firstContact.screeningUnitKey].filter(Boolean);
    const unit = await new DirectoryRepository(this.em).findUnit({ id: actor.member.unitId });
    return !!unit?.profileKey && keys.includes(unit.profileKey);
  }

  async run(p: { code: string; toUnit: { id?: string; name?: string }; reason: string; actor: Actor; via: InboundChatMessage | null }): Promise<TransferResult> {
    if (!this.policy.firstContact.transferAllowed) return { kind: 'refused', reason: '本市政策未设线索流转' };
    const ledger = new LedgerRepository(this.em);
    const lead = await ledger.getByCode(p.code, true);
    if (!lead || lead.lapsedAt) return { kind: 'not-found' };
    const toUnit = await new DirectoryRepository(this.em).findUnit(p.toUnit);
    if (!toUnit) return { kind: 'unknown-unit', unit: p.toUnit.name ?? p.toUnit.id ?? '' };
    if (toUnit.id === lead.ownerUnitId) return { kind: 'refused', reason: `该线索已由${toUnit.name}跟进` };
    if (!this.policy.firstContact.transferableStages.includes(lead.stage as Exclude<Stage, 'terminated'>)) {
      return { kind: 'refused', reason: '按本市规定，该阶段的项目不再流转' };
    }
    const reason = p.reason.trim();
    if (!reason) return { kind: 'refused', reason: '请写明流转原因' };
    // Whether the unit that made first contact keeps the credit is the profile's rule (providerKeepsCredit).
    const after = await ledger.update(lead.id, {
      ownerUnitId: toUnit.id,
      ...(this.policy.firstContact.providerKeepsCredit ? {} : { firstContactUnitId: toUnit.id }),
    });
    const member = p.actor.kind === 'member' ? p.actor.member : null;
    await ledger.recordTransfer({ leadId: lead.id, fromUnitId: lead.ownerUnitId, toUnitId: toUnit.id, reason, byMemberId: member?.id ?? null, byAdmin: p.actor.kind === 'admin' });
    await ledger.audit({ leadId: lead.id, action: 'transfer', actor: actorLabel(p.actor), before: { ownerUnitId: lead.ownerUnitId }, after: { ownerUnitId: toUnit.id, reason } });
    await this.events.transferred({
      lead: snapshotOf(after),
      fromUnitId: lead.ownerUnitId,
      toUnitId: toUnit.id,
      reason,
      at: Date.now(),
      byMemberId: member?.id ?? null,
    });
    const text = noticeTransferred({
      code: lead.code,
      companyName: lead.companyName,
      fromUnitName: lead.ownerUnitName,
      toUnitName: toUnit.name,
      reason,
      firstContactUnitName: lead.firstContactUnitName,
    });
    for (const unitId of [lead.ownerUnitId, toUnit.id]) {
      await this.events.notice(`transfer:${lead.id}:${after.version}:${unitId}`, await unitNoticeTargets(this.em, { id: unitId }, p.via), text);
    }
    return { kind: 'transferred', lead: after, fromUnitName: lead.ownerUnitName, toUnit };
  }

  /** 申请流转: a unit asks the office for a lead; the office is told. */
  async request(p: { code: string; reason: string; actor: Extract<Actor, { kind: 'member' }>; via: InboundChatMessage | null }): Promise<{ kind: 'not-found' } | { kind: 'requested'; lead: LedgerLead } | { kind: 'refused'; reason: string }> {
    if (!this.policy.firstContact.transferAllowed) return { kind: 'refused', reason: '本市政策未设线索流转' };
    const ledger = new LedgerRepository(this.em);
    const lead = await ledger.getByCode(p.code);
    if (!lead || lead.lapsedAt) return { kind: 'not-found' };
    const m = p.actor.member;
    if (lead.ownerUnitId === m.unitId) return { kind: 'refused', reason: '该线索已由本单位跟进' };
    await ledger.recordTransferRequest({ leadId: lead.id, unitId: m.unitId, memberId: m.id, reason: p.reason });
    await ledger.audit({ leadId: lead.id, action: 'transfer-requested', actor: actorLabel(p.actor), before: null, after: { unitId: m.unitId, reason: p.reason } });
    const targets = await unitNoticeTargets(this.em, { profileKey: this.policy.coordinatingUnitKey }, p.via);
    await this.events.notice(
      `transfer-request:${p.via?.platform ?? 'api'}:${p.via?.msgId ?? Date.now()}`,
      targets,
      noticeTransferRequest({ code: lead.code, companyName: lead.companyName, unitName: m.unitName, reason: p.reason }),
    );
    return { kind: 'requested', lead };
  }
}
