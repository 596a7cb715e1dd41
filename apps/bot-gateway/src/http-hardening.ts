import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** Deepest JSON body the admin API reads; the validators recurse, and real bodies are flat. */
export const MAX_JSON_DEPTH = 16;

/** Nesting depth of a parsed JSON value, measured without recursion (a deep value cannot overflow it). */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, depth]);
  }
  return max;
}

/** Refuses a JSON body nested deeper than MAX_JSON_DEPTH before any validator walks it. */
export const limitJsonDepth: RequestHandler = (req, res, next) => {
  if (req.body !== undefined && jsonDepth(req.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    res.status(400).json({ statusCode: 400, message: `JSON body nested deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  next();
};

/**
 * Security headers on every answer (nosniff, frame-ancestors/X-Frame-Options, no X-Powered-By).
 * The OpenAPI page loads Swagger UI's own scripts and styles, so it gets helmet without CSP.
 */
export function securityHeaders(): RequestHandler {
  const strict = helmet();
  const docs = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => (req.path.startsWith('/api/docs') ? docs(req, res, next) : strict(req, res, next));
}

/**
 * Errors raised by the body parsers (malformed JSON, a body over the limit, a bad charset) as a
 * short JSON answer with their 4xx status, instead of Express's default page with a stack trace.
 */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 500) return next(err);
  const message =
    e.type === 'entity.too.large' ? 'body too large' : e.type === 'entity.parse.failed' ? 'body is not valid JSON' : 'bad request body';
  res.status(status).json({ statusCode: status, message });
}
