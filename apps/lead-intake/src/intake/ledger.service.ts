import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PolicyProfile, Stage, stageLabel } from '@zs/domain';
import { DirectoryRepository, LeadFieldPatch, LedgerLead, LedgerRepository, LeadFilter } from '@zs/persistence';
import { POLICY } from '../tokens';
import { RpcBadRequest, RpcConflict, RpcNotFound } from '../rpc/rpc-result';
import { Actor } from './intake-context';
import { LedgerEventWriter } from './ledger-events';
import { OutboxRelay } from '@zs/platform';
import { amountDisplayOf } from './report-fields';
import { ChangeStageUseCase } from './use-cases/change-stage.use-case';
import { TransferLeadUseCase } from './use-cases/transfer-lead.use-case';
import { UpdateLeadUseCase } from './use-cases/update-lead.use-case';
import { ImportLedgerUseCase, ImportRow } from './use-cases/import-ledger.use-case';

/** The admin API's view of a lead. */
export function leadView(l: LedgerLead, policy: PolicyProfile, duplicateReports?: number) {
  return {
    id: l.id,
    code: l.code,
    companyName: l.companyName,
    creditCode: l.creditCode,
    industry: l.industry,
    amountWan: l.amountWan,
    currency: l.currency,
    amountWanCny: l.amountWanCny,
    amountDisplay: amountDisplayOf(l),
    amountApproximate: l.amountApproximate,
    tier: l.tier,
    tierLabel: l.tierLabel,
    stage: l.stage,
    stageLabel: stageLabel(l.stage as Stage, policy.ledger),
    stageDates: Object.fromEntries(Object.entries(l.stageDates ?? {}).map(([k, v]) => [k, new Date(v).toISOString()])),
    signedAmountWan: l.signedAmountWan,
    capitalInPlaceWan: l.capitalInPlaceWan,
    ownerUnitId: l.ownerUnitId,
    ownerUnitName: l.ownerUnitName,
    firstContactUnitId: l.firstContactUnitId,
    firstContactUnitName: l.firstContactUnitName,
    reporterName: l.reporterName,
    contactName: l.contactName,
    contactPhone: l.contactPhone,
    content: l.content,
    intendedArea: l.intendedArea,
    originRegion: l.originRegion,
    projectTypes: l.projectTypes,
    warnings: l.warnings,
    possibleDuplicateOf: l.possibleDuplicateOf,
    complete: !!l.completedAt,
    lapsed: !!l.lapsedAt,
    duplicateReports: duplicateReports ?? undefined,
    version: l.version,
    registeredAt: new Date(l.registeredAt).toISOString(),
    updatedAt: new Date(l.updatedAt).toISOString(),
  };
}

/**
 * The ledger as administrators change it through the admin API: the same use cases as the chat
 * commands, each in its own transaction with its audit and events, published after commit.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ds: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  private async inTransaction<T>(work: (em: EntityManager, events: LedgerEventWriter) => Promise<T>): Promise<T> {
    const written: string[] = [];
    const result = await this.ds.transaction((em) => work(em, new LedgerEventWriter(em, written)));
    await this.relay.publishIds(written);
    return result;
  }

  async list(f: LeadFilter) {
    const repo = new LedgerRepository(this.ds.manager);
    const { items, total } = await repo.list(f);
    const counts = items.length
      ? await this.ds.query(`SELECT lead_id::text AS id, count(*)::int AS n FROM lead_duplicate_reports WHERE lead_id = ANY($1::bigint[]) GROUP BY lead_id`, [items.map((i) => i.id)])
      : [];
    const byId = new Map<string, number>(counts.map((c: { id: string; n: number }) => [c.id, c.n]));
    return { items: items.map((l) => leadView(l, this.policy, byId.get(l.id) ?? 0)), total, limit: f.limit, offset: f.offset };
  }

  /** A unit named by id or name; an unknown one is a 400. */
  async unitIdOf(unit: string): Promise<string> {
    const row = await new DirectoryRepository(this.ds.manager).findUnit(/^\d+$/.test(unit) ? { id: unit } : { name: unit });
    if (!row) throw new RpcBadRequest(`unknown unit "${unit}"`);
    return row.id;
  }

  async get(code: string) {
    const repo = new LedgerRepository(this.ds.manager);
    const lead = await repo.getByCode(code);
    if (!lead) throw new RpcNotFound(`no lead ${code}`);
    const h = await repo.history(lead.id);
    return { ...leadView(lead, this.policy, h.reReports.length), history: h.stages, evidence: h.evidence, reReports: h.reReports, transfers: h.transfers, audit: h.audit };
  }

  async stage(code: string, body: { stage: Exclude<Stage, 'lead'>; date?: string; amountWan?: number; capitalInPlaceWan?: number; note?: string }, admin: string) {
    const date = body.date ? Date.parse(body.date) : Date.now();
    if (!Number.isFinite(date)) throw new RpcBadRequest('date must be an ISO date');
    return this.inTransaction(async (em, events) => {
      const uc = new ChangeStageUseCase(em, this.policy, events);
      const actor: Actor = { kind: 'admin', name: admin };
      const r = await uc.run({ code, request: { kind: 'stage', to: body.stage, date, amountWan: body.amountWan ?? null, reason: body.note ?? null }, note: body.note ?? null, actor, source: null });
      if (r.kind === 'not-found') throw new RpcNotFound(`no lead ${code}`);
      if (r.kind === 'refused') throw new RpcConflict(r.reason);
      if (r.kind !== 'changed') throw new RpcConflict('not allowed');
      let lead = r.lead;
      if (body.capitalInPlaceWan !== undefined && body.capitalInPlaceWan !== null) {
        const delta = Math.round((body.capitalInPlaceWan - (lead.capitalInPlaceWan ?? 0)) * 100) / 100;
        if (delta < 0) throw new RpcBadRequest('capitalInPlaceWan is cumulative and cannot decrease');
        if (delta > 0) {
          const c = await uc.run({ code, request: { kind: 'capital', deltaWan: delta, date }, note: body.note ?? null, actor, source: null });
          if (c.kind === 'refused') throw new RpcConflict(c.reason);
          if (c.kind === 'changed') lead = c.lead;
        }
      }
      return leadView(lead, this.policy);
    });
  }

  async transfer(code: string, body: { toUnit: string; reason: string }, admin: string) {
    return this.inTransaction(async (em, events) => {
      const toUnit = /^\d+$/.test(body.toUnit) ? { id: body.toUnit } : { name: body.toUnit };
      const r = await new TransferLeadUseCase(em, this.policy, events).run({ code, toUnit, reason: body.reason, actor: { kind: 'admin', name: admin }, via: null });
      if (r.kind === 'not-found') throw new RpcNotFound(`no lead ${code}`);
      if (r.kind === 'unknown-unit') throw new RpcBadRequest(`unknown unit "${r.unit}"`);
      if (r.kind === 'refused') throw new RpcConflict(r.reason);
      return leadView(r.lead, this.policy);
    });
  }

  async import(rows: ImportRow[], commit: boolean, admin: string) {
    if (!Array.isArray(rows)) throw new RpcBadRequest('rows must be a list');
    return this.inTransaction((em, events) => new ImportLedgerUseCase(em, this.policy, events).run(rows, commit, admin));
  }

  async patch(code: string, patch: LeadFieldPatch, admin: string) {
    return this.inTransaction(async (em, events) => {
      try {
        const r = await new UpdateLeadUseCase(em, this.policy, events).apply({ code, patch, actor: { kind: 'admin', name: admin }, action: 'corrected' });
        if (r.kind === 'not-found') throw new RpcNotFound(`no lead ${code}`);
        if (r.kind === 'not-owner') throw new RpcConflict('not allowed');
        return leadView(r.lead, this.policy);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new RpcConflict('another lead already holds this company name or credit code');
        throw e;
      }
    });
  }
}
