import { Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { WecomCryptoError } from '@zs/channels';
import { LOGGER, Public } from '@zs/platform';
import { InboundPublisher, InvalidInboundMessage } from '../inbound/inbound-publisher';
import { parseRawQuery } from '../wecom/raw-query';
import { AibotMessageError, parseAibotMessage, toInboundMessage } from './aibot-message';
import { NonceGuard, timestampFresh } from './nonce-guard';
import { AIBOT_NONCE_GUARD, AIBOT_SETTINGS, AibotCallbackBot, AibotSettings } from './aibot-tokens';

/**
 * The WeCom AI bot (智能机器人) callback: group messages that @-mention the bot and 1:1
 * messages, as JSON `{"encrypt": "..."}` with msg_signature/timestamp/nonce in the query.
 *
 * Verifies the signature (which also tells several bots apart), refuses stale timestamps and
 * replayed nonces, decrypts (receiveid ""), hands the message to JetStream (msgID
 * `wecom-aibot:<msgid>`, so WeCom's retries are no-ops) and answers 200 with an empty body at
 * once. The answer goes out later through the message's response_url (or by active push).
 * Anything that fails verification gets a 4xx and is never processed; a JetStream outage gets
 * 503 so WeCom retries.
 */
@ApiExcludeController()
// Authenticated by the platform's signature, not by an admin sign-in.
@Public()
@Controller('wecom/aibot/callback')
export class WecomAibotCallbackController {
  constructor(
    @Inject(AIBOT_SETTINGS) private readonly settings: AibotSettings,
    @Inject(AIBOT_NONCE_GUARD) private readonly nonces: NonceGuard,
    private readonly publisher: InboundPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** URL verification: answer the decrypted echostr, bare. */
  @Get()
  verifyUrl(@Req() req: Request, @Res() res: Response) {
    if (!this.settings.callbackBots.length) return notConfigured(res);
    const q = parseRawQuery(req.originalUrl);
    if (!q.msg_signature || !q.timestamp || !q.nonce || !q.echostr) {
      return res.status(400).type('text/plain').send('missing msg_signature, timestamp, nonce or echostr');
    }
    const bot = this.botFor(q.msg_signature, q.timestamp, q.nonce, q.echostr);
    if (!bot) return res.status(403).type('text/plain').send('signature mismatch');
    if (!timestampFresh(q.timestamp, Date.now())) return res.status(403).type('text/plain').send('stale timestamp');
    try {
      return res.status(200).type('text/plain').send(bot.crypto.decrypt(q.echostr));
    } catch (e) {
      return this.reject(res, e, 'url verification');
    }
  }

  @Post()
  async receive(@Req() req: Request, @Res() res: Response) {
    if (!this.settings.callbackBots.length) return notConfigured(res);
    const receivedAt = Date.now();
    const q = parseRawQuery(req.originalUrl);
    if (!q.msg_signature || !q.timestamp || !q.nonce) return res.status(400).type('text/plain').send('missing msg_signature, timestamp or nonce');
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body) return res.status(400).type('text/plain').send('empty body');

    let encrypt: string;
    try {
      const outer: unknown = JSON.parse(body);
      const value = outer && typeof outer === 'object' && !Array.isArray(outer) ? (outer as Record<string, unknown>).encrypt : undefined;
      if (typeof value !== 'string' || !value) return res.status(400).type('text/plain').send('body must be JSON {"encrypt": "..."}');
      encrypt = value;
    } catch {
      return res.status(400).type('text/plain').send('body is not JSON');
    }

    const bot = this.botFor(q.msg_signature, q.timestamp, q.nonce, encrypt);
    if (!bot) {
      this.logger.warn('AI bot callback rejected: signature mismatch');
      return res.status(403).type('text/plain').send('signature mismatch');
    }
    if (!timestampFresh(q.timestamp, receivedAt)) {
      this.logger.warn({ bot: bot.key }, 'AI bot callback rejected: timestamp too far from now');
      return res.status(403).type('text/plain').send('stale timestamp');
    }
    const verdict = await this.nonces.check(bot.key, q.nonce, q.msg_signature, receivedAt);
    if (verdict === 'replay') {
      this.logger.warn({ bot: bot.key }, 'AI bot callback rejected: nonce already used');
      return res.status(403).type('text/plain').send('replayed nonce');
    }

    let message;
    try {
      message = parseAibotMessage(bot.crypto.decrypt(encrypt));
    } catch (e) {
      return this.reject(res, e, 'callback');
    }
    // Events (enter_chat...) and stream refreshes carry nothing to process.
    if (message.eventType || message.streamRefresh) return res.status(200).send('');

    const botId = bot.bot.botId ?? message.aibotId;
    if (!botId) return res.status(400).type('text/plain').send('aibotid missing');
    if (bot.bot.botId && message.aibotId && message.aibotId !== bot.bot.botId) {
      this.logger.warn({ bot: bot.key, aibotId: message.aibotId }, 'AI bot callback names another aibotid than configured');
    }
    const inbound = toInboundMessage(message, {
      botId,
      receivedAt,
      via: { kind: 'callback' },
      canPush: !!(bot.bot.botId && bot.bot.secret),
    });
    try {
      const { duplicate } = await this.publisher.publish(inbound);
      if (duplicate) this.logger.info({ msgId: inbound.msgId }, 'WeCom retry of an accepted AI bot message ignored');
      return res.status(200).send('');
    } catch (e) {
      if (e instanceof InvalidInboundMessage) {
        this.logger.warn({ reason: e.reason }, 'AI bot callback rejected: invalid message');
        return res.status(400).type('text/plain').send('invalid message');
      }
      this.logger.error({ err: e, msgId: inbound.msgId }, 'could not hand the AI bot message to JetStream; asking WeCom to retry');
      return res.status(503).type('text/plain').send('temporarily unavailable');
    }
  }

  private botFor(signature: string, timestamp: string, nonce: string, encrypt: string): AibotCallbackBot | undefined {
    return this.settings.callbackBots.find((b) => b.crypto.verifySignature(signature, timestamp, nonce, encrypt));
  }

  private reject(res: Response, e: unknown, what: string) {
    if (e instanceof WecomCryptoError) {
      this.logger.warn({ code: e.code }, `AI bot ${what} rejected: ${e.message}`);
      return res.status(e.code === -40001 ? 403 : 400).type('text/plain').send(`rejected (${e.code})`);
    }
    if (e instanceof AibotMessageError) {
      this.logger.warn({ reason: e.message }, `AI bot ${what} rejected: malformed message`);
      return res.status(400).type('text/plain').send('malformed message');
    }
    this.logger.error({ err: e }, `AI bot ${what} failed`);
    return res.status(400).type('text/plain').send('bad request');
  }
}

function notConfigured(res: Response) {
  return res.status(404).type('text/plain').send('wecom AI bot callback is not configured');
}
