import crypto from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeCompanyName, registryKeyOfNormalized } from '@zs/domain';
import { createDatabaseFromTemplate, createDataSource, dropDatabase, LedgerRepository, seedCity } from '@zs/persistence';
import { testDatabaseUrl } from '../support/harness';

/**
 * The near-match check (pg_trgm) runs for every report. On a young ledger, before autovacuum has
 * analysed it (a city's first import, the first weeks), the planner once chose to read every live
 * lead and compute its trigrams: ~12 ms of server CPU per report at 3,500 leads instead of ~0.1 ms.
 * This pins the plan, not a time: within the check's transaction, PostgreSQL's own per-transaction
 * counters must show the trigram index used and no lead read any other way.
 */
describe('near-match check on a ledger PostgreSQL has no statistics for yet', () => {
  const url = testDatabaseUrl(`nearplan_${crypto.randomBytes(4).toString('hex')}`);
  let ds: DataSource;
  const keyOf = (name: string) => registryKeyOfNormalized(normalizeCompanyName(name));
  // Distinct six-character names that share the 科技 ending, like a real ledger.
  const nameOf = (i: number) => {
    const h = crypto.createHash('sha256').update(`near-plan:${i}`).digest();
    let s = '';
    for (let k = 0; k < 6; k++) s += String.fromCharCode(0x4e00 + (h.readUInt16BE(k * 2) % 20902));
    return `${s}科技有限公司`;
  };

  beforeAll(async () => {
    await createDatabaseFromTemplate(url);
    ds = createDataSource(url, 'near-plan-test', 2);
    await ds.initialize();
    await seedCity(ds, 'yiyang', true);
    await ds.query(`ALTER TABLE leads SET (autovacuum_enabled = false)`);
    const [{ unitId, memberId }] = await ds.query(`SELECT unit_id AS "unitId", id AS "memberId" FROM members ORDER BY id LIMIT 1`);
    const names = Array.from({ length: 3000 }, (_, i) => nameOf(i));
    await ds.query(
      `INSERT INTO leads (code, company_name, normalized_name, owner_unit_id, first_contact_unit_id, reporter_member_id, registered_at,
                          source_platform, source_msg_id, stage, stage_dates)
       SELECT 'YY-2026-' || lpad(i::text, 6, '0'), n, k, $3, $3, $4, now(), 'wecom-app', 'plan-' || i, 'lead', '{}'
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(n, k, i)`,
      [names, names.map(keyOf), unitId, memberId],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  // PostgreSQL's per-transaction counters (pending until its stats are flushed, so read as a difference).
  const readsOfLeads = async (em: EntityManager) =>
    (
      await em.query(
        `SELECT t.seq_scan::int AS "seqScans",
                pg_stat_get_xact_numscans('leads_normalized_name_trgm'::regclass)::int AS "trigramScans",
                (SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(x.indexrelid)), 0) FROM pg_index x
                 WHERE x.indrelid = 'leads'::regclass AND x.indexrelid <> 'leads_normalized_name_trgm'::regclass)::int AS "otherIndexReads"
         FROM pg_stat_xact_user_tables t WHERE t.relname = 'leads'`,
      )
    )[0] as Record<string, number>;

  async function checkInOneTransaction(name: string) {
    return ds.transaction(async (em) => {
      const before = await readsOfLeads(em);
      const similar = await new LedgerRepository(em).findSimilar(keyOf(name), 0.45, 3);
      const after = await readsOfLeads(em);
      const reads = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
      const [{ seqscan }] = await em.query(`SELECT current_setting('enable_seqscan') AS seqscan`);
      return { similar, reads, seqscanAfter: seqscan };
    });
  }

  it('finds a near match through the trigram index alone, and leaves the planner as it was for the rest of the transaction', async () => {
    const [{ analysed }] = await ds.query(`SELECT (last_analyze IS NULL AND last_autoanalyze IS NULL) AS analysed FROM pg_stat_user_tables WHERE relname = 'leads'`);
    expect(analysed).toBe(true); // i.e. never analysed: the case being pinned
    // One character changed in a registered name: a near match.
    const registered = nameOf(17);
    const typo = `${registered.slice(0, 5)}乙${registered.slice(6)}`;
    const { similar, reads, seqscanAfter } = await checkInOneTransaction(typo);
    expect(similar.map((s) => s.companyName)).toEqual([registered]);
    expect(reads).toEqual({ seqScans: 0, trigramScans: 1, otherIndexReads: 0 });
    expect(seqscanAfter).toBe('on');
  });

  it('answers "no near match" for an unrelated name the same way', async () => {
    const { similar, reads } = await checkInOneTransaction('星河智能装备制造有限公司');
    expect(similar).toEqual([]);
    expect(reads).toEqual({ seqScans: 0, trigramScans: 1, otherIndexReads: 0 });
  });
});
