import { GatewayTimeoutException, HttpException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { RpcResult } from '@zs/contracts';
import { MESH_CLIENT, RPC_TIMEOUT_MS } from '../tokens';

/** NATS request/reply with a timeout on every call; maps the shared error shape to HTTP. */
@Injectable()
export class MeshClient {
  constructor(
    @Inject(MESH_CLIENT) private readonly client: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async request<T>(subject: string, payload: unknown): Promise<T> {
    let result: RpcResult<T>;
    try {
      result = await lastValueFrom(this.client.send<RpcResult<T>>(subject, payload ?? {}).pipe(timeout(this.timeoutMs)));
    } catch (e) {
      if (e instanceof TimeoutError) throw new GatewayTimeoutException(`the service behind ${subject} did not answer within ${this.timeoutMs} ms`);
      // nats.js reports "no responders" as a NatsError whose code (and message) is '503'.
      if ((e as { code?: string })?.code === '503' || String((e as Error)?.message ?? e).includes('no responders')) {
        throw new ServiceUnavailableException(`no service is answering ${subject}`);
      }
      throw e;
    }
    if ('error' in result) throw new HttpException({ statusCode: result.error.status, message: result.error.message }, result.error.status);
    return result.ok;
  }
}
