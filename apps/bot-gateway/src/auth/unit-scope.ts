import { ForbiddenException } from '@nestjs/common';
import { AdminLeadLike, leadForViewer, RestrictedLeadView } from '@zs/domain';
import { Rpc } from '@zs/contracts';
import type { MeshClient } from '../admin/mesh-client';
import { AdminRequest, confinedUnit } from './principal';

/**
 * Unit confinement of the admin API, applied in the gateway (ADR 0021): a unit administrator's
 * answers are cut to their unit here, server-side, for every list, detail and export; and a change
 * to another unit's record is refused with 403 before it reaches lead-intake.
 */

export const NOT_YOUR_UNIT = '只能查看和修改本单位的数据';

/** A lead or a page of leads as the caller may see them (others' leads: only 已由X于D登记). */
type LeadCore = Pick<AdminLeadLike, 'code' | 'companyName' | 'ownerUnitId' | 'ownerUnitName' | 'registeredAt'>;

export function leadsForCaller<T extends LeadCore>(req: AdminRequest, leads: T[]): Array<T | RestrictedLeadView> {
  const unit = confinedUnit(req);
  return unit ? leads.map((l) => leadForViewer(l as unknown as AdminLeadLike, unit.id) as T | RestrictedLeadView) : leads;
}

export function leadForCaller<T extends LeadCore>(req: AdminRequest, lead: T): T | RestrictedLeadView {
  const unit = confinedUnit(req);
  return unit ? (leadForViewer(lead as unknown as AdminLeadLike, unit.id) as T | RestrictedLeadView) : lead;
}

/** Refuses (403) what only the city may do, for a caller confined to a unit. */
export function refuseConfined(req: AdminRequest, what: string): void {
  if (confinedUnit(req)) throw new ForbiddenException(`${what}由市级管理员进行`);
}

/**
 * Before a change to lead `code`: the lead as it is (for the audit log's `before`), or 403 when
 * the caller is confined to another unit. A missing lead is left to lead-intake's own 404.
 */
/** The lead, when the caller may see all of it: 403 for a unit administrator and another unit's lead; null when there is none. */
async function wholeLeadOrRefuse(req: AdminRequest, mesh: MeshClient, code: string): Promise<(AdminLeadLike & Record<string, unknown>) | null> {
  let lead: (AdminLeadLike & Record<string, unknown>) | null = null;
  try {
    lead = await mesh.request<AdminLeadLike & Record<string, unknown>>(Rpc.leadsGet, { code });
  } catch (e) {
    if ((e as { getStatus?: () => number }).getStatus?.() !== 404) throw e;
  }
  const unit = confinedUnit(req);
  if (unit && (!lead || String(lead.ownerUnitId) !== String(unit.id))) throw new ForbiddenException(NOT_YOUR_UNIT);
  return lead;
}

export async function leadBeforeChange(req: AdminRequest, mesh: MeshClient, code: string): Promise<Record<string, unknown> | null> {
  const lead = await wholeLeadOrRefuse(req, mesh, code);
  if (!lead) return null;
  const summary: Record<string, unknown> = { ...lead };
  for (const k of ['history', 'evidence', 'reReports', 'transfers', 'audit']) delete summary[k];
  return summary;
}

/** A read of what only the owning unit may see (evidence files): 403 for a unit administrator and another unit's lead. */
export async function assertWholeLeadVisible(req: AdminRequest, mesh: MeshClient, code: string): Promise<void> {
  if (confinedUnit(req)) await wholeLeadOrRefuse(req, mesh, code);
}

/** A member change: 403 unless the member (and any unit it is moved to) is the caller's unit. */
export async function assertOwnMember(req: AdminRequest, mesh: MeshClient, memberId: string, moveTo?: { unitId?: string; unitName?: string }): Promise<void> {
  const unit = confinedUnit(req);
  if (!unit) return;
  if (moveTo?.unitId !== undefined && String(moveTo.unitId) !== String(unit.id)) throw new ForbiddenException(NOT_YOUR_UNIT);
  if (moveTo?.unitName !== undefined && moveTo.unitName.trim() !== unit.name) throw new ForbiddenException(NOT_YOUR_UNIT);
  const own = await mesh.request<{ total: number }>(Rpc.membersList, { unitId: unit.id, memberId, limit: 1 });
  if (own.total === 0) throw new ForbiddenException(NOT_YOUR_UNIT);
}
