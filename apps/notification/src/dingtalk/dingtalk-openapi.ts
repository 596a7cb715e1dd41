import type Redis from 'ioredis';
import type { DingtalkAppCredentials } from '@zs/channels';

/**
 * A DingTalk answer that is neither success nor a known permanent/throttle case: retried
 * with the job's backoff. Carries DingTalk's code for logs, never a URL or a token.
 */
export class DingtalkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenApiResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Seconds before expiry at which a cached token is no longer handed out. */
const REFRESH_EARLY_S = 600;
const LOCK_MS = 10_000;

/**
 * The DingTalk OpenAPI (api.dingtalk.com) for one app. The access token lives in Redis so
 * every replica shares one token, refreshed ten minutes before it expires and at once when
 * DingTalk says it is invalid (HTTP 401). A short Redis lock keeps replicas from fetching
 * a token all at once after it expired.
 */
export class DingtalkOpenApi {
  constructor(
    private readonly base: string,
    readonly app: DingtalkAppCredentials,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeoutMs: number,
  ) {}

  private get tokenKey() {
    return `${this.keyPrefix}:dingtalk:token:${this.app.clientId}`;
  }

  async accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh) {
      const cached = await this.redis.get(this.tokenKey);
      if (cached) return cached;
      // Another replica may be fetching one right now: wait briefly for it.
      const lock = `${this.tokenKey}:lock`;
      const got = await this.redis.set(lock, '1', 'PX', LOCK_MS, 'NX');
      if (!got) {
        const until = Date.now() + 3000;
        while (Date.now() < until) {
          await new Promise((r) => setTimeout(r, 100));
          const t = await this.redis.get(this.tokenKey);
          if (t) return t;
        }
      }
      try {
        return await this.fetchToken();
      } finally {
        if (got) await this.redis.del(lock).catch(() => undefined);
      }
    }
    return this.fetchToken();
  }

  private async fetchToken(): Promise<string> {
    const r = await this.request('/v1.0/oauth2/accessToken', { appKey: this.app.clientId, appSecret: this.app.clientSecret });
    const token = r.body.accessToken;
    if (r.status !== 200 || typeof token !== 'string' || !token) {
      const code = typeof r.body.code === 'string' ? r.body.code : `HTTP ${r.status}`;
      throw new DingtalkApiError(r.status, code, `DingTalk token request failed: ${code}`);
    }
    const ttl = Math.max(60, Number(r.body.expireIn ?? 7200) - REFRESH_EARLY_S);
    await this.redis.set(this.tokenKey, token, 'EX', ttl);
    return token;
  }

  /** POSTs to an OpenAPI path with the token header, refreshing the token once on HTTP 401. */
  async post(path: string, body: unknown): Promise<OpenApiResponse> {
    let token = await this.accessToken();
    let r = await this.request(path, body, token);
    if (r.status === 401) {
      token = await this.accessToken(true);
      r = await this.request(path, body, token);
    }
    return r;
  }

  private async request(path: string, body: unknown, token?: string): Promise<OpenApiResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers['x-acs-dingtalk-access-token'] = token;
    const res = await fetch(`${this.base.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((e: Error) => {
      throw new DingtalkApiError(0, e.name, `DingTalk request failed: ${e.name}`);
    });
    const text = await res.text().catch(() => '');
    let json: unknown = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (res.ok) throw new DingtalkApiError(res.status, 'not-json', `DingTalk answered HTTP ${res.status} without JSON`);
    }
    return { status: res.status, body: json && typeof json === 'object' ? (json as Record<string, unknown>) : {} };
  }
}
