import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { DeliveryLogPage, ListDeliveriesQuery, pageArgs, Rpc, RpcResult } from '@zs/contracts';
import { DeliveryLogRepository } from '@zs/persistence';

/**
 * The delivery log for the admin API (gateway → NATS request/reply in notification's queue group).
 * The gateway validates the query; the filters are passed as bound parameters, never as SQL.
 */
@Controller()
export class DeliveriesRpcController {
  private readonly repo: DeliveryLogRepository;

  constructor(ds: DataSource) {
    this.repo = new DeliveryLogRepository(ds);
  }

  @MessagePattern(Rpc.deliveriesList)
  async list(@Payload() q: ListDeliveriesQuery | null): Promise<RpcResult<DeliveryLogPage>> {
    const { status, channel, from, to, q: text } = q ?? {};
    return { ok: await this.repo.page({ status, channel, from, to, q: text }, ...pageArgs(q)) };
  }
}
