import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'crypto';
import { parse as parseCookies } from 'cookie';
import { AdminArea, adminAccess, adminActionOf } from '@zs/domain';
import { ADMIN_TOKEN } from '../tokens';
import { ADMIN_AREA_KEY } from '../auth/admin-area';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/auth-settings';
import { actorName, AdminPrincipal, AdminRequest, SUPER_PRINCIPAL } from '../auth/principal';
import { AuditLogStore } from '../auth/audit-log.store';
import { auditAction, auditTarget } from '../auth/audit.interceptor';
import { ApiTokenStore, SessionStore } from '../auth/session.store';
import { AccountRecord } from '../auth/principal';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The bearer token of an Authorization header: undefined when there is none, null when it is not
 * exactly `Bearer <token>` (one space, the scheme as written, nothing around it).
 */
export function bearerToken(header: unknown): string | null | undefined {
  if (header === undefined) return undefined;
  const m = typeof header === 'string' ? /^Bearer ([\x21-\x7e]+)$/.exec(header) : null;
  return m ? m[1] : null;
}

function accountPrincipal(a: AccountRecord, via: AdminPrincipal['via'], session?: { digest: string; csrfToken: string }): AdminPrincipal {
  return { accountId: a.id, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit, via, sessionDigest: session?.digest, csrfToken: session?.csrfToken };
}

/**
 * Who is calling and whether they may (ADR 0021). Three ways in:
 * - `Authorization: Bearer <ADMIN_TOKEN>`: the bootstrap super-administrator;
 * - `Authorization: Bearer zsp_...`: a person's API token, with that person's rights;
 * - the `zs_session` cookie of a console sign-in; then every write also needs `X-CSRF-Token`
 *   equal to the session's CSRF token (403 otherwise).
 * Then the access policy decides on (role, the route's area, read or write): deny is 403; for
 * `own-unit` the controller confines what it returns and changes to the person's unit.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    @Inject(ADMIN_TOKEN) token: string,
    private readonly sessions: SessionStore,
    private readonly tokens: ApiTokenStore,
    private readonly reflector: Reflector,
    private readonly audit: AuditLogStore,
  ) {
    this.expected = digest(token);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AdminRequest>();
    const principal = await this.authenticate(req);
    const area = this.reflector.getAllAndOverride<AdminArea | undefined>(ADMIN_AREA_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (!area) throw new ForbiddenException('route without an access area');
    const decision = adminAccess(principal.role, area, adminActionOf(req.method));
    req.adminPrincipal = principal;
    if (decision === 'deny' || (decision === 'own-unit' && !principal.unit)) {
      // A refused change is an administrative event too (who tried what).
      if (adminActionOf(req.method) === 'write') {
        await this.audit
          .write({ actorId: principal.accountId, actor: actorName(principal), action: auditAction(req), target: auditTarget(req), status: 403, after: null })
          .catch(() => undefined);
      }
      throw new ForbiddenException('无权执行此操作');
    }
    req.adminDecision = decision;
    return true;
  }

  /** The principal of the request, or 401/403. */
  async authenticate(req: AdminRequest): Promise<AdminPrincipal> {
    const bearer = bearerToken(req.headers['authorization']);
    if (bearer === null) throw new UnauthorizedException('malformed Authorization header (expected `Bearer <token>`)');
    if (bearer !== undefined) {
      if (timingSafeEqual(digest(bearer), this.expected)) return SUPER_PRINCIPAL;
      if (bearer.startsWith(ApiTokenStore.PREFIX)) {
        const account = await this.tokens.find(bearer);
        if (account) return accountPrincipal(account, 'api-token');
      }
      throw new UnauthorizedException('invalid token');
    }
    const sessionId = parseCookies(String(req.headers['cookie'] ?? ''))[SESSION_COOKIE];
    if (!sessionId) throw new UnauthorizedException('请先登录');
    const session = await this.sessions.find(sessionId);
    if (!session) throw new UnauthorizedException('登录已过期，请重新登录');
    if (adminActionOf(req.method) === 'write') {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), digest(session.csrfToken))) {
        throw new ForbiddenException('缺少或错误的 CSRF 令牌（X-CSRF-Token）');
      }
    }
    return accountPrincipal(session.account, 'session', session);
  }
}
