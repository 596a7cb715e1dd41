import 'reflect-metadata';
import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AdminArea } from '@zs/domain';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { AccountRecord, AdminRequest } from './principal';
import type { ApiTokenStore, SessionStore } from './session.store';
import type { AuditLogStore } from './audit-log.store';

const SUPER = 'super-token-0123456789abcdef';
const heshan: AccountRecord = { id: '7', username: 'heshan', displayName: '赫山区招商办', role: 'unit-admin', unit: { id: '1', name: '赫山区' }, active: true };
const leader: AccountRecord = { id: '8', username: 'leader', displayName: '分管副市长', role: 'leader', unit: null, active: true };

/** The guard with in-memory sessions and tokens (the SQL behind them is covered by the e2e tests). */
function guardFor(area: AdminArea | undefined) {
  const sessions = { find: async (id: string) => (id === 'sess-heshan' ? { account: heshan, csrfToken: 'csrf-1', digest: 'd1' } : null) } as unknown as SessionStore;
  const tokens = { find: async (t: string) => (t === 'zsp_leader' ? leader : null) } as unknown as ApiTokenStore;
  const audited: unknown[] = [];
  const audit = { write: async (e: unknown) => void audited.push(e) } as unknown as AuditLogStore;
  const reflector = { getAllAndOverride: () => area } as unknown as Reflector;
  return { guard: new AdminAuthGuard(SUPER, sessions, tokens, reflector, audit), audited };
}

function ctx(method: string, headers: Record<string, string>) {
  const req = { method, headers, params: {}, path: '/api/x' } as unknown as AdminRequest;
  const c = { switchToHttp: () => ({ getRequest: () => req }), getHandler: () => () => undefined, getClass: () => class {} } as unknown as ExecutionContext;
  return { c, req };
}

describe('AdminAuthGuard', () => {
  it('takes ADMIN_TOKEN as the super-administrator', async () => {
    const { guard } = guardFor('accounts');
    const { c, req } = ctx('POST', { authorization: `Bearer ${SUPER}` });
    await expect(guard.canActivate(c)).resolves.toBe(true);
    expect(req.adminPrincipal).toMatchObject({ role: 'super', accountId: null, via: 'admin-token' });
  });

  it('refuses malformed, unknown and missing credentials with 401', async () => {
    const { guard } = guardFor('leads');
    const cases: Record<string, string>[] = [{ authorization: `bearer ${SUPER}` }, { authorization: 'Bearer zsp_unknown' }, { authorization: 'Bearer nope' }, {}, { cookie: 'zs_session=expired' }];
    for (const h of cases) {
      await expect(guard.canActivate(ctx('GET', h).c)).rejects.toBeInstanceOf(UnauthorizedException);
    }
  });

  it('needs the session CSRF token for cookie writes, not for cookie reads', async () => {
    const { guard } = guardFor('leads');
    const cookie = 'zs_session=sess-heshan';
    await expect(guard.canActivate(ctx('GET', { cookie }).c)).resolves.toBe(true);
    await expect(guard.canActivate(ctx('POST', { cookie }).c)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(guard.canActivate(ctx('PATCH', { cookie, 'x-csrf-token': 'csrf-2' }).c)).rejects.toBeInstanceOf(ForbiddenException);
    const ok = ctx('POST', { cookie, 'x-csrf-token': 'csrf-1' });
    await expect(guard.canActivate(ok.c)).resolves.toBe(true);
    expect(ok.req.adminDecision).toBe('own-unit');
    expect(ok.req.adminPrincipal).toMatchObject({ username: 'heshan', via: 'session', unit: { name: '赫山区' } });
  });

  it('asks the policy with the route area: a leader reads but every write is refused and audited', async () => {
    const { guard, audited } = guardFor('schedules');
    await expect(guard.canActivate(ctx('GET', { authorization: 'Bearer zsp_leader' }).c)).resolves.toBe(true);
    await expect(guard.canActivate(ctx('DELETE', { authorization: 'Bearer zsp_leader' }).c)).rejects.toBeInstanceOf(ForbiddenException);
    expect(audited).toEqual([expect.objectContaining({ actor: '分管副市长(leader)', status: 403, action: 'DELETE /api/x' })]);
  });

  it('fails closed on a route without an area', async () => {
    const { guard } = guardFor(undefined);
    await expect(guard.canActivate(ctx('GET', { authorization: `Bearer ${SUPER}` }).c)).rejects.toBeInstanceOf(ForbiddenException);
  });
});
