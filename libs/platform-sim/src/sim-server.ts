// The HTTP server plumbing the platform simulators share: creating the server (a failed handler is
// answered with its HttpError's status, else 500), listening, closing, and keeping track of the
// requests a simulator makes itself so that stopping it aborts them.
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpError, sendJson } from './sim-http';

export type SimHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** Answers a request whose handler failed: an HttpError with its status and message, anything else 500. */
export function sendFailure(res: http.ServerResponse, err: unknown): void {
  if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
  sendJson(res, 500, { error: 'internal error' });
}

/**
 * A server running `handle` for every request. With `answerClientErrors`, a request Node cannot
 * parse is answered 400 and the connection closed.
 */
export function createSimServer(handle: SimHandler, opts: { answerClientErrors?: boolean } = {}): http.Server {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => sendFailure(res, err));
  });
  if (opts.answerClientErrors) {
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }
  return server;
}

/** Starts listening; resolves with the port bound (a free one for port 0), rejects when it cannot. */
export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** The base URL a client on this machine uses: a wildcard host becomes 127.0.0.1, IPv6 goes in brackets. */
export function localBaseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Closes the server, cutting the connections still open (keep-alive ones included). */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The URL, the path without trailing slashes ('/' at least) and the method of a request. */
export function requestTarget(req: http.IncomingMessage): { url: URL; path: string; method: string } {
  const url = new URL(req.url ?? '/', 'http://sim.local');
  return { url, path: url.pathname.replace(/\/+$/, '') || '/', method: req.method ?? 'GET' };
}

/** The simulator's own outgoing requests in flight (callbacks to the product), to abort on stop. */
export class ActiveRequests {
  private readonly requests = new Set<http.ClientRequest>();

  /** Pass as httpAttempt's `track`. */
  readonly track = (req: http.ClientRequest, done: boolean): void => {
    if (done) this.requests.delete(req);
    else this.requests.add(req);
  };

  abortAll(): void {
    for (const req of this.requests) req.destroy();
    this.requests.clear();
  }
}
