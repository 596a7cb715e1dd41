import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeadRegisteredEvent, LeadSnapshot } from '@zs/contracts';
import { ComputedIndicator, LedgerProject, PolicyProfile, STAGE_ORDER, Window } from '@zs/domain';
import { POLICY } from '../tokens';

/** When a stage or any later one was first reached (a producing project has started and signed). */
function reached(stageDates: Record<string, number | undefined>, stage: (typeof STAGE_ORDER)[number]): Date | null {
  const dates = STAGE_ORDER.slice(STAGE_ORDER.indexOf(stage))
    .map((s) => stageDates[s])
    .filter((d): d is number => typeof d === 'number');
  return dates.length ? new Date(Math.min(...dates)) : null;
}

/**
 * Scoring's own copy of the project ledger, fed by the lead events. Every event carries the whole
 * lead, so an upsert where the stored version is lower is all idempotency needs: duplicates and
 * out-of-order deliveries leave the highest version in place.
 */
@Injectable()
export class LeadReadModel {
  constructor(
    private readonly ds: DataSource,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  async upsertSnapshot(lead: LeadSnapshot): Promise<boolean> {
    const d = lead.stageDates as Record<string, number | undefined>;
    const rows = await this.ds.query(
      `INSERT INTO scoring_leads (lead_id, code, owner_unit_id, first_contact_unit_id, tier, stage, planned_amount_wan, signed_amount_wan,
                                  capital_in_place_wan, signed_at, started_at, producing_at, terminated_at, registered_at, version, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15, now())
       ON CONFLICT (lead_id) DO UPDATE SET code = EXCLUDED.code, owner_unit_id = EXCLUDED.owner_unit_id,
         first_contact_unit_id = EXCLUDED.first_contact_unit_id, tier = EXCLUDED.tier, stage = EXCLUDED.stage,
         planned_amount_wan = EXCLUDED.planned_amount_wan, signed_amount_wan = EXCLUDED.signed_amount_wan,
         capital_in_place_wan = EXCLUDED.capital_in_place_wan, signed_at = EXCLUDED.signed_at, started_at = EXCLUDED.started_at,
         producing_at = EXCLUDED.producing_at, terminated_at = EXCLUDED.terminated_at, registered_at = EXCLUDED.registered_at,
         version = EXCLUDED.version, updated_at = now()
       WHERE scoring_leads.version < EXCLUDED.version
       RETURNING lead_id`,
      [
        lead.leadId,
        lead.code,
        lead.ownerUnitId,
        lead.firstContactUnitId,
        lead.tier,
        lead.stage,
        lead.plannedAmountWan,
        lead.signedAmountWan,
        lead.capitalInPlaceWan,
        reached(d, 'signed'),
        reached(d, 'started'),
        reached(d, 'producing'),
        typeof d.terminated === 'number' ? new Date(d.terminated) : null,
        new Date(lead.registeredAt),
        lead.version,
      ],
    );
    return rows.length > 0;
  }

  /** The registration event of today's intake (before the ledger's snapshots): version 0, first contact = owner. */
  async upsertRegistered(e: LeadRegisteredEvent): Promise<boolean> {
    const amountWan = e.currency === 'CNY' ? e.amountWan : Math.round(e.amountWan * this.policy.usdToCnyRate * 100) / 100;
    return this.upsertSnapshot({
      leadId: e.leadId,
      code: e.code,
      companyName: '',
      ownerUnitId: e.ownerUnitId,
      firstContactUnitId: e.ownerUnitId,
      tier: e.tier,
      projectTypes: [],
      industry: null,
      plannedAmountWan: amountWan,
      stage: 'lead',
      stageDates: {},
      signedAmountWan: null,
      capitalInPlaceWan: null,
      registeredAt: e.registeredAt,
      version: 0,
      updatedAt: e.registeredAt,
    });
  }

  async count(): Promise<number> {
    const [r] = await this.ds.query(`SELECT count(*)::int AS n FROM scoring_leads`);
    return r.n;
  }

  /**
   * Computed indicators for every owner unit over a window, as one aggregate (the same rules as
   * the domain's ledgerValue, which the unit tests pin down). unitId → indicatorKey → value.
   */
  async computedIndicators(indicators: { key: string; computed?: ComputedIndicator }[], w: Window): Promise<Map<string, Map<string, number>>> {
    const computed = indicators.filter((i) => i.computed);
    const out = new Map<string, Map<string, number>>();
    if (!computed.length) return out;
    const params: unknown[] = [new Date(w.fromMs), new Date(w.toMs)];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const alive = `(terminated_at IS NULL OR terminated_at >= $2)`;
    const signedIn = `(signed_at >= $1 AND signed_at < $2)`;
    const selects = computed.map((ind, i) => {
      const c = ind.computed as ComputedIndicator;
      const quals = [alive];
      const tier = c.tierKey ?? (c.metric === 'major-projects-landed' ? 'major' : undefined);
      if (tier) quals.push(`tier = ${p(tier)}`);
      if (c.minAmountWan !== undefined) quals.push(`coalesce(signed_amount_wan, planned_amount_wan, 0) >= ${p(c.minAmountWan)}`);
      const q = quals.join(' AND ');
      const col = `v${i}`;
      switch (c.metric) {
        case 'projects-signed':
          return `count(*) FILTER (WHERE ${q} AND ${signedIn}) AS ${col}`;
        case 'projects-started':
        case 'major-projects-landed':
          return `count(*) FILTER (WHERE ${q} AND started_at >= $1 AND started_at < $2) AS ${col}`;
        case 'signed-amount':
          return `coalesce(sum(signed_amount_wan) FILTER (WHERE ${q} AND ${signedIn}), 0) AS ${col}`;
        case 'capital-in-place':
          return `coalesce(sum(capital_in_place_wan) FILTER (WHERE ${q} AND ${signedIn}), 0) AS ${col}`;
        case 'start-rate':
          return `count(*) FILTER (WHERE ${q} AND ${signedIn} AND started_at < $2) * 100.0 / NULLIF(count(*) FILTER (WHERE ${q} AND ${signedIn}), 0) AS ${col}`;
        case 'production-rate':
          return `count(*) FILTER (WHERE ${q} AND ${signedIn} AND producing_at < $2) * 100.0 / NULLIF(count(*) FILTER (WHERE ${q} AND ${signedIn}), 0) AS ${col}`;
        case 'capital-rate':
          return `coalesce(sum(capital_in_place_wan) FILTER (WHERE ${q} AND ${signedIn}), 0) * 100.0 / NULLIF(sum(signed_amount_wan) FILTER (WHERE ${q} AND ${signedIn}), 0) AS ${col}`;
      }
    });
    // Only projects signed before the end of the window can count for anything.
    const rows: Record<string, string | null>[] = await this.ds.query(
      `SELECT owner_unit_id AS unit, ${selects.join(', ')} FROM scoring_leads
       WHERE signed_at < $2 AND (signed_at >= $1 OR started_at >= $1) GROUP BY owner_unit_id`,
      params,
    );
    for (const r of rows) {
      const values = new Map<string, number>();
      computed.forEach((ind, i) => {
        const v = r[`v${i}`];
        if (v !== null && v !== undefined) values.set(ind.key, Number(v));
      });
      out.set(String(r.unit), values);
    }
    return out;
  }

  /** Projects that reached signing or later in a window, as the domain's LedgerProject (rewards). */
  async projectsActiveIn(w: Window, unitKeyById: Map<string, string>): Promise<LedgerProject[]> {
    const rows: Record<string, any>[] = await this.ds.query(
      `SELECT lead_id, code, owner_unit_id, first_contact_unit_id, tier, signed_amount_wan, planned_amount_wan, capital_in_place_wan,
              signed_at, started_at, producing_at, terminated_at
       FROM scoring_leads WHERE signed_at < $2 AND (signed_at >= $1 OR started_at >= $1 OR producing_at >= $1)`,
      [new Date(w.fromMs), new Date(w.toMs)],
    );
    const ms = (d: Date | null) => (d ? new Date(d).getTime() : undefined);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rows.map((r) => ({
      leadId: r.lead_id,
      code: r.code ?? undefined,
      ownerUnitKey: unitKeyById.get(String(r.owner_unit_id)) ?? `unit-${r.owner_unit_id}`,
      firstContactUnitKey: unitKeyById.get(String(r.first_contact_unit_id)) ?? `unit-${r.first_contact_unit_id}`,
      tier: r.tier,
      stageDates: { signed: ms(r.signed_at), started: ms(r.started_at), producing: ms(r.producing_at), terminated: ms(r.terminated_at) },
      signedAmountWan: num(r.signed_amount_wan),
      plannedAmountWan: num(r.planned_amount_wan),
      capitalInPlaceWan: num(r.capital_in_place_wan),
    }));
  }
}
