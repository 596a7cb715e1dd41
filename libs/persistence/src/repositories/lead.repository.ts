import { EntityManager } from 'typeorm';
import { LedgerLead, LedgerRepository } from './ledger.repository';

export interface NewLead {
  cityCode: string;
  companyName: string;
  normalizedName: string;
  creditCode: string | null;
  industry: string;
  amountWan: number;
  currency: 'CNY' | 'USD';
  tier: string;
  tierLabel: string;
  ownerUnitId: string;
  reporterMemberId: string;
  contactName: string | null;
  contactPhone: string | null;
  content: string;
  intendedArea: string | null;
  originRegion: string | null;
  sourcePlatform: string;
  sourceMsgId: string;
}

export interface RegisteredLead {
  id: string;
  code: string;
  companyName: string;
  ownerUnitId: string;
  ownerUnitName: string;
  tier: string;
  tierLabel: string;
  amountWan: number;
  currency: 'CNY' | 'USD';
  registeredAt: Date;
}

export type FirstContactOutcome =
  | { kind: 'registered'; lead: RegisteredLead }
  | { kind: 'already-registered'; lead: RegisteredLead };

export interface LeadListRow {
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
  registeredAt: Date;
}

function asRegistered(l: LedgerLead): RegisteredLead {
  return {
    id: l.id,
    code: l.code,
    companyName: l.companyName,
    ownerUnitId: l.ownerUnitId,
    ownerUnitName: l.ownerUnitName,
    tier: l.tier ?? '',
    tierLabel: l.tierLabel ?? '',
    amountWan: l.amountWan ?? 0,
    currency: l.currency ?? 'CNY',
    registeredAt: l.registeredAt,
  };
}

/** The first-contact registry (首谈首报) and lead queries. */
export class LeadRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Registers a complete lead unless the company is already registered, with a gapless number
   * (see LedgerRepository.insertClaim). Uniqueness is enforced by the database (normalised
   * name, and credit code when given), so two units reporting the same company at the same
   * instant cannot both win: the loser waits for the winner's commit, inserts nothing, and the
   * follow-up SELECT finds the winner.
   */
  async registerFirstContact(l: NewLead): Promise<FirstContactOutcome> {
    const ledger = new LedgerRepository(this.db);
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const inserted = await ledger.insertClaim({
      cityCode: l.cityCode,
      year,
      companyName: l.companyName,
      normalizedName: l.normalizedName,
      creditCode: l.creditCode,
      industry: l.industry,
      amountWan: l.amountWan,
      currency: l.currency,
      amountWanCny: l.amountWan,
      amountMinWan: l.amountWan,
      amountMaxWan: l.amountWan,
      amountApproximate: false,
      amountOriginal: null,
      tier: l.tier,
      tierLabel: l.tierLabel,
      ownerUnitId: l.ownerUnitId,
      reporterMemberId: l.reporterMemberId,
      contactName: l.contactName,
      contactPhone: l.contactPhone,
      content: l.content,
      intendedArea: l.intendedArea,
      originRegion: l.originRegion,
      warnings: [],
      possibleDuplicateOf: null,
      complete: true,
      registeredAt: new Date(),
      sourcePlatform: l.sourcePlatform,
      sourceMsgId: l.sourceMsgId,
    });
    if (inserted) return { kind: 'registered', lead: asRegistered(inserted) };
    const existing = await ledger.findLiveClaim(l.normalizedName, l.creditCode);
    if (!existing) throw new Error('lead insert conflicted but no existing lead was found');
    return { kind: 'already-registered', lead: asRegistered(existing) };
  }

  /** Records that another unit reported an already-registered company (several units chasing one company). */
  async recordDuplicateReport(r: { leadId: string; unitId: string; memberId: string; companyName: string; platform: string; msgId: string }) {
    await this.db.query(
      `INSERT INTO lead_duplicate_reports (lead_id, unit_id, member_id, company_name, source_platform, source_msg_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [r.leadId, r.unitId, r.memberId, r.companyName, r.platform, r.msgId],
    );
  }

  async list(q: { unitId?: string; limit: number; offset: number }): Promise<{ items: LeadListRow[]; total: number }> {
    const items = await this.db.query(
      `SELECT l.id::text AS "id", l.code AS "code", l.company_name AS "companyName", l.industry AS "industry",
              l.amount_wan::float8 AS "amountWan", l.currency AS "currency", l.tier_label AS "tierLabel", l.stage AS "stage",
              l.owner_unit_id::text AS "ownerUnitId", u.name AS "ownerUnitName", m.name AS "reporterName",
              l.contact_name AS "contactName", l.contact_phone AS "contactPhone", l.content AS "content",
              l.intended_area AS "intendedArea", l.registered_at AS "registeredAt",
              (SELECT count(*)::int FROM lead_duplicate_reports d WHERE d.lead_id = l.id) AS "duplicateReports"
       FROM leads l JOIN units u ON u.id = l.owner_unit_id JOIN members m ON m.id = l.reporter_member_id
       WHERE ($1::bigint IS NULL OR l.owner_unit_id = $1::bigint)
       ORDER BY l.id DESC LIMIT $2 OFFSET $3`,
      [q.unitId ?? null, q.limit, q.offset],
    );
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM leads WHERE ($1::bigint IS NULL OR owner_unit_id = $1::bigint)`,
      [q.unitId ?? null],
    );
    return { items, total };
  }
}
