import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed admin API client, generated from the gateway's OpenAPI document (`npm run console:api`
 * writes ./schema.d.ts). Same origin as the console: no address, no secret in the bundle.
 *
 * Signing in: with accounts (POST /api/auth/login) the session is an HTTP-only cookie and writes carry
 * the X-CSRF-Token header read from the zs_csrf cookie; without them (or for scripts' personal tokens)
 * the token is kept for this browser tab only (sessionStorage) and sent as a bearer token.
 */
const TOKEN_KEY = 'zs-console-token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function csrfToken(): string | null {
  const m = /(?:^|;\s*)zs_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : null;
}

/** Headers every request carries: the bearer token when signed in by token, CSRF on writes. */
export function authHeaders(method = 'GET'): Record<string, string> {
  const h: Record<string, string> = {};
  const token = storedToken();
  if (token) h.authorization = `Bearer ${token}`;
  const csrf = csrfToken();
  if (csrf && method !== 'GET' && method !== 'HEAD') h['x-csrf-token'] = csrf;
  return h;
}

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

const auth: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders(request.method))) request.headers.set(k, v);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);

/** An API error in words a person reads: the server's message (already Chinese where it speaks to people) and the status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(status: number, body: unknown): string {
  const b = body as { message?: unknown; error?: unknown } | null;
  const m = b && typeof b === 'object' ? (Array.isArray(b.message) ? b.message.join('；') : b.message ?? b.error) : body;
  const text = typeof m === 'string' && m ? m : '';
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return text ? `无权进行此操作：${text}` : '无权进行此操作';
  if (status === 404) return text || '未找到';
  if (status === 429) return text || '操作过于频繁，请稍后再试';
  return text || `请求失败（${status}）`;
}

/** Unwraps an openapi-fetch answer: the data, or an ApiError with the server's reason. */
export async function unwrap<T>(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const r = await p;
  if (!r.response.ok) throw new ApiError(r.response.status, messageOf(r.response.status, r.error));
  return r.data as T;
}

/** Downloads a file the API answers (Excel exports and templates) under the name the server gives. */
export async function download(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { headers: authHeaders(), credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, await res.json().catch(() => null)));
  const cd = res.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)?.[1];
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

/** Sends a file as the raw request body (the API's .xlsx uploads). */
export async function uploadFile<T>(url: string, file: Blob): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...authHeaders('POST'), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    credentials: 'same-origin',
    body: file,
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body));
  return body as T;
}
