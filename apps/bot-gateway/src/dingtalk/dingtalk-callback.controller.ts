import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { DingtalkAppCredentials, verifyDingtalkCallback } from '@zs/channels';
import { LOGGER, Public } from '@zs/platform';
import { DingtalkGatewaySettings } from './dingtalk.config';
import { DingtalkInboundService } from './dingtalk-inbound.service';
import { DINGTALK_SETTINGS } from './dingtalk.tokens';
import { readRawBody } from './raw-body';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The DingTalk app robot HTTP callback (HTTP mode). Checks the `timestamp`/`sign` headers
 * (HmacSHA256 with the app secret, one hour window, constant-time compare) against every
 * configured robot, reads the body as strict UTF-8 JSON, hands the message to JetStream and
 * answers 200 `{}` at once; the answer goes out later through notification. Anything that
 * fails a check gets a 4xx and is never processed; a JetStream outage gets 503 so DingTalk
 * sends it again.
 */
@ApiExcludeController()
// Authenticated by the platform's signature, not by an admin sign-in.
@Public()
@Controller('dingtalk/callback')
export class DingtalkCallbackController {
  constructor(
    @Inject(DINGTALK_SETTINGS) private readonly settings: DingtalkGatewaySettings,
    private readonly inbound: DingtalkInboundService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  async receive(@Req() req: Request, @Res() res: Response) {
    if (!this.settings.httpEnabled) return reply(res, 404, { error: 'DingTalk HTTP callback is not enabled' });

    const now = Date.now();
    const robot = this.verify(req, now);
    if ('status' in robot) {
      this.logger.warn({ reason: robot.reason, ip: req.ip }, 'DingTalk callback rejected: signature check failed');
      return reply(res, robot.status, { error: robot.reason });
    }

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.settings.maxBodyBytes * 16) {
      // Far too large to be worth draining: refuse and drop the connection.
      this.logger.warn({ bytes: declared }, 'DingTalk callback rejected: body too large');
      res.setHeader('connection', 'close');
      return reply(res, 413, { error: `body exceeds ${this.settings.maxBodyBytes} bytes` });
    }
    // A moderately oversized body is read and thrown away, so the caller can read the 413.
    const body = await readRawBody(req, this.settings.maxBodyBytes);
    if (body === 'too-large') {
      this.logger.warn({ limit: this.settings.maxBodyBytes }, 'DingTalk callback rejected: body too large');
      return reply(res, 413, { error: `body exceeds ${this.settings.maxBodyBytes} bytes` });
    }
    if (body === 'aborted') return; // the caller went away
    let text: string;
    let payload: unknown;
    try {
      text = utf8.decode(body);
    } catch {
      this.logger.warn({ reason: 'invalid UTF-8' }, 'DingTalk callback rejected');
      return reply(res, 400, { error: 'body is not valid UTF-8' });
    }
    try {
      payload = JSON.parse(text);
    } catch {
      this.logger.warn({ reason: 'invalid JSON' }, 'DingTalk callback rejected');
      return reply(res, 400, { error: 'body is not valid JSON' });
    }

    try {
      const r = await this.inbound.accept(payload, robot.robot, 'http');
      if (r.status === 'invalid') return reply(res, 400, { error: r.reason });
      return reply(res, 200, {});
    } catch (e) {
      this.logger.error({ err: e }, 'could not hand the DingTalk message to JetStream; asking DingTalk to retry');
      return reply(res, 503, { error: 'temporarily unavailable' });
    }
  }

  /** The robot whose secret signed the request, or why none did. */
  private verify(req: Request, now: number): { robot: DingtalkAppCredentials } | { status: number; reason: string } {
    const headers = { timestamp: req.headers['timestamp'], sign: req.headers['sign'] };
    let worst: 'missing' | 'stale' | 'bad-signature' = 'bad-signature';
    for (const robot of this.settings.robots) {
      const r = verifyDingtalkCallback(headers, robot.clientSecret, now);
      if (r.ok) return { robot };
      worst = r.reason;
      // Missing headers and a stale timestamp do not depend on the key.
      if (r.reason !== 'bad-signature') break;
    }
    if (worst === 'missing') return { status: 401, reason: 'missing timestamp or sign header' };
    if (worst === 'stale') return { status: 403, reason: 'timestamp outside the one-hour window' };
    return { status: 403, reason: 'signature mismatch' };
  }
}

function reply(res: Response, status: number, body: unknown) {
  if (res.headersSent) return;
  return res.status(status).type('application/json').send(JSON.stringify(body));
}
