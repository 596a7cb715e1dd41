import * as fs from 'fs';
import * as path from 'path';
import express from 'express';
import type { RequestHandler } from 'express';

/** Where `vite build` writes the console (dist/console beside the compiled services); CONSOLE_DIST_DIR overrides. */
export function consoleDistDir(): string {
  return process.env.CONSOLE_DIST_DIR || path.resolve(__dirname, '..', '..', '..', '..', 'console');
}

/** Vite names built assets by content hash: a year's caching is safe, a new build gets new names. */
const HASHED_ASSET = /^\/assets\//;

/**
 * Serves the administrators' console at /console/ (same origin as the API): the built files, with
 * long-lived caching for hashed assets, and index.html (never cached, so a new build is picked up)
 * for every other page path so the browser's router can open deep links. A missing asset is a 404,
 * not the page, so a stale script reference fails visibly instead of parsing HTML as JavaScript.
 */
export function consoleStatic(dir: string): RequestHandler {
  const files = express.static(dir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, filePath) => {
      const rel = '/' + path.relative(dir, filePath).split(path.sep).join('/');
      res.setHeader('Cache-Control', HASHED_ASSET.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexFile = path.join(dir, 'index.html');
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    files(req, res, () => {
      if (HASHED_ASSET.test(req.path) || path.extname(req.path)) {
        res.status(404).type('text/plain; charset=utf-8').send('未找到该文件');
        return;
      }
      if (!fs.existsSync(indexFile)) {
        res.status(503).type('text/plain; charset=utf-8').send('管理控制台尚未构建：请先运行 npm run build');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexFile);
    });
  };
}
