import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { parseWecomXml, WecomCrypto, WecomCryptoError } from '@zs/channels';
import { LOGGER, Public } from '@zs/platform';
import { InboundChatMessage } from '@zs/contracts';
import { InboundPublisher, InvalidInboundMessage } from '../inbound/inbound-publisher';
import { WECOM_APP_CRYPTO } from '../tokens';
import { parseRawQuery } from './raw-query';
import { timestampFresh } from '../wecom-aibot/nonce-guard';

interface WecomAppCrypto {
  crypto: WecomCrypto;
  agentId?: string;
}

/**
 * The WeCom self-built app callback (1:1 chats). Verifies and decrypts, hands the
 * message to JetStream and answers 200 with an empty body at once; the bot's answer
 * goes out later through the send API. Anything that fails verification gets a 4xx and
 * is never processed; a JetStream outage gets 503 so WeCom retries.
 */
@ApiExcludeController()
// Authenticated by the platform's signature, not by an admin sign-in.
@Public()
@Controller('wecom/callback')
export class WecomCallbackController {
  constructor(
    @Inject(WECOM_APP_CRYPTO) private readonly app: WecomAppCrypto | null,
    private readonly publisher: InboundPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** URL verification: answer the decrypted echostr, bare. */
  @Get()
  verifyUrl(@Req() req: Request, @Res() res: Response) {
    if (!this.app) return res.status(404).type('text/plain').send('wecom app callback is not configured');
    const q = parseRawQuery(req.originalUrl);
    if (!q.msg_signature || !q.timestamp || !q.nonce || !q.echostr) {
      return res.status(400).type('text/plain').send('missing msg_signature, timestamp, nonce or echostr');
    }
    try {
      if (!this.app.crypto.verifySignature(q.msg_signature, q.timestamp, q.nonce, q.echostr)) {
        return res.status(403).type('text/plain').send('signature mismatch');
      }
      if (!timestampFresh(q.timestamp, Date.now())) return res.status(403).type('text/plain').send('stale timestamp');
      return res.status(200).type('text/plain').send(this.app.crypto.decrypt(q.echostr));
    } catch (e) {
      return this.reject(res, e, 'url verification');
    }
  }

  @Post()
  async receive(@Req() req: Request, @Res() res: Response) {
    if (!this.app) return res.status(404).type('text/plain').send('wecom app callback is not configured');
    const receivedAt = Date.now();
    const q = parseRawQuery(req.originalUrl);
    const body = typeof req.body === 'string' ? req.body : '';
    if (!q.msg_signature || !q.timestamp || !q.nonce) return res.status(400).type('text/plain').send('missing msg_signature, timestamp or nonce');
    if (!body) return res.status(400).type('text/plain').send('empty body');

    let fields: Record<string, string>;
    try {
      const outer = parseWecomXml(body);
      if (!outer.Encrypt) return res.status(400).type('text/plain').send('no Encrypt element');
      if (!this.app.crypto.verifySignature(q.msg_signature, q.timestamp, q.nonce, outer.Encrypt)) {
        return res.status(403).type('text/plain').send('signature mismatch');
      }
      // A signed request is only as fresh as its timestamp: outside WeCom's real skew it is a replay.
      if (!timestampFresh(q.timestamp, receivedAt)) {
        this.logger.warn('wecom callback rejected: timestamp too far from now');
        return res.status(403).type('text/plain').send('stale timestamp');
      }
      fields = parseWecomXml(this.app.crypto.decrypt(outer.Encrypt));
    } catch (e) {
      return this.reject(res, e, 'callback');
    }

    const message = this.toInbound(fields, receivedAt);
    if (!message) {
      // Events (enter_agent, subscribe...) carry no chat text; acknowledge and move on.
      return res.status(200).send('');
    }
    try {
      const { duplicate } = await this.publisher.publish(message);
      if (duplicate) this.logger.info({ msgId: message.msgId }, 'platform retry of an accepted message ignored');
      return res.status(200).send('');
    } catch (e) {
      if (e instanceof InvalidInboundMessage) {
        this.logger.warn({ reason: e.reason }, 'wecom callback rejected: invalid message');
        return res.status(400).type('text/plain').send('invalid message');
      }
      this.logger.error({ err: e, msgId: message.msgId }, 'could not hand the message to JetStream; asking WeCom to retry');
      return res.status(503).type('text/plain').send('temporarily unavailable');
    }
  }

  private toInbound(f: Record<string, string>, receivedAt: number): InboundChatMessage | null {
    if (f.MsgType === 'event' || !f.MsgId || !f.FromUserName) return null;
    const createdAt = /^\d+$/.test(f.CreateTime ?? '') ? Number(f.CreateTime) * 1000 : receivedAt;
    return {
      platform: 'wecom-app',
      msgId: f.MsgId,
      senderId: f.FromUserName,
      msgType: f.MsgType ?? 'unknown',
      text: f.MsgType === 'text' ? (f.Content ?? '').slice(0, 20000) : '',
      // Images, files, voice, video: the media id only (evidence is fetched through the media API later).
      media: f.MediaId && f.MsgType !== 'text' ? { mediaId: f.MediaId.slice(0, 512), fileName: f.FileName?.slice(0, 256) } : undefined,
      chatType: 'single',
      createdAt,
      receivedAt,
      botId: this.app?.agentId,
      replyTo: { channel: 'wecom-app', userIds: [f.FromUserName] },
    };
  }

  private reject(res: Response, e: unknown, what: string) {
    if (e instanceof WecomCryptoError) {
      this.logger.warn({ code: e.code }, `wecom ${what} rejected: ${e.message}`);
      const status = e.code === -40001 ? 403 : 400;
      return res.status(status).type('text/plain').send(`rejected (${e.code})`);
    }
    this.logger.error({ err: e }, `wecom ${what} failed`);
    return res.status(400).type('text/plain').send('bad request');
  }
}
