import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminRole } from '@zs/domain';
import { AccountRecord } from './principal';

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: AdminRole;
  unit_id: string | null;
  unit_name: string | null;
  active: boolean;
  password_hash: string;
  wecom_user_id: string | null;
  dingtalk_union_id: string | null;
}

/** An account's columns (`a`, with its unit's name from `u`); `withHash: false` where the hash is never needed. */
export function accountColumns(withHash: boolean): string {
  return `a.id::text AS id, a.username, a.display_name, a.role, a.unit_id::text AS unit_id, u.name AS unit_name, a.active, ${withHash ? 'a.password_hash' : "'' AS password_hash"}, a.wecom_user_id, a.dingtalk_union_id`;
}

const SELECT_ACCOUNT = `
  SELECT ${accountColumns(true)}
  FROM admin_accounts a LEFT JOIN directory_units_v u ON u.id = a.unit_id`;

export function accountRecord(r: AccountRow): AccountRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    active: r.active,
    wecomUserId: r.wecom_user_id ?? null,
    dingtalkUnionId: r.dingtalk_union_id ?? null,
  };
}

export interface AccountChange {
  displayName?: string;
  role?: AdminRole;
  unitId?: string | null;
  active?: boolean;
  passwordHash?: string;
  wecomUserId?: string | null;
  dingtalkUnionId?: string | null;
}

/** The platform identities an account can be bound to for signing in (column of each). */
export type BoundIdentityKind = 'wecom' | 'dingtalk';
const IDENTITY_COLUMN: Record<BoundIdentityKind, string> = { wecom: 'wecom_user_id', dingtalk: 'dingtalk_union_id' };

/** The conflict message when a platform identity is already bound to another account (a unique violation). */
function boundElsewhere(constraint: string | undefined, c: { wecomUserId?: string | null; dingtalkUnionId?: string | null }): string | null {
  if (constraint?.includes('dingtalk')) return `钉钉账号 ${c.dingtalkUnionId} 已绑定其他账号`;
  if (constraint?.includes('wecom')) return `企业微信账号 ${c.wecomUserId} 已绑定其他账号`;
  return null;
}

/** Admin accounts (table admin_accounts, owned by the gateway; units are joined read-only for their names). */
@Injectable()
export class AdminAccountStore {
  constructor(private readonly ds: DataSource) {}

  async create(a: { username: string; displayName: string; passwordHash: string; role: AdminRole; unitId: string | null; wecomUserId?: string | null; dingtalkUnionId?: string | null }): Promise<AccountRecord> {
    try {
      const [row] = await this.ds.query(
        `INSERT INTO admin_accounts (username, display_name, password_hash, role, unit_id, wecom_user_id, dingtalk_union_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [a.username, a.displayName, a.passwordHash, a.role, a.unitId, a.wecomUserId ?? null, a.dingtalkUnionId ?? null],
      );
      return (await this.byId(row.id))!;
    } catch (e) {
      if ((e as { code?: string; constraint?: string }).code === '23505') {
        throw new ConflictException(boundElsewhere((e as { constraint?: string }).constraint, a) ?? `用户名 ${a.username} 已被使用`);
      }
      throw e;
    }
  }

  async byId(id: string): Promise<AccountRecord | null> {
    const rows: AccountRow[] = await this.ds.query(`${SELECT_ACCOUNT} WHERE a.id = $1`, [id]);
    return rows.length ? accountRecord(rows[0]) : null;
  }

  /** The active account bound to a platform identity (web sign-in): a WeCom userid or a DingTalk unionId. */
  async byBoundIdentity(kind: BoundIdentityKind, id: string): Promise<AccountRecord | null> {
    const rows: AccountRow[] = await this.ds.query(`${SELECT_ACCOUNT} WHERE a.${IDENTITY_COLUMN[kind]} = $1 AND a.active`, [id]);
    return rows.length ? accountRecord(rows[0]) : null;
  }

  /** The account with its password hash, for sign-in. */
  async withHashByUsername(username: string): Promise<{ account: AccountRecord; passwordHash: string } | null> {
    const rows: AccountRow[] = await this.ds.query(`${SELECT_ACCOUNT} WHERE a.username = $1`, [username]);
    return rows.length ? { account: accountRecord(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  async list(limit: number, offset: number): Promise<{ items: AccountRecord[]; total: number; limit: number; offset: number }> {
    const rows: AccountRow[] = await this.ds.query(`${SELECT_ACCOUNT} ORDER BY a.id LIMIT $1 OFFSET $2`, [limit, offset]);
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM admin_accounts`);
    return { items: rows.map(accountRecord), total: n, limit, offset };
  }

  async update(id: string, c: AccountChange): Promise<AccountRecord | null> {
    const sets: string[] = [];
    const args: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      args.push(value);
      sets.push(`${column} = $${args.length}`);
    };
    if (c.displayName !== undefined) set('display_name', c.displayName);
    if (c.role !== undefined) set('role', c.role);
    if (c.unitId !== undefined) set('unit_id', c.unitId);
    if (c.active !== undefined) set('active', c.active);
    if (c.passwordHash !== undefined) set('password_hash', c.passwordHash);
    if (c.wecomUserId !== undefined) set('wecom_user_id', c.wecomUserId);
    if (c.dingtalkUnionId !== undefined) set('dingtalk_union_id', c.dingtalkUnionId);
    if (sets.length) {
      try {
        await this.ds.query(`UPDATE admin_accounts SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, args);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new ConflictException(boundElsewhere((e as { constraint?: string }).constraint, c) ?? '账号已绑定其他身份');
        throw e;
      }
    }
    // A password reset or deactivation signs the person out everywhere.
    if (c.passwordHash !== undefined || c.active === false) await this.ds.query(`DELETE FROM admin_sessions WHERE account_id = $1`, [id]);
    return this.byId(id);
  }
}
