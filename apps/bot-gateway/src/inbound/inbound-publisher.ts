import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InboundChatMessage, Names } from '@zs/contracts';
import { ensureMeshStreams, JetStreamBus } from '@zs/platform';
import { NAMES } from '../tokens';

/**
 * Hands an accepted chat message to the mesh durably. Resolves once JetStream has
 * stored it; the msgID makes a platform retry of the same message a no-op.
 */
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
    const valid = InboundChatMessage.parse(msg);
    return this.bus.publish(this.names.subjects.chatInbound(valid.platform), valid, `${valid.platform}:${valid.msgId}`);
  }
}
