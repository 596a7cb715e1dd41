import { EntityManager } from 'typeorm';
import { LeadReport, PolicyProfile } from '@zs/domain';
import { LeadFieldPatch, LedgerLead, LedgerRepository } from '@zs/persistence';
import { Actor, actorLabel } from '../intake-context';
import { LedgerEventWriter, snapshotOf } from '../ledger-events';
import { missingOfLead, patchFromReport } from '../report-fields';

export type UpdateResult =
  | { kind: 'not-found' }
  | { kind: 'not-owner'; lead: LedgerLead }
  | { kind: 'nothing'; lead: LedgerLead; problems: string[] }
  | { kind: 'updated'; lead: LedgerLead; fields: string[]; stillMissing: string[]; problems: string[] };

const FIELD_NAMES: Record<string, string> = {
  companyName: '企业名称',
  creditCode: '统一社会信用代码',
  industry: '行业',
  amountWan: '投资额',
  contactName: '联系人',
  contactPhone: '联系电话',
  content: '项目内容',
  intendedArea: '意向区县',
  originRegion: '来源地',
  projectTypes: '项目类型',
};

/**
 * Completion (the rest of a claimed lead, by values only) and correction (更正, PATCH): the
 * fields given replace the lead's; the change is audited and published as LeadUpdated.
 * Only the owning unit and administrators may change a lead.
 */
export class UpdateLeadUseCase {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyProfile,
    private readonly events: LedgerEventWriter,
  ) {}

  async fromReport(p: { leadId?: string; code?: string; report: LeadReport; actor: Actor; action: 'completed' | 'corrected'; allowRename: boolean }): Promise<UpdateResult> {
    const { patch, problems } = patchFromReport(p.report, this.policy);
    if (!p.allowRename) {
      delete patch.companyName;
      delete patch.normalizedName;
    }
    if (p.report.warnings.length) patch.warnings = p.report.warnings;
    return this.apply({ leadId: p.leadId, code: p.code, patch, actor: p.actor, action: p.action, problems });
  }

  async apply(p: { leadId?: string; code?: string; patch: LeadFieldPatch; actor: Actor; action: string; problems?: string[] }): Promise<UpdateResult> {
    const ledger = new LedgerRepository(this.em);
    const lead = p.leadId ? await ledger.getById(p.leadId) : await ledger.getByCode(p.code ?? '', true);
    if (!lead || lead.lapsedAt) return { kind: 'not-found' };
    if (p.actor.kind === 'member' && p.actor.member.unitId !== lead.ownerUnitId) return { kind: 'not-owner', lead };
    const changed: LeadFieldPatch = {};
    for (const [k, v] of Object.entries(p.patch)) {
      if (v === undefined) continue;
      const before = (lead as unknown as Record<string, unknown>)[k];
      if (JSON.stringify(before) !== JSON.stringify(v)) (changed as Record<string, unknown>)[k] = v;
    }
    const fields = Object.keys(changed).filter((k) => FIELD_NAMES[k]).map((k) => FIELD_NAMES[k]);
    if (fields.length === 0) return { kind: 'nothing', lead, problems: p.problems ?? [] };
    const merged = { ...lead, ...changed };
    const stillMissing = missingOfLead(merged);
    if (stillMissing.length === 0 && !lead.completedAt) changed.completedAt = new Date();
    const after = await ledger.update(lead.id, changed);
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(changed)) before[k] = (lead as unknown as Record<string, unknown>)[k];
    await ledger.audit({ leadId: lead.id, action: p.action, actor: actorLabel(p.actor), before, after: changed });
    await this.events.updated({ lead: snapshotOf(after), fields: Object.keys(changed), at: Date.now() });
    return { kind: 'updated', lead: after, fields, stillMissing, problems: p.problems ?? [] };
  }
}
