import type { Request } from 'express';
import type { AdminAccessDecision, AdminPrincipalRole, AdminRole } from '@zs/domain';

/** Who is calling the admin API, as the guard established it. */
export interface AdminPrincipal {
  /** null for the bootstrap super-administrator (ADMIN_TOKEN). */
  accountId: string | null;
  username: string;
  displayName: string;
  role: AdminPrincipalRole;
  unit: { id: string; name: string } | null;
  /** How the request proved who it is. */
  via: 'admin-token' | 'api-token' | 'session';
  /** The session id digest (cookie sign-in), for sign-out. */
  sessionDigest?: string;
  /** The session's CSRF token (cookie sign-in). */
  csrfToken?: string;
}

export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  role: AdminRole;
  unit: { id: string; name: string } | null;
  active: boolean;
  /** WeCom userid bound for the web sign-in, or null. */
  wecomUserId?: string | null;
  /** DingTalk unionId bound for the web sign-in (钉钉登录), or null. */
  dingtalkUnionId?: string | null;
}

export const SUPER_PRINCIPAL: AdminPrincipal = {
  accountId: null,
  username: 'admin-api',
  displayName: '超级管理员',
  role: 'super',
  unit: null,
  via: 'admin-token',
};

export interface AdminRequest extends Request {
  adminPrincipal?: AdminPrincipal;
  adminDecision?: AdminAccessDecision;
  /** What an audited handler records as the state before and after its change (else the request body). */
  adminAudit?: { target?: string; before?: unknown; after?: unknown };
}

export function principalOf(req: AdminRequest): AdminPrincipal {
  if (!req.adminPrincipal) throw new Error('admin route without AdminAuthGuard');
  return req.adminPrincipal;
}

/**
 * The name written into the ledger's and scheduler's audit trails. The super-administrator keeps
 * the historic `admin-api`; an account is recorded by its username.
 */
export function actorName(p: AdminPrincipal): string {
  return p.accountId === null ? 'admin-api' : `${p.displayName}(${p.username})`;
}

/** The unit the viewer is confined to, or null when they see every unit. */
export function confinedUnit(req: AdminRequest): { id: string; name: string } | null {
  const p = principalOf(req);
  return req.adminDecision === 'own-unit' ? p.unit : null;
}
