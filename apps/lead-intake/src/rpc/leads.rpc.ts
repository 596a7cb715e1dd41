import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { pageArgs, Rpc } from '@zs/contracts';
import { InboundRepository } from '@zs/persistence';
import { rpcResult } from './rpc-result';

@Controller()
export class LeadsRpcController {
  constructor(private readonly ds: DataSource) {}

  /** Messages from senders who are not registered members, kept for an administrator. */
  @MessagePattern(Rpc.inboxList)
  inbox(@Payload() q: { limit?: number; offset?: number }) {
    return rpcResult(() => new InboundRepository(this.ds.manager).listUnknownSenders(...pageArgs(q)));
  }
}
