import { DataSource } from 'typeorm';
import { hashAdminPassword } from './admin-passwords';

export interface DemoAdminAccount {
  username: string;
  displayName: string;
  role: 'city-admin' | 'unit-admin' | 'leader';
  /** Unit name, for a unit administrator. */
  unitName?: string;
  password: string;
}

/**
 * Creates the demo city's console accounts that do not exist yet (by username); an existing
 * account is left as it is, its password included. Returns the usernames created.
 */
export async function seedAdminAccounts(ds: DataSource, accounts: DemoAdminAccount[]): Promise<string[]> {
  const created: string[] = [];
  for (const a of accounts) {
    let unitId: string | null = null;
    if (a.unitName) {
      const rows: { id: string }[] = await ds.query(`SELECT id::text AS id FROM units WHERE name = $1`, [a.unitName]);
      if (!rows.length) throw new Error(`demo account ${a.username}: no unit named ${a.unitName}`);
      unitId = rows[0].id;
    }
    const r: unknown[] = await ds.query(
      `INSERT INTO admin_accounts (username, display_name, password_hash, role, unit_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [a.username, a.displayName, await hashAdminPassword(a.password), a.role, unitId],
    );
    if (r.length) created.push(a.username);
  }
  return created;
}
