import type { NatsConnection } from 'nats';
import { WecomAibotGatewayReply, WecomAibotGatewayRequest, wecomAibotGatewaySubject } from '@zs/contracts';

/** No gateway answered for the bot (none holds its socket right now) or the answer did not come in time. */
export class AibotGatewayUnavailableError extends Error {}

export interface AibotGateway {
  call(botId: string, req: WecomAibotGatewayRequest): Promise<WecomAibotGatewayReply>;
}

/**
 * Asks the gateway replica holding a bot's long connection to send a frame (core NATS
 * request/reply on the bot's subject; see docs/adr/0008-wecom-aibot-replies-through-the-gateway.md).
 */
export class NatsAibotGateway implements AibotGateway {
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: string,
    private readonly timeoutMs: number,
  ) {}

  async call(botId: string, req: WecomAibotGatewayRequest): Promise<WecomAibotGatewayReply> {
    let data: Uint8Array;
    try {
      const msg = await this.nc.request(wecomAibotGatewaySubject(this.namespace, botId), Buffer.from(JSON.stringify(req)), {
        timeout: this.timeoutMs,
      });
      data = msg.data;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === '503') throw new AibotGatewayUnavailableError(`no gateway holds the long connection of AI bot ${botId}`);
      if (code === 'TIMEOUT') throw new AibotGatewayUnavailableError(`the gateway did not answer for AI bot ${botId} within ${this.timeoutMs} ms`);
      throw e;
    }
    const parsed = WecomAibotGatewayReply.safeParse(JSON.parse(Buffer.from(data).toString('utf8')));
    if (!parsed.success) throw new AibotGatewayUnavailableError('the gateway answered something unreadable');
    return parsed.data;
  }
}
