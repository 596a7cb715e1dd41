/**
 * Shapes the console reads from the admin API, where the OpenAPI document does not (yet) give a
 * precise response schema. Kept in one place so that a better document replaces them file by file.
 */
export interface LeadRow {
  id: string;
  code: string;
  companyName: string;
  industry: string;
  amountWan: number;
  currency: string;
  tierLabel: string;
  stage: string;
  ownerUnitId: string;
  ownerUnitName: string;
  reporterName: string;
  contactName: string | null;
  contactPhone: string | null;
  content: string;
  intendedArea: string | null;
  duplicateReports: number;
  registeredAt: string;
  /** another unit's lead seen by a unit administrator: registration facts only */
  restricted?: boolean;
  registeredNotice?: string;
}
export interface PageOf<T> {
  items: T[];
  total: number;
  limit?: number;
  offset?: number;
}
export interface UnitRow {
  id: string;
  name: string;
  key?: string;
  kind?: string;
  [k: string]: unknown;
}
export interface ScheduleRow {
  id: string;
  kind: string;
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  workingDaysOnly: boolean;
  audience: Record<string, unknown>;
  message: string | null;
  nextFireAt: string | null;
  lastFiredAt: string | null;
  onceAt: string | null;
  version: number;
}
export interface RankingRowView {
  rank: number | null;
  unit: string;
  unitName: string;
  score: number | null;
  progress: number | null;
  timeProgress: number;
  gap: number | null;
  band: 'green' | 'yellow' | 'red' | string | null;
}
export interface RankingViewShape {
  period: string;
  label: string;
  status: 'published' | 'draft';
  version: number | null;
  publishedAt: string | null;
  timeProgress: number;
  changes: string[];
  groups: { group: string; groupName: string; rows: RankingRowView[] }[];
  outdated?: boolean;
}

export const STAGE_WORDS: Record<string, string> = {
  lead: '线索',
  negotiating: '在谈',
  signed: '签约',
  started: '开工',
  producing: '投产',
  terminated: '终止',
};
export const SETTABLE_STAGE_KEYS = ['negotiating', 'signed', 'started', 'producing', 'terminated'];

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
}

/** The current quarter as the scoring API names periods: 2026-Q4. */
export function currentQuarter(now = new Date()): string {
  const cn = new Date(now.getTime() + 8 * 3600 * 1000);
  return `${cn.getUTCFullYear()}-Q${Math.floor(cn.getUTCMonth() / 3) + 1}`;
}
