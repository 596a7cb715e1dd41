import type { IncomingMessage } from 'node:http';

/** Past this multiple of the limit an oversized body is no longer drained: the socket is dropped. */
const DRAIN_FACTOR = 16;

/**
 * Reads a request body as bytes, up to maxBytes. An oversized body is drained (so the
 * client can read the 413) up to a hard limit, then the connection is dropped.
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let done = false;
    const finish = (v: Buffer | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        if (!tooLarge) chunks.length = 0;
        tooLarge = true;
        if (size > maxBytes * DRAIN_FACTOR) {
          req.destroy();
          finish('too-large');
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', () => finish(tooLarge ? 'too-large' : 'aborted'));
    req.on('close', () => finish(tooLarge ? 'too-large' : 'aborted'));
  });
}
