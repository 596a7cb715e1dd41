import type { DataSource } from 'typeorm';
import { companyRegistryKey } from '@zs/domain';

export interface RenormalizeReport {
  scanned: number;
  /** Rows whose registry key changed (updated when applied). */
  changed: number;
  /**
   * Live leads that now fold to the key another live lead already holds: the same company
   * registered twice under the old normaliser. Left unchanged for the coordinating office
   * (transfer or terminate one); `keptBy` registered first and keeps first contact.
   */
  collisions: Array<{ leadId: string; code: string; companyName: string; newKey: string; keptBy: string }>;
}

/**
 * Recomputes `leads.normalized_name` with the current normaliser (companyRegistryKey in
 * libs/domain), so leads registered before a normaliser change are found by first-contact
 * lookups again. Idempotent; batches by id; a dry run (apply=false) changes nothing.
 * Live leads are processed oldest first, so when two now fold together the older one keeps
 * the key and the newer one is reported as a collision instead of breaking the unique index.
 */
export async function renormalizeCompanyKeys(ds: DataSource, opts: { apply: boolean; batchSize?: number; keyOf?: (name: string) => string }): Promise<RenormalizeReport> {
  const keyOf = opts.keyOf ?? companyRegistryKey;
  const batch = opts.batchSize ?? 1000;
  const report: RenormalizeReport = { scanned: 0, changed: 0, collisions: [] };
  // Keys claimed during a dry run, as the real run would claim them.
  const claimedInDryRun = new Map<string, string>();
  let after = { at: new Date(0).toISOString(), id: '0' };
  for (;;) {
    const rows: Array<{ id: string; code: string; companyName: string; key: string; live: boolean; at: string }> = await ds.query(
      `SELECT id::text AS id, code, company_name AS "companyName", normalized_name AS key, lapsed_at IS NULL AS live,
              to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
       FROM leads WHERE (registered_at, id) > ($1::timestamptz, $2::bigint) ORDER BY registered_at, id LIMIT $3`,
      [after.at, after.id, batch],
    );
    if (rows.length === 0) break;
    after = { at: rows[rows.length - 1].at, id: rows[rows.length - 1].id };
    for (const r of rows) {
      report.scanned++;
      const key = keyOf(r.companyName);
      if (!key || key === r.key) continue;
      if (r.live) {
        const holder: Array<{ code: string }> = await ds.query(`SELECT code FROM leads WHERE normalized_name = $1 AND lapsed_at IS NULL AND id <> $2 LIMIT 1`, [key, r.id]);
        const keptBy = holder[0]?.code ?? (opts.apply ? undefined : claimedInDryRun.get(key));
        if (keptBy) {
          report.collisions.push({ leadId: r.id, code: r.code, companyName: r.companyName, newKey: key, keptBy });
          continue;
        }
        if (!opts.apply) claimedInDryRun.set(key, r.code);
      }
      report.changed++;
      if (opts.apply) {
        await ds.query(`UPDATE leads SET normalized_name = $2, updated_at = now() WHERE id = $1`, [r.id, key]);
      }
    }
  }
  return report;
}
