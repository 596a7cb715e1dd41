import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { pageOf, Rpc } from '@zs/contracts';
import { classifyTier, companyRegistryKey, PolicyProfile, Stage } from '@zs/domain';
import { LeadFieldPatch } from '@zs/persistence';
import { POLICY } from '../tokens';
import { LedgerService } from '../intake/ledger.service';
import { rpcResult, RpcBadRequest } from './rpc-result';

export interface LeadPatchBody {
  companyName?: string;
  creditCode?: string | null;
  industry?: string | null;
  amountWan?: number | null;
  currency?: 'CNY' | 'USD';
  contactName?: string | null;
  contactPhone?: string | null;
  content?: string | null;
  intendedArea?: string | null;
  originRegion?: string | null;
  projectTypes?: string[];
}

/** The project ledger for the admin API (the gateway validated the shapes). */
@Controller()
export class LedgerRpcController {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(POLICY) private readonly policy: PolicyProfile,
  ) {}

  @MessagePattern(Rpc.leadsList)
  list(@Payload() q: { q?: string; unit?: string; unitId?: string; stage?: string; tier?: string; from?: string; to?: string; hasDuplicates?: boolean; limit?: number; offset?: number }) {
    return rpcResult(async () =>
      this.ledger.list({
        q: q?.q || undefined,
        unitId: q?.unit ? await this.ledger.unitIdOf(q.unit) : q?.unitId,
        stage: q?.stage,
        tier: q?.tier,
        from: q?.from ? new Date(q.from) : undefined,
        to: q?.to ? new Date(q.to) : undefined,
        hasDuplicates: q?.hasDuplicates,
        ...pageOf(q),
      }),
    );
  }

  @MessagePattern(Rpc.leadsGet)
  get(@Payload() p: { code: string }) {
    return rpcResult(() => this.ledger.get(p.code));
  }

  @MessagePattern(Rpc.leadsStage)
  stage(@Payload() p: { code: string; admin: string; body: { stage: Exclude<Stage, 'lead'>; date?: string; amountWan?: number; capitalInPlaceWan?: number; note?: string } }) {
    return rpcResult(() => this.ledger.stage(p.code, p.body, p.admin));
  }

  @MessagePattern(Rpc.leadsTransfer)
  transfer(@Payload() p: { code: string; admin: string; body: { toUnit: string; reason: string } }) {
    return rpcResult(() => this.ledger.transfer(p.code, p.body, p.admin));
  }

  @MessagePattern(Rpc.leadsImport)
  import(@Payload() p: { rows: Array<{ row: number; values: Record<string, string> }>; commit: boolean; admin: string }) {
    return rpcResult(() => this.ledger.import(p.rows, !!p.commit, p.admin));
  }

  @MessagePattern(Rpc.leadsPatch)
  patch(@Payload() p: { code: string; admin: string; body: LeadPatchBody }) {
    return rpcResult(() => this.ledger.patch(p.code, this.toPatch(p.body ?? {}), p.admin));
  }

  private toPatch(b: LeadPatchBody): LeadFieldPatch {
    const patch: LeadFieldPatch = {};
    if (b.companyName !== undefined) {
      const key = companyRegistryKey(b.companyName);
      if (!key) throw new RpcBadRequest('companyName has no usable name');
      patch.companyName = b.companyName.trim();
      patch.normalizedName = key;
    }
    for (const k of ['creditCode', 'industry', 'contactName', 'contactPhone', 'content', 'intendedArea', 'originRegion'] as const) {
      if (b[k] !== undefined) (patch as Record<string, unknown>)[k] = b[k];
    }
    if (b.amountWan !== undefined && b.amountWan !== null) {
      const currency = b.currency ?? 'CNY';
      const cny = currency === 'USD' ? b.amountWan * this.policy.usdToCnyRate : b.amountWan;
      const tier = classifyTier({ amountWan: cny, currency: 'CNY' }, this.policy.leadTiers, this.policy.usdToCnyRate);
      Object.assign(patch, {
        amountWan: b.amountWan,
        currency,
        amountWanCny: Math.round(cny * 100) / 100,
        amountMinWan: b.amountWan,
        amountMaxWan: b.amountWan,
        amountApproximate: false,
        amountOriginal: null,
        tier: tier.tier,
        tierLabel: tier.label,
      });
    }
    if (b.projectTypes !== undefined) {
      const known = new Set(this.policy.ledger.projectTypes.map((t) => t.key));
      const unknown = b.projectTypes.filter((t) => !known.has(t));
      if (unknown.length) throw new RpcBadRequest(`unknown project types: ${unknown.join(', ')} (this city has ${[...known].join(', ')})`);
      patch.projectTypes = b.projectTypes;
    }
    return patch;
  }
}
