import type { components } from './schema';

/**
 * Shapes the console reads from the admin API: the generated ones (schema.d.ts, from the OpenAPI
 * document) under the names the pages use, and, where the document does not (yet) give a precise
 * schema, hand-written ones, to be replaced by generated ones as the document improves.
 */
export type LeadRow = components['schemas']['LeadView'];
export type ScheduleRow = components['schemas']['ConsoleScheduleView'];
export type RankingRowView = components['schemas']['ConsoleRankingRow'];
export type RankingViewShape = components['schemas']['ConsoleRankingView'];
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
