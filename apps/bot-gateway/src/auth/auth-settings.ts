/** Sign-in settings of the admin console and API (from the gateway's config; ADR 0021). */
export interface AdminAuthSettings {
  sessionTtlMs: number;
  /** `auto`: Secure cookies when the request came over https (directly or per X-Forwarded-Proto). */
  cookieSecure: 'auto' | 'true' | 'false';
  /** WeCom web sign-in (企业微信登录), null when the gateway has no WeCom app secret. */
  wecomLogin: { corpId: string; agentId: string; secret: string; apiBase: string; ssoBase: string } | null;
  /** DingTalk web sign-in (钉钉登录), null when no DingTalk login app is configured. */
  dingtalkLogin: { clientId: string; clientSecret: string; apiBase: string; loginBase: string } | null;
}

export const OAUTH_STATE_COOKIE = 'zs_oauth_state';

export const SESSION_COOKIE = 'zs_session';
export const CSRF_COOKIE = 'zs_csrf';
export const CSRF_HEADER = 'x-csrf-token';
