import type Redis from 'ioredis';

/** WeCom answers HTTP 200 even on failure; errcode tells. */
export interface WecomResponse {
  errcode: number;
  errmsg: string;
  [k: string]: unknown;
}

export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom errcode ${errcode}: ${errmsg}`);
  }
}

/** Error codes after which retrying cannot help (bad key, no permission, all recipients invalid...). */
export const WECOM_PERMANENT = new Set([40001, 40003, 40056, 40058, 48002, 60020, 81013, 93000, 40068]);
/** The access token was revoked or expired: refresh once and retry. */
export const WECOM_TOKEN_EXPIRED = new Set([40014, 42001]);

export interface WecomAppCredentials {
  corpId: string;
  agentId: string;
  secret: string;
}

/**
 * A WeCom API client for one self-built app. The access token lives in Redis so every
 * replica shares one token (WeCom limits how often tokens are issued), refreshed ten
 * minutes before it expires and at once when WeCom says it was revoked.
 */
export class WecomAppApi {
  constructor(
    private readonly base: string,
    private readonly creds: WecomAppCredentials,
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly timeoutMs: number,
  ) {}

  get agentId(): string {
    return this.creds.agentId;
  }

  private get tokenKey() {
    return `${this.keyPrefix}:wecom:token:${this.creds.corpId}:${this.creds.agentId}`;
  }

  async accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh) {
      const cached = await this.redis.get(this.tokenKey);
      if (cached) return cached;
    }
    const url = `${this.base}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.creds.corpId)}&corpsecret=${encodeURIComponent(this.creds.secret)}`;
    const r = await this.getJson(url);
    if (r.errcode !== 0 || typeof r.access_token !== 'string') throw new WecomApiError(r.errcode, r.errmsg);
    const ttl = Math.max(60, Number(r.expires_in ?? 7200) - 600);
    await this.redis.set(this.tokenKey, r.access_token, 'EX', ttl);
    return r.access_token;
  }

  /** POSTs to an access-token API, refreshing the token once if WeCom says it is no longer valid. */
  async postWithToken(path: string, body: unknown): Promise<WecomResponse> {
    let token = await this.accessToken();
    let r = await this.postJson(`${this.base}${path}?access_token=${encodeURIComponent(token)}`, body);
    if (WECOM_TOKEN_EXPIRED.has(r.errcode)) {
      token = await this.accessToken(true);
      r = await this.postJson(`${this.base}${path}?access_token=${encodeURIComponent(token)}`, body);
    }
    return r;
  }

  private async getJson(url: string): Promise<WecomResponse> {
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    return this.read(res);
  }

  private async postJson(url: string, body: unknown): Promise<WecomResponse> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.read(res);
  }

  private async read(res: Response): Promise<WecomResponse> {
    if (!res.ok) throw new Error(`WeCom HTTP ${res.status}`);
    const json = (await res.json()) as WecomResponse;
    if (typeof json.errcode !== 'number') throw new Error('WeCom answered without errcode');
    return json;
  }
}
