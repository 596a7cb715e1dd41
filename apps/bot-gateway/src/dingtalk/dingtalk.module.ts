import { DynamicModule, Module } from '@nestjs/common';
import { namesFor } from '@zs/contracts';
import type { GatewayConfig } from '../config';
import { InboundPublisher } from '../inbound/inbound-publisher';
import { NAMES } from '../tokens';
import { dingtalkGatewaySettings } from './dingtalk.config';
import { DingtalkCallbackController } from './dingtalk-callback.controller';
import { DingtalkInboundService } from './dingtalk-inbound.service';
import { DingtalkStreamService } from './dingtalk-stream.service';
import { DINGTALK_SETTINGS } from './dingtalk.tokens';

/**
 * DingTalk app robot ways in: HTTP mode (POST /dingtalk/callback) and Stream mode
 * (outbound WebSocket per robot), each on or off by configuration. Self-contained: it
 * brings its own JetStream publisher (the bus itself is global, from PlatformModule).
 */
@Module({})
export class DingtalkModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: DingtalkModule,
      controllers: [DingtalkCallbackController],
      providers: [
        { provide: DINGTALK_SETTINGS, useValue: dingtalkGatewaySettings(config) },
        { provide: NAMES, useValue: namesFor(config.NAMESPACE) },
        InboundPublisher,
        DingtalkInboundService,
        DingtalkStreamService,
      ],
    };
  }
}
