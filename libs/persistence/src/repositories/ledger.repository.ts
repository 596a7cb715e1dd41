import { EntityManager } from 'typeorm';

/** A lead as the ledger holds it, with its units' names. Amounts in 万 of `currency` unless named Cny. */
export interface LedgerLead {
  id: string;
  code: string;
  companyName: string;
  normalizedName: string;
  creditCode: string | null;
  industry: string | null;
  amountWan: number | null;
  currency: 'CNY' | 'USD' | null;
  amountWanCny: number | null;
  amountMinWan: number | null;
  amountMaxWan: number | null;
  amountApproximate: boolean;
  amountOriginal: string | null;
  tier: string | null;
  tierLabel: string | null;
  stage: string;
  stageDates: Record<string, number>;
  signedAmountWan: number | null;
  capitalInPlaceWan: number | null;
  ownerUnitId: string;
  ownerUnitName: string;
  firstContactUnitId: string;
  firstContactUnitName: string;
  reporterMemberId: string;
  reporterName: string;
  contactName: string | null;
  contactPhone: string | null;
  content: string | null;
  intendedArea: string | null;
  originRegion: string | null;
  projectTypes: string[];
  warnings: string[];
  possibleDuplicateOf: string | null;
  completedAt: Date | null;
  lapsedAt: Date | null;
  version: number;
  registeredAt: Date;
  updatedAt: Date;
}

/** What registering a lead writes: the ledger's own fields as reported, and where the report came from. */
export interface NewLedgerLead
  extends Pick<
      LedgerLead,
      | 'companyName' | 'normalizedName' | 'creditCode' | 'industry'
      | 'amountWan' | 'currency' | 'amountWanCny' | 'amountMinWan' | 'amountMaxWan' | 'amountApproximate' | 'amountOriginal'
      | 'tier' | 'tierLabel' | 'ownerUnitId' | 'reporterMemberId'
      | 'contactName' | 'contactPhone' | 'content' | 'intendedArea' | 'originRegion' | 'warnings' | 'possibleDuplicateOf'
      | 'registeredAt'
    >,
    /** Imported ledgers: the stage and its data as the city recorded it. */
    Partial<Pick<LedgerLead, 'stage' | 'stageDates' | 'signedAmountWan' | 'capitalInPlaceWan'>> {
  cityCode: string;
  year: number;
  complete: boolean;
  sourcePlatform: string;
  sourceMsgId: string;
}

/** Fields a correction or completion may set. */
export type LeadFieldPatch = Partial<
  Pick<
    LedgerLead,
    | 'companyName'
    | 'normalizedName'
    | 'creditCode'
    | 'industry'
    | 'amountWan'
    | 'currency'
    | 'amountWanCny'
    | 'amountMinWan'
    | 'amountMaxWan'
    | 'amountApproximate'
    | 'amountOriginal'
    | 'tier'
    | 'tierLabel'
    | 'contactName'
    | 'contactPhone'
    | 'content'
    | 'intendedArea'
    | 'originRegion'
    | 'projectTypes'
    | 'warnings'
    | 'completedAt'
    | 'stage'
    | 'stageDates'
    | 'signedAmountWan'
    | 'capitalInPlaceWan'
    | 'ownerUnitId'
    | 'firstContactUnitId'
  >
>;

const COLUMNS: Record<keyof LeadFieldPatch, string> = {
  companyName: 'company_name',
  normalizedName: 'normalized_name',
  creditCode: 'credit_code',
  industry: 'industry',
  amountWan: 'amount_wan',
  currency: 'currency',
  amountWanCny: 'amount_wan_cny',
  amountMinWan: 'amount_min_wan',
  amountMaxWan: 'amount_max_wan',
  amountApproximate: 'amount_approximate',
  amountOriginal: 'amount_original',
  tier: 'tier',
  tierLabel: 'tier_label',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
  content: 'content',
  intendedArea: 'intended_area',
  originRegion: 'origin_region',
  projectTypes: 'project_types',
  warnings: 'warnings',
  completedAt: 'completed_at',
  stage: 'stage',
  stageDates: 'stage_dates',
  signedAmountWan: 'signed_amount_wan',
  capitalInPlaceWan: 'capital_in_place_wan',
  ownerUnitId: 'owner_unit_id',
  firstContactUnitId: 'first_contact_unit_id',
};

/** The ledger lead's columns read from `source` (aliased `l`): the table, or a CTE of just-inserted rows. */
function ledgerLeadSelect(source: 'leads' | 'ins'): string {
  return `
  SELECT l.id::text AS "id", l.code AS "code", l.company_name AS "companyName", l.normalized_name AS "normalizedName",
         l.credit_code AS "creditCode", l.industry AS "industry", l.amount_wan::float8 AS "amountWan", l.currency AS "currency",
         l.amount_wan_cny::float8 AS "amountWanCny", l.amount_min_wan::float8 AS "amountMinWan", l.amount_max_wan::float8 AS "amountMaxWan",
         l.amount_approximate AS "amountApproximate", l.amount_original AS "amountOriginal", l.tier AS "tier", l.tier_label AS "tierLabel",
         l.stage AS "stage", l.stage_dates AS "stageDates", l.signed_amount_wan::float8 AS "signedAmountWan",
         l.capital_in_place_wan::float8 AS "capitalInPlaceWan", l.owner_unit_id::text AS "ownerUnitId", ou.name AS "ownerUnitName",
         l.first_contact_unit_id::text AS "firstContactUnitId", fu.name AS "firstContactUnitName",
         l.reporter_member_id::text AS "reporterMemberId", rm.name AS "reporterName",
         l.contact_name AS "contactName", l.contact_phone AS "contactPhone", l.content AS "content", l.intended_area AS "intendedArea",
         l.origin_region AS "originRegion", l.project_types AS "projectTypes", l.warnings AS "warnings",
         l.possible_duplicate_of::text AS "possibleDuplicateOf", l.completed_at AS "completedAt", l.lapsed_at AS "lapsedAt",
         l.version AS "version", l.registered_at AS "registeredAt", l.updated_at AS "updatedAt"
  FROM ${source} l JOIN units ou ON ou.id = l.owner_unit_id JOIN units fu ON fu.id = l.first_contact_unit_id
  JOIN members rm ON rm.id = l.reporter_member_id`;
}

export const LEDGER_LEAD_SELECT = ledgerLeadSelect('leads');

/** The same columns read from the rows a statement's RETURNING * just produced (the `ins` CTE), saving the read-back. */
const LEDGER_LEAD_SELECT_INSERTED = ledgerLeadSelect('ins');

export interface SimilarLead {
  id: string;
  code: string;
  companyName: string;
  ownerUnitId: string;
  ownerUnitName: string;
  registeredAt: Date;
  similarity: number;
}

export interface LeadFilter {
  q?: string;
  unitId?: string;
  stage?: string;
  tier?: string;
  from?: Date;
  to?: Date;
  hasDuplicates?: boolean;
  limit: number;
  offset: number;
}

/**
 * The project ledger: first-contact claims with gapless numbers, near matches, stages,
 * transfers, re-reports, the audit trail and evidence. Every method runs in the caller's
 * transaction (EntityManager), so a decision and its conversation state commit together.
 */
export class LedgerRepository {
  constructor(private readonly db: EntityManager) {}

  /** The company's live claim (exact registry key or credit code), if any. */
  async findLiveClaim(normalizedName: string, creditCode: string | null): Promise<LedgerLead | null> {
    const rows = await this.db.query(
      `${LEDGER_LEAD_SELECT} WHERE l.lapsed_at IS NULL AND (l.normalized_name = $1 OR ($2::text IS NOT NULL AND l.credit_code = $2))
       ORDER BY l.registered_at LIMIT 1`,
      [normalizedName, creditCode],
    );
    return rows[0] ?? null;
  }

  /**
   * A bare claim (never completed) older than the profile's window lapses, so nobody can squat on
   * famous names. Returns the lapsed lead ids.
   */
  async lapseStaleClaims(normalizedName: string, creditCode: string | null, completionDays: number): Promise<string[]> {
    const rows = await this.db.query(
      `UPDATE leads SET lapsed_at = now(), updated_at = now(), version = version + 1
       WHERE lapsed_at IS NULL AND completed_at IS NULL AND registered_at < now() - make_interval(days => $3::int)
         AND (normalized_name = $1 OR ($2::text IS NOT NULL AND credit_code = $2))
       RETURNING id::text AS id`,
      [normalizedName, creditCode, completionDays],
    );
    return (rows[0] && Array.isArray(rows[0]) ? rows[0] : rows).map((r: { id: string }) => r.id);
  }

  /** Registered companies whose registry key resembles `normalizedName` (pg_trgm), best first. */
  async findSimilar(normalizedName: string, threshold: number, limit = 3): Promise<SimilarLead[]> {
    // The GIN index prunes by pg_trgm.similarity_threshold (the % operator): set it to ours, for this
    // transaction only. The query must go through that index whatever the statistics say: on a young
    // table (thousands of leads registered or imported before autovacuum first analyses it) the
    // planner otherwise reads every live lead through the partial unique index on `lapsed_at IS NULL`
    // or a sequential scan and computes the trigrams of each, ~9-12 ms of server CPU per report at
    // 3,500 leads against ~0.1 ms through the index (docs/performance.md). Hence the trigram match
    // alone in a materialised CTE (no other index applies to it) with sequential scans off, the
    // previous setting put back afterwards for the rest of the transaction.
    const [{ seqscan }] = await this.db.query(
      `SELECT current_setting('enable_seqscan') AS seqscan, set_config('pg_trgm.similarity_threshold', $1, true), set_config('enable_seqscan', 'off', true)`,
      [String(threshold)],
    );
    try {
      return await this.db.query(
        `WITH near AS MATERIALIZED (
           SELECT id, code, company_name, owner_unit_id, registered_at, lapsed_at, similarity(normalized_name, $1)::float8 AS similarity
           FROM leads WHERE normalized_name % $1 AND normalized_name <> $1)
         SELECT n.id::text AS "id", n.code AS "code", n.company_name AS "companyName", n.owner_unit_id::text AS "ownerUnitId",
                u.name AS "ownerUnitName", n.registered_at AS "registeredAt", n.similarity AS "similarity"
         FROM near n JOIN units u ON u.id = n.owner_unit_id
         WHERE n.lapsed_at IS NULL AND n.similarity >= $2
         ORDER BY n.similarity DESC, n.id LIMIT $3`,
        [normalizedName, threshold, limit],
      );
    } finally {
      await this.db.query(`SELECT set_config('enable_seqscan', $1, true)`, [seqscan]);
    }
  }

  /**
   * Claims the company for the unit and numbers it at once (imports, the first-contact registry).
   * A company claimed meanwhile (unique registry key or credit code) inserts nothing and returns
   * null; the caller then reads the winner. Registration from chat does the two steps apart, with
   * its other work between them (RegisterLeadUseCase).
   */
  async insertClaim(l: NewLedgerLead): Promise<LedgerLead | null> {
    const claim = await this.insertUnnumbered(l);
    return claim && this.assignNumber(claim.id, l.cityCode, l.year);
  }

  /**
   * Inserts the claim without its number: the unique registry key or credit code decides who was
   * first (a concurrent claim of the same company waits for our COMMIT, then inserts nothing and
   * gets null). The number comes from `assignNumber`, which must run before COMMIT: a deferred
   * constraint trigger refuses to commit a lead without one (migration 1765300000001).
   */
  async insertUnnumbered(l: NewLedgerLead): Promise<{ id: string } | null> {
    const inserted = await this.db.query(
      `INSERT INTO leads (code, company_name, normalized_name, credit_code, industry, amount_wan, currency, amount_wan_cny,
                          amount_min_wan, amount_max_wan, amount_approximate, amount_original, tier, tier_label,
                          owner_unit_id, first_contact_unit_id, reporter_member_id, contact_name, contact_phone, content,
                          intended_area, origin_region, warnings, possible_duplicate_of, completed_at, registered_at,
                          source_platform, source_msg_id, stage, stage_dates, signed_amount_wan, capital_in_place_wan)
       VALUES (NULL,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14,$15,$16,$17,$18,$19,$20,$21,$22,
               CASE WHEN $23 THEN now() END, $24, $25, $26, $27, $28::jsonb, $29, $30)
       ON CONFLICT DO NOTHING RETURNING id::text AS id`,
      [
        l.companyName, l.normalizedName, l.creditCode, l.industry, l.amountWan, l.currency, l.amountWanCny,
        l.amountMinWan, l.amountMaxWan, l.amountApproximate, l.amountOriginal, l.tier, l.tierLabel,
        l.ownerUnitId, l.reporterMemberId, l.contactName, l.contactPhone, l.content,
        l.intendedArea, l.originRegion, l.warnings, l.possibleDuplicateOf, l.complete, l.registeredAt,
        l.sourcePlatform, l.sourceMsgId, l.stage ?? 'lead', JSON.stringify(l.stageDates ?? {}), l.signedAmountWan ?? null,
        l.capitalInPlaceWan ?? null,
      ],
    );
    return inserted[0] ?? null;
  }

  /**
   * Gives a claim the year's next number and returns the lead. Numbers are gapless (DOMAIN.md): the
   * counter row is created or incremented here, which locks it until COMMIT, so every registration
   * of the city waits for the one holding it, and each round trip after this call is paid by all of
   * them in turn (docs/performance.md). One statement: move the counter, set the code, read the lead
   * back, and write the registration's audit row when `audit` is given. A rollback takes the number
   * back with the claim.
   */
  async assignNumber(leadId: string, cityCode: string, year: number, audit?: { actor: string }): Promise<LedgerLead> {
    const numbered = async () =>
      (
        await this.db.query(
          `WITH counter AS (
             UPDATE lead_number_counters SET last_number = last_number + 1 WHERE city_code = $2 AND year = $3
             RETURNING last_number),
           ins AS (
             UPDATE leads SET code = $2 || '-' || $3::int || '-' || lpad(counter.last_number::text, greatest(6, length(counter.last_number::text)), '0')
             FROM counter WHERE leads.id = $1 RETURNING leads.*),
           audited AS (
             INSERT INTO lead_audit (lead_id, action, actor, before, after)
             SELECT id, 'registered', $4, NULL, jsonb_build_object('code', code, 'companyName', company_name) FROM ins WHERE $4::text IS NOT NULL)
           ${LEDGER_LEAD_SELECT_INSERTED}`,
          [leadId, cityCode, year, audit?.actor ?? null],
        )
      )[0] as LedgerLead | undefined;
    // A plain UPDATE, not an upsert: waiters on a locked row queue behind one another (PostgreSQL's
    // tuple lock), whereas ON CONFLICT DO UPDATE has every waiter wait on the holder's transaction
    // and all of them wake at its COMMIT to race again. The year's first lead creates the row.
    let lead = await numbered();
    if (!lead) {
      await this.db.query(`INSERT INTO lead_number_counters (city_code, year, last_number) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, [cityCode, year]);
      lead = await numbered();
    }
    if (!lead) throw new Error(`lead ${leadId} to number was not found`);
    return lead;
  }

  async getById(id: string): Promise<LedgerLead | null> {
    const rows = await this.db.query(`${LEDGER_LEAD_SELECT} WHERE l.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async getByCode(code: string, forUpdate = false): Promise<LedgerLead | null> {
    if (forUpdate) await this.db.query(`SELECT 1 FROM leads WHERE code = $1 FOR UPDATE`, [code]);
    const rows = await this.db.query(`${LEDGER_LEAD_SELECT} WHERE l.code = $1`, [code]);
    return rows[0] ?? null;
  }

  /** Applies a patch, bumps the version; returns the lead after the change. */
  async update(id: string, patch: LeadFieldPatch): Promise<LedgerLead> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const col = COLUMNS[key as keyof LeadFieldPatch];
      values.push(key === 'stageDates' ? JSON.stringify(value) : value);
      sets.push(`${col} = $${values.length}${key === 'stageDates' ? '::jsonb' : ''}`);
    }
    await this.db.query(`UPDATE leads SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`, values);
    return (await this.getById(id))!;
  }

  /** A report of a company that is already claimed: by another unit or the owner again. */
  async recordReReport(r: { leadId: string; unitId: string; memberId: string; companyName: string; platform: string; msgId: string; kind: 'other-unit' | 'same-unit' }) {
    await this.db.query(
      `INSERT INTO lead_duplicate_reports (lead_id, unit_id, member_id, company_name, source_platform, source_msg_id, kind)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [r.leadId, r.unitId, r.memberId, r.companyName, r.platform, r.msgId, r.kind],
    );
  }

  async recordStageChange(c: {
    leadId: string;
    from: string;
    to: string;
    date: Date;
    amountWan: number | null;
    capitalDeltaWan: number | null;
    note: string | null;
    byMemberId: string | null;
    byAdmin: boolean;
    platform: string | null;
    msgId: string | null;
  }): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO lead_stage_changes (lead_id, from_stage, to_stage, stage_date, amount_wan, capital_delta_wan, note, by_member_id, by_admin,
                                       source_platform, source_msg_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id::text AS id`,
      [c.leadId, c.from, c.to, c.date, c.amountWan, c.capitalDeltaWan, c.note, c.byMemberId, c.byAdmin, c.platform, c.msgId],
    );
    return row.id;
  }

  async recordTransfer(t: { leadId: string; fromUnitId: string; toUnitId: string; reason: string; byMemberId: string | null; byAdmin: boolean }) {
    await this.db.query(
      `INSERT INTO lead_transfers (lead_id, from_unit_id, to_unit_id, reason, by_member_id, by_admin) VALUES ($1,$2,$3,$4,$5,$6)`,
      [t.leadId, t.fromUnitId, t.toUnitId, t.reason, t.byMemberId, t.byAdmin],
    );
    await this.db.query(`UPDATE lead_transfer_requests SET status = 'done' WHERE lead_id = $1 AND status = 'open' AND unit_id = $2`, [
      t.leadId,
      t.toUnitId,
    ]);
  }

  async recordTransferRequest(r: { leadId: string; unitId: string; memberId: string; reason: string }) {
    await this.db.query(`INSERT INTO lead_transfer_requests (lead_id, unit_id, member_id, reason) VALUES ($1,$2,$3,$4)`, [
      r.leadId,
      r.unitId,
      r.memberId,
      r.reason,
    ]);
  }

  async audit(a: { leadId: string; action: string; actor: string; before: unknown; after: unknown }) {
    await this.db.query(`INSERT INTO lead_audit (lead_id, action, actor, before, after) VALUES ($1,$2,$3,$4::jsonb,$5::jsonb)`, [
      a.leadId,
      a.action,
      a.actor,
      a.before === null || a.before === undefined ? null : JSON.stringify(a.before),
      a.after === null || a.after === undefined ? null : JSON.stringify(a.after),
    ]);
  }

  /** The latest stage change a member made in the last `withinMinutes` (evidence that follows it attaches to it). */
  async latestStageChangeBy(memberId: string, withinMinutes: number): Promise<{ id: string; leadId: string; code: string } | null> {
    const rows = await this.db.query(
      `SELECT c.id::text AS id, c.lead_id::text AS "leadId", l.code FROM lead_stage_changes c JOIN leads l ON l.id = c.lead_id
       WHERE c.by_member_id = $1 AND c.created_at > now() - make_interval(mins => $2::int) ORDER BY c.id DESC LIMIT 1`,
      [memberId, withinMinutes],
    );
    return rows[0] ?? null;
  }

  async addEvidence(e: {
    leadId: string;
    stageChangeId: string | null;
    platform: string;
    msgType: string;
    mediaId: string;
    fileName: string | null;
    memberId: string;
    msgId: string;
    botId?: string | null;
  }) {
    await this.db.query(
      `INSERT INTO lead_evidence (lead_id, stage_change_id, platform, msg_type, media_id, file_name, member_id, source_msg_id, bot_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
      [e.leadId, e.stageChangeId, e.platform, e.msgType, e.mediaId, e.fileName, e.memberId, e.msgId, e.botId ?? null],
    );
  }

  /** A lead of another unit with the same contact phone (a hint for the office, never shown to the reporter). */
  async findOtherUnitLeadByPhone(phone: string, unitId: string, excludeLeadId: string): Promise<LedgerLead | null> {
    const rows = await this.db.query(
      `${LEDGER_LEAD_SELECT} WHERE l.contact_phone = $1 AND l.owner_unit_id <> $2 AND l.id <> $3 AND l.lapsed_at IS NULL ORDER BY l.id LIMIT 1`,
      [phone, unitId, excludeLeadId],
    );
    return rows[0] ?? null;
  }

  async listForUnit(unitId: string, limit: number): Promise<{ items: LedgerLead[]; total: number }> {
    const items = await this.db.query(
      `${LEDGER_LEAD_SELECT} WHERE l.owner_unit_id = $1 AND l.lapsed_at IS NULL ORDER BY l.updated_at DESC, l.id DESC LIMIT $2`,
      [unitId, limit],
    );
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM leads WHERE owner_unit_id = $1 AND lapsed_at IS NULL`, [unitId]);
    return { items, total };
  }

  /** Admin list: search and filters; pagination with a stable order. */
  async list(f: LeadFilter): Promise<{ items: LedgerLead[]; total: number }> {
    const where = [
      `($1::text IS NULL OR l.company_name ILIKE '%' || $1 || '%' OR l.normalized_name % $1 OR l.code = upper($1))`,
      `($2::bigint IS NULL OR l.owner_unit_id = $2::bigint)`,
      `($3::text IS NULL OR l.stage = $3)`,
      `($4::text IS NULL OR l.tier = $4)`,
      `($5::timestamptz IS NULL OR l.registered_at >= $5)`,
      `($6::timestamptz IS NULL OR l.registered_at < $6)`,
      `($7::boolean IS NULL OR ($7 = (l.possible_duplicate_of IS NOT NULL OR EXISTS (SELECT 1 FROM lead_duplicate_reports d WHERE d.lead_id = l.id))))`,
    ].join(' AND ');
    const params = [f.q ?? null, f.unitId ?? null, f.stage ?? null, f.tier ?? null, f.from ?? null, f.to ?? null, f.hasDuplicates ?? null];
    const items = await this.db.query(`${LEDGER_LEAD_SELECT} WHERE ${where} ORDER BY l.id DESC LIMIT $8 OFFSET $9`, [...params, f.limit, f.offset]);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM leads l WHERE ${where}`, params);
    return { items, total };
  }

  async history(leadId: string) {
    const [stages, transfers, reReports, evidence, audit] = await Promise.all([
      this.db.query(
        `SELECT c.id::text AS id, c.from_stage AS "from", c.to_stage AS "to", c.stage_date AS "date", c.amount_wan::float8 AS "amountWan",
                c.capital_delta_wan::float8 AS "capitalDeltaWan", c.note, m.name AS "byMemberName", c.by_admin AS "byAdmin", c.created_at AS "createdAt"
         FROM lead_stage_changes c LEFT JOIN members m ON m.id = c.by_member_id WHERE c.lead_id = $1 ORDER BY c.id`,
        [leadId],
      ),
      this.db.query(
        `SELECT t.id::text AS id, fu.name AS "fromUnitName", t.from_unit_id::text AS "fromUnitId", tu.name AS "toUnitName",
                t.to_unit_id::text AS "toUnitId", t.reason, t.by_admin AS "byAdmin", t.created_at AS "at"
         FROM lead_transfers t JOIN units fu ON fu.id = t.from_unit_id JOIN units tu ON tu.id = t.to_unit_id WHERE t.lead_id = $1 ORDER BY t.id`,
        [leadId],
      ),
      this.db.query(
        `SELECT d.id::text AS id, u.name AS "unitName", m.name AS "memberName", d.company_name AS "companyName", d.kind, d.reported_at AS "reportedAt"
         FROM lead_duplicate_reports d JOIN units u ON u.id = d.unit_id JOIN members m ON m.id = d.member_id WHERE d.lead_id = $1 ORDER BY d.id`,
        [leadId],
      ),
      this.db.query(
        // the fetch state is notification's (ADR 0026), read through its view; none yet reads as pending
        `SELECT e.id::text AS id, e.stage_change_id::text AS "stageChangeId", e.platform, e.msg_type AS "msgType", e.media_id AS "mediaId",
                COALESCE(e.file_name, f.file_name) AS "fileName", e.created_at AS "createdAt", COALESCE(f.status, 'pending') AS "fetchStatus",
                f.content_type AS "contentType", f.size_bytes::float8 AS "sizeBytes", f.sha256
         FROM lead_evidence e LEFT JOIN evidence_fetch_states_v f ON f.evidence_id = e.id WHERE e.lead_id = $1 ORDER BY e.id`,
        [leadId],
      ),
      this.db.query(`SELECT id::text AS id, action, actor, before, after, at FROM lead_audit WHERE lead_id = $1 ORDER BY id`, [leadId]),
    ]);
    return { stages, transfers, reReports, evidence, audit };
  }
}
