import { createContext, useContext } from 'react';
import { adminAccess, type AdminAction, type AdminArea } from '@zs/admin-access';
import { authHeaders, storeToken, storedToken } from './api/client';

export interface ConsoleAccount {
  id: string;
  username: string;
  displayName: string;
  role: 'city-admin' | 'unit-admin' | 'leader' | 'super';
  unit?: { id: string; name: string } | string | null;
}

export const ROLE_WORDS: Record<string, string> = {
  super: '超级管理员',
  'city-admin': '市级管理员',
  'unit-admin': '单位管理员',
  leader: '领导（只读）',
};

/** The bootstrap super-administrator (ADMIN_TOKEN) or a personal token whose account the API does not describe. */
const TOKEN_ACCOUNT: ConsoleAccount = { id: 'token', username: 'token', displayName: '令牌登录', role: 'super' };

export interface AuthState {
  account: ConsoleAccount | null;
  signOut(): Promise<void>;
}
export const AuthContext = createContext<AuthState>({ account: null, signOut: async () => undefined });
export const useAuth = () => useContext(AuthContext);

/**
 * What the signed-in person may do in an area: the same pure policy the API enforces (libs/domain
 * admin-access), used only to hide what would be refused; the API remains the authority.
 */
export function can(account: ConsoleAccount | null, area: AdminArea, action: AdminAction): boolean {
  if (!account) return false;
  return adminAccess(account.role, area, action) !== 'deny';
}
export function useCan(area: AdminArea, action: AdminAction = 'write'): boolean {
  return can(useAuth().account, area, action);
}

/** Who is signed in: the session's account (GET /api/auth/me), else the token holder, else nobody. */
export async function whoAmI(): Promise<ConsoleAccount | null> {
  const me = await fetch('/api/auth/me', { headers: authHeaders(), credentials: 'same-origin' }).catch(() => null);
  if (me?.ok) {
    const body = (await me.json()) as { account?: ConsoleAccount } & ConsoleAccount;
    return body.account ?? body;
  }
  if (!storedToken()) return null;
  // Accounts not deployed (404) or a token the session endpoint does not know: check the token on a read.
  const probe = await fetch('/api/units', { headers: authHeaders(), credentials: 'same-origin' }).catch(() => null);
  if (probe?.ok) return TOKEN_ACCOUNT;
  storeToken(null);
  return null;
}

export type SignInResult = { ok: true; account: ConsoleAccount } | { ok: false; message: string };

export async function signInWithPassword(username: string, password: string): Promise<SignInResult> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ username, password }),
  }).catch(() => null);
  if (!res) return { ok: false, message: '无法连接服务器' };
  if (res.status === 404) return { ok: false, message: '本系统尚未启用账号登录，请使用令牌登录' };
  if (res.status === 429) return { ok: false, message: '尝试次数过多，账号已暂时锁定，请稍后再试' };
  if (!res.ok) return { ok: false, message: '用户名或密码错误' };
  const body = (await res.json()) as { account: ConsoleAccount };
  storeToken(null);
  return { ok: true, account: body.account };
}

export async function signInWithToken(token: string): Promise<SignInResult> {
  storeToken(token.trim());
  const account = await whoAmI();
  if (!account) return { ok: false, message: '令牌无效' };
  return { ok: true, account };
}

export async function signOutEverywhere(): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST', headers: authHeaders('POST'), credentials: 'same-origin' }).catch(() => undefined);
  storeToken(null);
}
