import { EntityManager } from 'typeorm';
import { classifyTier, companyRegistryKey, parseAmount, PolicyProfile, Stage } from '@zs/domain';
import { DirectoryRepository, LedgerRepository } from '@zs/persistence';
import { LedgerEventWriter } from '../ledger-events';
import { yearIn } from './register-lead.use-case';

export interface ImportRow {
  row: number;
  values: Record<string, string>;
}

export interface ImportRowResult {
  row: number;
  companyName: string;
  status: 'accepted' | 'duplicate' | 'error';
  code?: string;
  duplicateOf?: { code?: string; row?: number; unitName: string; registeredAt: string };
  errors?: string[];
}

const STAGE_WORDS: Record<string, Stage> = {};

/**
 * Imports an existing city ledger: each row is checked (company, unit, date, amount), rows are
 * taken in the order of their own dates so the earliest row of a company makes first contact,
 * and a company already registered is reported as a duplicate of whom. A dry run decides the
 * same way without writing; a commit registers the accepted rows with gapless numbers.
 */
export class ImportLedgerUseCase {
  constructor(
    private readonly em: EntityManager,
    private readonly policy: PolicyProfile,
    private readonly events: LedgerEventWriter,
  ) {
    if (Object.keys(STAGE_WORDS).length === 0) {
      STAGE_WORDS[policy.ledger.leadLabel] = 'lead';
      for (const s of policy.ledger.stages) for (const w of [s.label, ...s.commands]) STAGE_WORDS[w] = s.stage;
    }
  }

  async run(rows: ImportRow[], commit: boolean, admin: string): Promise<{ commit: boolean; accepted: number; duplicates: number; errors: number; rows: ImportRowResult[] }> {
    const directory = new DirectoryRepository(this.em);
    const ledger = new LedgerRepository(this.em);
    const units = new Map((await directory.listUnits()).map((u) => [u.name, u]));
    const results: ImportRowResult[] = [];
    const prepared: Array<{ r: ImportRow; key: string; at: Date; unitId: string; unitName: string }> = [];
    for (const r of rows) {
      const v = r.values;
      const errors: string[] = [];
      const companyName = (v.companyName ?? '').trim();
      const key = companyName ? companyRegistryKey(companyName) : '';
      if (!key) errors.push('缺少企业名称');
      const unit = units.get((v.unit ?? '').trim());
      if (!unit) errors.push(v.unit ? `未知单位“${v.unit}”` : '缺少跟进单位');
      const at = v.registeredAt ? new Date(v.registeredAt.replace(/[年月/.]/g, '-').replace(/日/, '')) : null;
      if (!at || Number.isNaN(at.getTime())) errors.push(v.registeredAt ? `登记时间“${v.registeredAt}”无法识别` : '缺少登记时间');
      if (v.amountWan && !(Number(v.amountWan) > 0) && !parseAmount(v.amountWan)) errors.push(`计划投资“${v.amountWan}”无法识别`);
      if (v.stage && !STAGE_WORDS[v.stage.trim()]) errors.push(`阶段“${v.stage}”不在本市台账阶段中`);
      if (errors.length) results.push({ row: r.row, companyName, status: 'error', errors });
      else prepared.push({ r, key, at: at!, unitId: unit!.id, unitName: unit!.name });
    }
    prepared.sort((a, b) => a.at.getTime() - b.at.getTime() || a.r.row - b.r.row);
    const firstInFile = new Map<string, { row: number; unitName: string; at: Date }>();
    for (const p of prepared) {
      const v = p.r.values;
      const companyName = v.companyName.trim();
      const creditCode = v.creditCode?.trim() || null;
      const earlier = firstInFile.get(p.key);
      if (earlier) {
        results.push({ row: p.r.row, companyName, status: 'duplicate', duplicateOf: { row: earlier.row, unitName: earlier.unitName, registeredAt: earlier.at.toISOString() } });
        continue;
      }
      const existing = await ledger.findLiveClaim(p.key, creditCode);
      if (existing) {
        results.push({ row: p.r.row, companyName, status: 'duplicate', duplicateOf: { code: existing.code, unitName: existing.ownerUnitName, registeredAt: new Date(existing.registeredAt).toISOString() } });
        continue;
      }
      firstInFile.set(p.key, { row: p.r.row, unitName: p.unitName, at: p.at });
      if (!commit) {
        results.push({ row: p.r.row, companyName, status: 'accepted' });
        continue;
      }
      const reporter = (await directory.activeMembersOfUnit({ id: p.unitId }))[0];
      if (!reporter) {
        results.push({ row: p.r.row, companyName, status: 'error', errors: [`单位“${p.unitName}”没有成员，无法记为报送人`] });
        continue;
      }
      const amount = v.amountWan ? (Number(v.amountWan) > 0 ? { amountWan: Number(v.amountWan), currency: 'CNY' as const } : parseAmount(v.amountWan)) : null;
      const cny = amount ? (amount.currency === 'USD' ? amount.amountWan * this.policy.usdToCnyRate : amount.amountWan) : null;
      const tier = cny ? classifyTier({ amountWan: cny, currency: 'CNY' }, this.policy.leadTiers, this.policy.usdToCnyRate) : null;
      const stage = v.stage ? STAGE_WORDS[v.stage.trim()] : 'lead';
      const lead = await ledger.insertClaim({
        cityCode: this.policy.cityCode,
        year: yearIn(p.at, this.policy.timezone),
        companyName,
        normalizedName: p.key,
        creditCode,
        industry: v.industry || null,
        amountWan: amount?.amountWan ?? null,
        currency: amount?.currency ?? null,
        amountWanCny: cny,
        amountMinWan: amount?.amountWan ?? null,
        amountMaxWan: amount?.amountWan ?? null,
        amountApproximate: false,
        amountOriginal: v.amountWan || null,
        tier: tier?.tier ?? null,
        tierLabel: tier?.label ?? null,
        ownerUnitId: p.unitId,
        reporterMemberId: reporter.id,
        contactName: v.contactName || null,
        contactPhone: v.contactPhone || null,
        content: v.content || null,
        intendedArea: null,
        originRegion: null,
        warnings: [],
        possibleDuplicateOf: null,
        complete: true,
        registeredAt: p.at,
        sourcePlatform: 'import',
        sourceMsgId: `import:${p.key}:${p.at.getTime()}`,
        stage,
        stageDates: stage !== 'lead' ? { [stage]: p.at.getTime() } : {},
        signedAmountWan: v.signedAmountWan ? Number(v.signedAmountWan) || null : null,
        capitalInPlaceWan: v.capitalInPlaceWan ? Number(v.capitalInPlaceWan) || null : null,
      });
      if (!lead) {
        results.push({ row: p.r.row, companyName, status: 'error', errors: ['登记冲突，请重试'] });
        continue;
      }
      await ledger.audit({ leadId: lead.id, action: 'imported', actor: `admin:${admin}`, before: null, after: { row: p.r.row } });
      await this.events.registered(lead);
      results.push({ row: p.r.row, companyName, status: 'accepted', code: lead.code });
    }
    results.sort((a, b) => a.row - b.row);
    return {
      commit,
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      errors: results.filter((r) => r.status === 'error').length,
      rows: results,
    };
  }
}
