import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { boundedPlatformTime, cleanUserText, InboundChatMessage, Names } from '@zs/contracts';
import { ensureMeshStreams, JetStreamBus } from '@zs/platform';
import { NAMES } from '../tokens';

/**
 * A message that can never be processed (an id with control characters, a list as the sender,
 * an unknown message type). The caller answers 4xx: the platform must not retry it, and it is
 * not an outage.
 */
export class InvalidInboundMessage extends Error {
  constructor(readonly reason: string) {
    super(`invalid inbound message: ${reason}`);
  }
}

/**
 * Bounds what a person or a platform clock can put into a message so that an accepted message
 * can always be stored: control characters (PostgreSQL refuses NUL) leave the text and the
 * sender's name, and a platform time outside any real range becomes the time we received it.
 * Ids are not repaired: a bad id is refused (see InvalidInboundMessage).
 */
export function boundInbound(msg: InboundChatMessage): InboundChatMessage {
  return {
    ...msg,
    text: cleanUserText(msg.text),
    ...(msg.senderName !== undefined ? { senderName: cleanUserText(msg.senderName).slice(0, 128) } : {}),
    createdAt: boundedPlatformTime(msg.createdAt, msg.receivedAt),
  };
}

/**
 * Hands an accepted chat message to the mesh durably. Resolves once JetStream has
 * stored it; the msgID makes a platform retry of the same message a no-op. Rejects with
 * InvalidInboundMessage for a message that is wrong (4xx), with anything else when JetStream
 * is unavailable (503).
 */
/** How long the gateway keeps trying to store an inbound message before answering 503 (under WeCom's 5 s). */
export const INBOUND_PUBLISH_WITHIN_MS = 4000;

@Injectable()
export class InboundPublisher implements OnApplicationBootstrap {
  constructor(
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
  ) {}

  async onApplicationBootstrap() {
    await ensureMeshStreams(this.bus, this.names);
  }

  async publish(msg: InboundChatMessage): Promise<{ duplicate: boolean }> {
    const parsed = InboundChatMessage.safeParse(boundInbound(msg));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInboundMessage(`${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    const valid = parsed.data;
    // WeCom waits 5 s for an answer (DingTalk longer) and then retries: keep trying for most of that,
    // so a NATS node lost or a stream leader being elected delays the 200 instead of refusing it.
    return this.bus.publish(this.names.subjects.chatInbound(valid.platform), valid, `${valid.platform}:${valid.msgId}`, {
      withinMs: INBOUND_PUBLISH_WITHIN_MS,
    });
  }
}
