// Small HTTP helpers shared by the platform simulators: capped body reading, JSON bodies and
// replies, a one-shot HTTP client with a hard deadline, and the callback retry rule built on it.
import * as http from 'node:http';
import * as https from 'node:https';

/** Largest request body the simulator accepts (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this many bytes of an oversized body the socket is dropped instead of drained. */
const HARD_DRAIN_LIMIT = 16 * MAX_BODY_BYTES;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a request body up to maxBytes; rejects with HttpError(413) past it. */
export function readBody(req: http.IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        if (size > HARD_DRAIN_LIMIT) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(new HttpError(413, `request body exceeds ${maxBytes} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => reject(err));
    req.on('aborted', () => reject(new HttpError(400, 'request aborted')));
  });
}

/** `text` as a JSON object; undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A platform API body as a JSON object; undefined when it is not one (the API answers that in its own way). */
export async function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return parseJsonObject(await readBody(req));
}

/** A console API body: any JSON, else HttpError(400, usage). */
export async function readConsoleJson(req: http.IncomingMessage, usage: string): Promise<unknown> {
  try {
    return JSON.parse(await readBody(req));
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, usage);
  }
}

/** The non-empty strings of a JSON array field ([] when it is not an array). */
export function nonEmptyStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

export type AttemptOutcome = 'response' | 'timeout' | 'error';

export interface AttemptResult {
  outcome: AttemptOutcome;
  /** HTTP status, 0 when no response arrived. */
  status: number;
  body: string;
  /** Milliseconds from sending to the response (or to the timeout / error). */
  ms: number;
  error?: string;
}

/**
 * One HTTP request with a hard deadline covering the whole exchange (connect, headers, body).
 * Never rejects. Each call uses a fresh connection, like a platform calling a callback URL.
 * `track` receives the request so the caller can abort it when shutting down.
 */
export function httpAttempt(
  method: string,
  url: URL,
  body: string | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
  track?: (req: http.ClientRequest, done: boolean) => void,
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    let settled = false;
    const lib = url.protocol === 'https:' ? https : http;
    const finish = (r: Omit<AttemptResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      track?.(req, true);
      resolve({ ...r, ms: Date.now() - started });
    };
    const reqHeaders: Record<string, string | number> = { ...headers, connection: 'close' };
    if (body !== undefined) reqHeaders['content-length'] = Buffer.byteLength(body);
    const req = lib.request(url, { method, headers: reqHeaders, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY_BYTES) chunks.push(c);
      });
      res.on('end', () =>
        finish({ outcome: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', (err) => finish({ outcome: 'error', status: 0, body: '', error: err.message }));
      res.on('aborted', () => finish({ outcome: 'error', status: 0, body: '', error: 'response aborted' }));
    });
    const timer = setTimeout(() => {
      finish({ outcome: 'timeout', status: 0, body: '', error: `no response within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish({ outcome: 'error', status: 0, body: '', error: err.message }));
    track?.(req, false);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** What went wrong with an attempt, for display: `HTTP <status>` for a non-200 answer, else the error. */
export function attemptError(r: AttemptResult): string | undefined {
  return r.outcome === 'response' && r.status !== 200 ? `HTTP ${r.status}` : r.error;
}

export function isHttp200(r: AttemptResult): boolean {
  return r.outcome === 'response' && r.status === 200;
}

/** A callback URL with query parameters set; throws when no callback URL is configured. */
export function callbackUrlWith(callbackUrl: string, query: Record<string, string>, owner: string): URL {
  if (!callbackUrl) throw new Error(`${owner}: callbackUrl is not set`);
  const url = new URL(callbackUrl);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

export interface RetryRule {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Pause before the next attempt after an answer that is not accepted or a connection error. */
  retryDelayMs: number;
  /** No further attempt (nor pause) once this is true. */
  stopped: () => boolean;
}

/**
 * How the platforms deliver a callback: attempts until one is accepted (by default an HTTP 200),
 * at most maxAttempts and only while not stopped. A timeout has waited already; after any other
 * failure the next attempt comes retryDelayMs later. Resolves with every attempt's result.
 */
export async function deliverWithRetries(
  rule: RetryRule,
  attempt: (n: number) => Promise<AttemptResult>,
  accept: (r: AttemptResult, n: number) => boolean = isHttp200,
): Promise<{ acked: boolean; results: AttemptResult[] }> {
  const results: AttemptResult[] = [];
  for (let n = 1; n <= rule.maxAttempts && !rule.stopped(); n++) {
    const r = await attempt(n);
    results.push(r);
    if (accept(r, n)) return { acked: true, results };
    if (r.outcome !== 'timeout' && n < rule.maxAttempts && !rule.stopped()) await sleep(rule.retryDelayMs);
  }
  return { acked: false, results };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
