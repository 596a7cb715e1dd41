import { EntityManager } from 'typeorm';

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

const REGISTERED_SELECT = `
  SELECT l.id::text AS "id", l.code AS "code", l.company_name AS "companyName", l.owner_unit_id::text AS "ownerUnitId",
         u.name AS "ownerUnitName", l.tier AS "tier", l.tier_label AS "tierLabel", l.amount_wan::float8 AS "amountWan",
         l.currency AS "currency", l.registered_at AS "registeredAt"
  FROM leads l JOIN units u ON u.id = l.owner_unit_id`;

/** The first-contact registry (首谈首报) and lead queries. */
export class LeadRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Registers a lead unless the company is already registered. Uniqueness is enforced by
   * the database (normalised name, and credit code when given), so two units reporting
   * the same company at the same instant cannot both win: the loser's INSERT waits for the
   * winner's commit, does nothing, and the follow-up SELECT finds the winner.
   */
  async registerFirstContact(l: NewLead): Promise<FirstContactOutcome> {
    const inserted: RegisteredLead[] = await this.db.query(
      `WITH ins AS (
       INSERT INTO leads (code, company_name, normalized_name, credit_code, industry, amount_wan, currency, tier, tier_label,
                          owner_unit_id, reporter_member_id, contact_name, contact_phone, content, intended_area, origin_region,
                          source_platform, source_msg_id)
       VALUES ($1 || '-' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(nextval('lead_code_seq')::text, 6, '0'),
               $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT DO NOTHING
       RETURNING *)
       SELECT ins.id::text AS "id", ins.code AS "code", ins.company_name AS "companyName", ins.owner_unit_id::text AS "ownerUnitId",
              u.name AS "ownerUnitName", ins.tier AS "tier", ins.tier_label AS "tierLabel", ins.amount_wan::float8 AS "amountWan",
              ins.currency AS "currency", ins.registered_at AS "registeredAt"
       FROM ins JOIN units u ON u.id = ins.owner_unit_id`,
      [
        l.cityCode, l.companyName, l.normalizedName, l.creditCode, l.industry, l.amountWan, l.currency, l.tier, l.tierLabel,
        l.ownerUnitId, l.reporterMemberId, l.contactName, l.contactPhone, l.content, l.intendedArea, l.originRegion,
        l.sourcePlatform, l.sourceMsgId,
      ],
    );
    if (inserted.length === 1) return { kind: 'registered', lead: inserted[0] };
    const [existing] = await this.db.query(
      `${REGISTERED_SELECT} WHERE l.normalized_name = $1 OR ($2::text IS NOT NULL AND l.credit_code = $2) ORDER BY l.id LIMIT 1`,
      [l.normalizedName, l.creditCode],
    );
    if (!existing) throw new Error('lead insert conflicted but no existing lead was found');
    return { kind: 'already-registered', lead: existing };
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
