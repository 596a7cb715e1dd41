import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { accountColumns, accountRecord, AccountRow } from './admin-account.store';
import { AccountRecord } from './principal';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const ACCOUNT_COLUMNS = accountColumns(false);

/**
 * Sign-in sessions (admin_sessions). The cookie carries a random id; only its SHA-256 is stored,
 * so a copy of the table signs nobody in. Each session has its own CSRF token.
 */
@Injectable()
export class SessionStore {
  constructor(private readonly ds: DataSource) {}

  async create(accountId: string, ttlMs: number): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.ds.query(`INSERT INTO admin_sessions (id_sha256, account_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`, [sha256(sessionId), accountId, csrfToken, expiresAt]);
    // Expired sessions of this person are removed as they sign in again.
    await this.ds.query(`DELETE FROM admin_sessions WHERE account_id = $1 AND expires_at < now()`, [accountId]);
    return { sessionId, csrfToken, expiresAt };
  }

  /** The active account of a live session, with the session's CSRF token. */
  async find(sessionId: string): Promise<{ account: AccountRecord; csrfToken: string; digest: string } | null> {
    const digest = sha256(sessionId);
    const rows: (AccountRow & { csrf_token: string })[] = await this.ds.query(
      `SELECT ${ACCOUNT_COLUMNS}, s.csrf_token FROM admin_sessions s JOIN admin_accounts a ON a.id = s.account_id LEFT JOIN directory_units_v u ON u.id = a.unit_id
       WHERE s.id_sha256 = $1 AND s.expires_at > now() AND a.active`,
      [digest],
    );
    return rows.length ? { account: accountRecord(rows[0]), csrfToken: rows[0].csrf_token, digest } : null;
  }

  async remove(digest: string): Promise<void> {
    await this.ds.query(`DELETE FROM admin_sessions WHERE id_sha256 = $1`, [digest]);
  }
}

export interface ApiTokenView {
  id: string;
  name: string;
  /** Last four characters, to tell tokens apart. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Personal API tokens (admin_api_tokens): `zsp_` + 32 random bytes; only the SHA-256 is stored. */
@Injectable()
export class ApiTokenStore {
  static readonly PREFIX = 'zsp_';

  constructor(private readonly ds: DataSource) {}

  async create(accountId: string, name: string): Promise<{ id: string; token: string }> {
    const token = `${ApiTokenStore.PREFIX}${randomBytes(32).toString('base64url')}`;
    const [row] = await this.ds.query(
      `INSERT INTO admin_api_tokens (account_id, name, token_sha256, hint) VALUES ($1, $2, $3, $4) RETURNING id::text AS id`,
      [accountId, name, sha256(token), token.slice(-4)],
    );
    return { id: row.id, token };
  }

  async find(token: string): Promise<AccountRecord | null> {
    const rows: (AccountRow & { token_id: string })[] = await this.ds.query(
      `SELECT ${ACCOUNT_COLUMNS}, t.id::text AS token_id FROM admin_api_tokens t JOIN admin_accounts a ON a.id = t.account_id LEFT JOIN directory_units_v u ON u.id = a.unit_id
       WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND a.active`,
      [sha256(token)],
    );
    if (!rows.length) return null;
    await this.ds.query(`UPDATE admin_api_tokens SET last_used_at = now() WHERE id = $1`, [rows[0].token_id]);
    return accountRecord(rows[0]);
  }

  async list(accountId: string): Promise<ApiTokenView[]> {
    const rows: { id: string; name: string; hint: string; created_at: Date; last_used_at: Date | null }[] = await this.ds.query(
      `SELECT id::text AS id, name, hint, created_at, last_used_at FROM admin_api_tokens WHERE account_id = $1 AND revoked_at IS NULL ORDER BY id`,
      [accountId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, hint: r.hint, createdAt: r.created_at.toISOString(), lastUsedAt: r.last_used_at?.toISOString() ?? null }));
  }

  /** Revokes one of the account's own tokens; false when it has no such token. */
  async revoke(accountId: string, id: string): Promise<boolean> {
    const r = await this.ds.query(`UPDATE admin_api_tokens SET revoked_at = now() WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL RETURNING id`, [id, accountId]);
    // TypeORM's postgres driver answers an UPDATE ... RETURNING with [rows, affected].
    const rows = Array.isArray(r[0]) ? r[0] : r;
    return rows.length > 0;
  }
}
