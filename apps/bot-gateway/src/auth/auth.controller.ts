import { BadRequestException, Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Inject, NotFoundException, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import { Public } from '@zs/platform';
import { adminDummyHash, verifyAdminPassword } from '@zs/persistence';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { validated, validId } from '../admin/validation';
import { ADMIN_AUTH_SETTINGS, ADMIN_LOGIN_THROTTLE } from '../tokens';
import { AdminAreaOf } from './admin-area';
import { AdminAccountStore } from './admin-account.store';
import { AuditLogStore } from './audit-log.store';
import { AdminAuthSettings, CSRF_COOKIE, SESSION_COOKIE } from './auth-settings';
import { ApiTokenCreatedView, ApiTokenListItem, CreateApiTokenDto, LoginDto, LoginResultView, MeView } from './auth.dto';
import { LoginThrottle } from './login-throttle';
import { AccountRecord, AdminPrincipal, AdminRequest, principalOf } from './principal';
import { ApiTokenStore, SessionStore } from './session.store';

export const WRONG_CREDENTIALS = '用户名或密码错误';

/** The account as the API shows it: never the password hash. */
export function accountView(a: AccountRecord | AdminPrincipal) {
  if ('accountId' in a) return { id: a.accountId, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit };
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit, disabled: !a.active };
}

/** The signed-in person (sign-in answer): `{id, username, displayName, role, unit}`. */
function signedInView(a: AccountRecord) {
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit };
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** Sign-in, the signed-in person, sign-out and personal API tokens (ADR 0021). */
@ApiTags('auth')
@AdminAreaOf('self')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AdminAccountStore,
    private readonly sessions: SessionStore,
    private readonly tokens: ApiTokenStore,
    private readonly audit: AuditLogStore,
    @Inject(ADMIN_LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(ADMIN_AUTH_SETTINGS) private readonly settings: AdminAuthSettings,
  ) {}

  private secure(req: Request): boolean {
    if (this.settings.cookieSecure !== 'auto') return this.settings.cookieSecure === 'true';
    return req.secure || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
  }

  private setCookies(req: Request, res: Response, sessionId: string, csrfToken: string, maxAgeS: number) {
    const secure = this.secure(req);
    res.append('Set-Cookie', serialize(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: maxAgeS }));
    // Readable by the console's script, which echoes it in X-CSRF-Token.
    res.append('Set-Cookie', serialize(CSRF_COOKIE, csrfToken, { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge: maxAgeS }));
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password; sets the zs_session (HttpOnly) and zs_csrf cookies' })
  @ApiOkResponse({ type: LoginResultView })
  @ApiUnauthorizedResponse({ description: '用户名或密码错误' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong passwords for this account (or from this address); Retry-After says when to try again' })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { username, password } = validated(LoginDto, body);
    const name = username.trim();
    const address = clientAddress(req);
    const lockedFor = await this.throttle.lockedFor(name, address);
    const audit = (status: number, actorId: string | null, actor: string) =>
      this.audit.write({ actorId, actor, action: 'POST /api/auth/login', target: name, status, after: { address } });
    if (lockedFor > 0) {
      await audit(429, null, name);
      res.setHeader('Retry-After', String(lockedFor));
      throw new HttpException({ statusCode: 429, message: `登录失败次数过多，请${Math.ceil(lockedFor / 60)}分钟后再试` }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const found = await this.accounts.withHashByUsername(name);
    // The same bcrypt work for an unknown name, so timing does not tell which names exist.
    const ok = await verifyAdminPassword(password, found?.passwordHash ?? adminDummyHash());
    if (!found || !ok || !found.account.active) {
      await this.throttle.recordFailure(name, address);
      await audit(401, found?.account.id ?? null, name);
      throw new HttpException({ statusCode: 401, message: WRONG_CREDENTIALS }, HttpStatus.UNAUTHORIZED);
    }
    await this.throttle.recordSuccess(name);
    const session = await this.sessions.create(found.account.id, this.settings.sessionTtlMs);
    this.setCookies(req, res, session.sessionId, session.csrfToken, Math.floor(this.settings.sessionTtlMs / 1000));
    await audit(200, found.account.id, `${found.account.displayName}(${found.account.username})`);
    return { account: signedInView(found.account), csrfToken: session.csrfToken };
  }

  @Get('me')
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Who is signed in (account, role, unit) and how' })
  @ApiOkResponse({ type: MeView })
  async me(@Req() req: AdminRequest) {
    const p = principalOf(req);
    return { account: accountView(p), via: p.via, ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}) };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(AdminAuthGuard)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Sign out: ends the session and clears its cookies (no-op for bearer tokens)' })
  @ApiNoContentResponse()
  async logout(@Req() req: AdminRequest, @Res({ passthrough: true }) res: Response) {
    const p = principalOf(req);
    if (p.sessionDigest) await this.sessions.remove(p.sessionDigest);
    const secure = this.secure(req);
    res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: 0 }));
    res.append('Set-Cookie', serialize(CSRF_COOKIE, '', { sameSite: 'strict', secure, path: '/', maxAge: 0 }));
    req.adminAudit = { target: p.username, after: null };
  }

  @Post('tokens')
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Creates a personal API token with the account’s rights (shown once)' })
  @ApiCreatedResponse({ type: ApiTokenCreatedView })
  async createToken(@Body() body: CreateApiTokenDto, @Req() req: AdminRequest) {
    const p = principalOf(req);
    if (!p.accountId) throw new BadRequestException('超级管理员（ADMIN_TOKEN）没有个人令牌');
    const name = validated(CreateApiTokenDto, body ?? {}).name?.trim() || 'API token';
    const t = await this.tokens.create(p.accountId, name);
    req.adminAudit = { target: `token ${t.id}`, after: { id: t.id, name, hint: t.token.slice(-4) } };
    return { id: t.id, name, token: t.token };
  }

  @Get('tokens')
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in person’s API tokens (never the tokens themselves)' })
  @ApiOkResponse({ type: [ApiTokenListItem] })
  async listTokens(@Req() req: AdminRequest) {
    const p = principalOf(req);
    return p.accountId ? this.tokens.list(p.accountId) : [];
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @UseGuards(AdminAuthGuard)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Revokes one of the signed-in person’s tokens' })
  @ApiNoContentResponse()
  async revokeToken(@Param('id') id: string, @Req() req: AdminRequest) {
    const p = principalOf(req);
    const tokenId = validId(id, 'id');
    if (!p.accountId || !tokenId || !(await this.tokens.revoke(p.accountId, tokenId))) throw new NotFoundException(`no token ${id}`);
    req.adminAudit = { target: `token ${tokenId}`, after: { revoked: true } };
  }
}

