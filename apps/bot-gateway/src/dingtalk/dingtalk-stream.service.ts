import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Names } from '@zs/contracts';
import { ensureMeshStreams, JetStreamBus, LOGGER } from '@zs/platform';
import { NAMES } from '../tokens';
import { countLongConnectionMessage } from '../callback-metrics';
import { DingtalkGatewaySettings } from './dingtalk.config';
import { DingtalkInboundService } from './dingtalk-inbound.service';
import { DINGTALK_SETTINGS } from './dingtalk.tokens';
import { DingtalkStreamClient, StreamStatus } from './stream/dingtalk-stream-client';

/**
 * Stream mode: one outbound WebSocket per configured app robot. Every replica keeps its own
 * connections; DingTalk pushes each message to one of them, so replicas share the load.
 *
 * Not part of readiness on purpose: a DingTalk outage must not take the admin API and the
 * HTTP callbacks out of service. The client reconnects on its own; its state is logged.
 */
@Injectable()
export class DingtalkStreamService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly clients: DingtalkStreamClient[] = [];

  constructor(
    @Inject(DINGTALK_SETTINGS) private readonly settings: DingtalkGatewaySettings,
    private readonly inbound: DingtalkInboundService,
    private readonly bus: JetStreamBus,
    @Inject(NAMES) private readonly names: Names,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.streamEnabled) return;
    // Messages are published as soon as they arrive: the streams must exist first.
    await ensureMeshStreams(this.bus, this.names);
    for (const robot of this.settings.robots) {
      const client = new DingtalkStreamClient({
        apiBase: this.settings.apiBase,
        clientId: robot.clientId,
        clientSecret: robot.clientSecret,
        robotCode: robot.robotCode,
        backoffBaseMs: this.settings.backoffBaseMs,
        backoffMaxMs: this.settings.backoffMaxMs,
        logger: this.logger,
        onRobotMessage: async (payload) => {
          // Stored, a duplicate, or invalid (pushing it again cannot make it valid): ACK.
          // A JetStream failure rejects, and the message stays un-ACKed.
          const started = process.hrtime.bigint();
          let result;
          try {
            result = await this.inbound.accept(payload, robot, 'stream');
          } catch (e) {
            countLongConnectionMessage('dingtalk-stream', 'unavailable', started);
            throw e;
          }
          countLongConnectionMessage('dingtalk-stream', result.status === 'invalid' ? 'invalid_request' : 'ok', started);
          return true;
        },
      });
      this.clients.push(client);
      client.start();
    }
    this.logger.info({ robots: this.clients.length }, 'DingTalk Stream mode started');
  }

  async beforeApplicationShutdown() {
    await Promise.all(this.clients.map((c) => c.stop()));
  }

  status(): StreamStatus[] {
    return this.clients.map((c) => c.status());
  }
}
