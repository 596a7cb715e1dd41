// Small HTTP helpers shared by the platform simulators: capped body reading,
// JSON replies, and a one-shot HTTP client with a hard deadline.
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

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
