import { BadRequestException, Body, Controller, Delete, ForbiddenException, Get, HttpCode, HttpException, HttpStatus, Inject, NotFoundException, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'crypto';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { parse as parseCookies, serialize } from 'cookie';
import { PublicEndpoint } from '@zs/platform';
import { adminDummyHash, verifyAdminPassword } from '@zs/persistence';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { validated, validId } from '../admin/validation';
import { ADMIN_AUTH_SETTINGS, ADMIN_LOGIN_THROTTLE } from '../tokens';
import { AdminAreaOf } from './admin-area';
import { AdminAccountStore } from './admin-account.store';
import { AuditLogStore } from './audit-log.store';
import { AdminAuthSettings, CSRF_COOKIE, OAUTH_STATE_COOKIE, SESSION_COOKIE } from './auth-settings';
import { ApiTokenCreatedView, ApiTokenListItem, CreateApiTokenDto, LoginDto, LoginResultView, MeView } from './auth.dto';
import { LoginThrottle } from './login-throttle';
import { AccountRecord, AdminPrincipal, AdminRequest, principalOf } from './principal';
import { ApiTokenStore, SessionStore } from './session.store';
import { dingtalkSignIn, PlatformSignIn, wecomSignIn } from './platform-sign-in';

export const WRONG_CREDENTIALS = '用户名或密码错误';

/** The account as the API shows it: never the password hash. */
export function accountView(a: AccountRecord | AdminPrincipal) {
  if ('accountId' in a) return { id: a.accountId, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit };
  return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, unit: a.unit, disabled: !a.active, wecomUserId: a.wecomUserId ?? null, dingtalkUnionId: a.dingtalkUnionId ?? null };
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

  @PublicEndpoint('sign-in: the password (or its lockout) is the authentication')
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

  /** The platform's web sign-in, or 404 when it is not configured. */
  private platformSignIn(kind: PlatformSignIn['kind']): PlatformSignIn {
    if (kind === 'wecom' && this.settings.wecomLogin) return wecomSignIn(this.settings.wecomLogin);
    if (kind === 'dingtalk' && this.settings.dingtalkLogin) return dingtalkSignIn(this.settings.dingtalkLogin);
    throw new NotFoundException(kind === 'wecom' ? '未配置企业微信登录' : '未配置钉钉登录');
  }

  /** The state cookie of one platform's flow (only sent back to its own routes). */
  private stateCookie(req: Request, kind: PlatformSignIn['kind'], value: string, maxAgeS: number): string {
    // Lax, not Strict: it must come back with the platform's redirect (a cross-site top-level navigation).
    return serialize(OAUTH_STATE_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: this.secure(req), path: `/api/auth/${kind}`, maxAge: maxAgeS });
  }

  /** Platform web sign-in, step 1: to the platform's sign-in page with a state bound to this browser. */
  private beginPlatformSignIn(kind: PlatformSignIn['kind'], req: Request, res: Response) {
    const p = this.platformSignIn(kind);
    const state = randomBytes(18).toString('base64url');
    res.append('Set-Cookie', this.stateCookie(req, kind, state, 600));
    res.redirect(302, p.authorizeUrl(`${this.secure(req) ? 'https' : 'http'}://${req.headers.host}/api/auth/${kind}/callback`, state));
  }

  /** Platform web sign-in, step 2: the code for the person's identity, their bound account, a session; then to the console. */
  private async finishPlatformSignIn(kind: PlatformSignIn['kind'], req: Request, res: Response) {
    const p = this.platformSignIn(kind);
    const action = `GET /api/auth/${kind}/callback`;
    const code = String(p.codeParams.map((k) => req.query[k]).find((v) => typeof v === 'string' && v) ?? '');
    if (req.query.error !== undefined) throw new BadRequestException(`${p.label}未授权登录，请重新登录或改用密码登录`);
    const state = String(req.query.state ?? '');
    const expected = parseCookies(String(req.headers.cookie ?? ''))[OAUTH_STATE_COOKIE] ?? '';
    const same = state.length > 0 && state.length === expected.length && timingSafeEqual(Buffer.from(state), Buffer.from(expected));
    if (!code || !same) throw new BadRequestException('登录请求已失效，请重新登录');
    const identity = await p.identityOf(code);
    const account = identity ? await this.accounts.byBoundIdentity(kind, identity) : null;
    if (!account) {
      await this.audit.write({ actorId: null, actor: `${kind}:${identity ?? '?'}`, action, target: identity, status: 403, after: null });
      throw new ForbiddenException(`此${p.label}账号未绑定管理账号，请联系市商务局管理员`);
    }
    const session = await this.sessions.create(account.id, this.settings.sessionTtlMs);
    this.setCookies(req, res, session.sessionId, session.csrfToken, Math.floor(this.settings.sessionTtlMs / 1000));
    res.append('Set-Cookie', this.stateCookie(req, kind, '', 0));
    await this.audit.write({ actorId: account.id, actor: `${account.displayName}(${account.username})`, action, target: account.username, status: 200, after: { via: kind, identity } });
    res.redirect(302, '/console/');
  }

  /** WeCom web sign-in, step 1: to the WeCom sign-in page with a state bound to this browser. */
  @PublicEndpoint('WeCom sign-in, step 1: only a redirect with a browser-bound state')
  @Get('wecom/login')
  @ApiOperation({ summary: '企业微信登录: redirects to the WeCom web sign-in page (302); 404 when not configured' })
  wecomLogin(@Req() req: Request, @Res() res: Response) {
    this.beginPlatformSignIn('wecom', req, res);
  }

  /** WeCom web sign-in, step 2: the code for the person's userid, their bound account, a session; then to the console. */
  @PublicEndpoint('WeCom sign-in, step 2: authenticated by the one-time code and the state cookie')
  @Get('wecom/callback')
  @ApiOperation({ summary: '企业微信登录 callback: signs the bound account in (cookies as for the password) and redirects to /console/' })
  async wecomCallback(@Req() req: Request, @Res() res: Response) {
    await this.finishPlatformSignIn('wecom', req, res);
  }

  /** DingTalk web sign-in, step 1: to DingTalk's sign-in page (login.dingtalk.com/oauth2/auth) with a state bound to this browser. */
  @PublicEndpoint('DingTalk sign-in, step 1: only a redirect with a browser-bound state')
  @Get('dingtalk/login')
  @ApiOperation({ summary: '钉钉登录: redirects to the DingTalk sign-in page (302); 404 when not configured' })
  dingtalkLogin(@Req() req: Request, @Res() res: Response) {
    this.beginPlatformSignIn('dingtalk', req, res);
  }

  /** DingTalk web sign-in, step 2: the authCode for the person's unionId, their bound account, a session; then to the console. */
  @PublicEndpoint('DingTalk sign-in, step 2: authenticated by the one-time authCode and the state cookie')
  @Get('dingtalk/callback')
  @ApiOperation({ summary: '钉钉登录 callback: signs the bound account in (cookies as for the password) and redirects to /console/' })
  async dingtalkCallback(@Req() req: Request, @Res() res: Response) {
    await this.finishPlatformSignIn('dingtalk', req, res);
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

