import { HttpException, HttpStatus } from '@nestjs/common';
import type { BoundIdentityKind } from './admin-account.store';
import { AdminAuthSettings } from './auth-settings';

/**
 * A chat platform's web sign-in (OAuth-style redirect flow) offered next to the password:
 * where to send the browser, and how the one-time code it comes back with names the person.
 * The controller does the rest the same way for every platform (state cookie, bound account,
 * session, audit).
 */
export interface PlatformSignIn {
  /** Bound-identity kind and the path segment of its routes: /api/auth/<kind>/login, /callback. */
  kind: BoundIdentityKind;
  /** For messages: 企业微信 / 钉钉. */
  label: string;
  /** The platform's sign-in page for this redirect_uri and state. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** The query parameter names the one-time code may come back in, in order of preference. */
  codeParams: readonly string[];
  /** The person's platform identity for a code; null when the platform refuses the code. */
  identityOf(code: string): Promise<string | null>;
}

function unavailable(label: string): HttpException {
  return new HttpException({ statusCode: 502, message: `${label}暂时无法登录，请改用密码登录` }, HttpStatus.BAD_GATEWAY);
}

async function answerOf<T>(label: string, request: Promise<Response>): Promise<{ status: number; body: T }> {
  let r: Response;
  try {
    r = await request;
  } catch {
    throw unavailable(label);
  }
  const body = (await r.json().catch(() => ({}))) as T;
  return { status: r.status, body };
}

/** 企业微信登录: login.work.weixin.qq.com, then gettoken and auth/getuserinfo (code -> userid). */
export function wecomSignIn(w: NonNullable<AdminAuthSettings['wecomLogin']>): PlatformSignIn {
  const label = '企业微信';
  const get = async (path: string, params: Record<string, string>) => {
    const u = new URL(path, w.apiBase);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return (await answerOf<{ errcode?: number; access_token?: string; userid?: string }>(label, fetch(u, { signal: AbortSignal.timeout(5000) }))).body;
  };
  return {
    kind: 'wecom',
    label,
    codeParams: ['code'],
    authorizeUrl(redirectUri, state) {
      const to = new URL('/wwlogin/sso/login', w.ssoBase);
      to.searchParams.set('login_type', 'CorpApp');
      to.searchParams.set('appid', w.corpId);
      to.searchParams.set('agentid', w.agentId);
      to.searchParams.set('redirect_uri', redirectUri);
      to.searchParams.set('state', state);
      return to.toString();
    },
    async identityOf(code) {
      const t = await get('/cgi-bin/gettoken', { corpid: w.corpId, corpsecret: w.secret });
      if (!t.access_token) throw unavailable(label);
      const u = await get('/cgi-bin/auth/getuserinfo', { access_token: t.access_token, code });
      return u.errcode === 0 && u.userid ? u.userid : null;
    },
  };
}

/**
 * 钉钉登录: login.dingtalk.com/oauth2/auth (scope openid), then POST /v1.0/oauth2/userAccessToken
 * (the person's token for the authCode) and GET /v1.0/contact/users/me (their unionId).
 */
export function dingtalkSignIn(d: NonNullable<AdminAuthSettings['dingtalkLogin']>): PlatformSignIn {
  const label = '钉钉';
  return {
    kind: 'dingtalk',
    label,
    // DingTalk hands the code back as authCode (error=... when the person declines).
    codeParams: ['authCode'],
    authorizeUrl(redirectUri, state) {
      const to = new URL('/oauth2/auth', d.loginBase);
      to.searchParams.set('redirect_uri', redirectUri);
      to.searchParams.set('response_type', 'code');
      to.searchParams.set('client_id', d.clientId);
      to.searchParams.set('scope', 'openid');
      to.searchParams.set('state', state);
      to.searchParams.set('prompt', 'consent');
      return to.toString();
    },
    async identityOf(code) {
      const t = await answerOf<{ accessToken?: string; code?: string }>(
        label,
        fetch(new URL('/v1.0/oauth2/userAccessToken', d.apiBase), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ clientId: d.clientId, clientSecret: d.clientSecret, code, grantType: 'authorization_code' }),
          signal: AbortSignal.timeout(5000),
        }),
      );
      if (!t.body.accessToken) {
        // A 4xx about the code is the person's (used or expired code); anything else is DingTalk's or ours.
        if (t.status >= 400 && t.status < 500 && !/client/i.test(String(t.body.code ?? ''))) return null;
        throw unavailable(label);
      }
      const me = await answerOf<{ unionId?: string }>(
        label,
        fetch(new URL('/v1.0/contact/users/me', d.apiBase), {
          headers: { 'x-acs-dingtalk-access-token': t.body.accessToken, accept: 'application/json' },
          signal: AbortSignal.timeout(5000),
        }),
      );
      if (!me.body.unionId) throw unavailable(label);
      return me.body.unionId;
    },
  };
}
