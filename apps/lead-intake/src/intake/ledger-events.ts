import { EntityManager } from 'typeorm';
import { LeadRegisteredEvent, LeadSnapshot, LeadStage, LeadStageChangedEvent, LeadTransferredEvent, LeadUpdatedEvent, NotifyRequest } from '@zs/contracts';
import { LedgerLead, OutboxRepository } from '@zs/persistence';
import { OutboxSubject } from './intake-context';

/** Scoring reads tier 'unclassified' for a lead whose amount is not known yet. */
export const UNCLASSIFIED_TIER = 'unclassified';

export function snapshotOf(l: LedgerLead): LeadSnapshot {
  const stageDates: Partial<Record<LeadStage, number>> = {};
  for (const [k, v] of Object.entries(l.stageDates ?? {})) if (typeof v === 'number') stageDates[k as LeadStage] = v;
  return {
    leadId: l.id,
    code: l.code,
    companyName: l.companyName,
    ownerUnitId: l.ownerUnitId,
    firstContactUnitId: l.firstContactUnitId,
    tier: l.tier ?? UNCLASSIFIED_TIER,
    projectTypes: l.projectTypes ?? [],
    industry: l.industry,
    plannedAmountWan: l.amountWanCny,
    stage: l.stage as LeadStage,
    stageDates,
    signedAmountWan: l.signedAmountWan,
    capitalInPlaceWan: l.capitalInPlaceWan,
    registeredAt: new Date(l.registeredAt).getTime(),
    version: l.version,
    updatedAt: new Date(l.updatedAt).getTime(),
  };
}

/** Writes ledger events and notices to the outbox of the current transaction, with deterministic ids. */
export class LedgerEventWriter {
  private readonly outbox: OutboxRepository;
  constructor(em: EntityManager, private readonly written: string[]) {
    this.outbox = new OutboxRepository(em);
  }

  private async add(subject: OutboxSubject, msgId: string, payload: unknown) {
    const id = await this.outbox.add(subject, msgId, payload);
    if (id) this.written.push(id);
  }

  async registered(l: LedgerLead) {
    const e: LeadRegisteredEvent = {
      leadId: l.id,
      code: l.code,
      ownerUnitId: l.ownerUnitId,
      tier: l.tier ?? UNCLASSIFIED_TIER,
      amountWan: l.amountWan ?? 0,
      currency: l.currency ?? 'CNY',
      registeredAt: new Date(l.registeredAt).getTime(),
    };
    await this.add('leadRegistered', `lead-registered:${l.id}`, e);
  }

  async stageChanged(e: LeadStageChangedEvent) {
    await this.add('leadStageChanged', `lead-stage:${e.lead.leadId}:${e.lead.version}`, e);
  }

  async transferred(e: LeadTransferredEvent) {
    await this.add('leadTransferred', `lead-transfer:${e.lead.leadId}:${e.lead.version}`, e);
  }

  async updated(e: LeadUpdatedEvent) {
    await this.add('leadUpdated', `lead-updated:${e.lead.leadId}:${e.lead.version}`, e);
  }

  /** A notice to people other than the sender (the coordinating office, the units of a transfer). */
  async notice(dedupKey: string, targets: NotifyRequest['target'][], content: string) {
    for (const [i, target] of targets.entries()) {
      const n: NotifyRequest = { dedupKey: `${dedupKey}:${i}`, target, format: 'text', content, requestedAt: Date.now() };
      await this.add('notifySend', n.dedupKey, n);
    }
  }
}
