/**
 * What a unit administrator sees of a lead owned by another unit: only that it is registered,
 * by whom and when (首谈首报) — never the contact person, phone, content, reporter, evidence or
 * history. Built from an allow-list, so a field added to the lead later stays hidden by default.
 */

export interface AdminLeadLike {
  code: string;
  companyName: string;
  ownerUnitId: string;
  ownerUnitName: string;
  registeredAt: string;
  [field: string]: unknown;
}

export interface RestrictedLeadView {
  code: string;
  companyName: string;
  ownerUnitId: string;
  ownerUnitName: string;
  registeredAt: string;
  restricted: true;
  /** 已由赫山区于2026-03-05登记 */
  registeredNotice: string;
}

/** `YYYY-MM-DD` of an instant in China Standard Time (no daylight saving, UTC+8). */
function chinaDate(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return String(iso).slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

export function restrictedLeadView(lead: AdminLeadLike): RestrictedLeadView {
  return {
    code: lead.code,
    companyName: lead.companyName,
    ownerUnitId: lead.ownerUnitId,
    ownerUnitName: lead.ownerUnitName,
    registeredAt: lead.registeredAt,
    restricted: true,
    registeredNotice: `已由${lead.ownerUnitName}于${chinaDate(lead.registeredAt)}登记`,
  };
}

/** The lead as the viewer may see it: whole for its own unit (or no unit restriction), else restricted. */
export function leadForViewer<T extends AdminLeadLike>(lead: T, viewerUnitId: string | null): T | RestrictedLeadView {
  if (viewerUnitId === null || String(lead.ownerUnitId) === String(viewerUnitId)) return lead;
  return restrictedLeadView(lead);
}
