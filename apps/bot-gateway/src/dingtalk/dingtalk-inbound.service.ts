import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DingtalkAppCredentials } from '@zs/channels';
import { LOGGER } from '@zs/platform';
import { InboundPublisher, InvalidInboundMessage } from '../inbound/inbound-publisher';
import { DingtalkGatewaySettings } from './dingtalk.config';
import { toInboundChatMessage } from './dingtalk-inbound';
import { DINGTALK_SETTINGS } from './dingtalk.tokens';

export type AcceptResult = { status: 'accepted' | 'duplicate'; msgId: string } | { status: 'invalid'; reason: string };

/**
 * One robot message, from either way in, handed to the mesh. Resolves once JetStream stored
 * it (or recognised the msgId as already stored); rejects when JetStream is unavailable, so
 * the caller answers 503 (HTTP) or withholds the ACK (Stream) and DingTalk sends it again.
 */
@Injectable()
export class DingtalkInboundService {
  private readonly warned = new Set<string>();

  constructor(
    private readonly publisher: InboundPublisher,
    @Inject(DINGTALK_SETTINGS) private readonly settings: DingtalkGatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async accept(raw: unknown, robot: DingtalkAppCredentials, via: 'http' | 'stream'): Promise<AcceptResult> {
    const r = toInboundChatMessage(raw, {
      robot,
      receivedAt: Date.now(),
      sessionWebhookOrigins: this.settings.sessionWebhookOrigins,
    });
    if (!r.ok) {
      this.logger.warn({ robotCode: robot.robotCode, via, reason: r.reason }, 'DingTalk robot message rejected');
      return { status: 'invalid', reason: r.reason };
    }
    for (const w of r.warnings) {
      // Configuration warnings once per process; the rest every time.
      const key = `${robot.robotCode}:${w}`;
      if (w.startsWith('robotCode') && this.warned.has(key)) continue;
      this.warned.add(key);
      this.logger.warn({ robotCode: robot.robotCode, via, msgId: r.message.msgId }, w);
    }
    let duplicate: boolean;
    try {
      ({ duplicate } = await this.publisher.publish(r.message));
    } catch (e) {
      if (!(e instanceof InvalidInboundMessage)) throw e;
      this.logger.warn({ robotCode: robot.robotCode, via, reason: e.reason }, 'DingTalk robot message rejected');
      return { status: 'invalid', reason: e.reason };
    }
    if (duplicate) this.logger.info({ msgId: r.message.msgId, via }, 'DingTalk redelivery of an accepted message ignored');
    return { status: duplicate ? 'duplicate' : 'accepted', msgId: r.message.msgId };
  }
}
