import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { CreateMemberDto, CreateUnitDto, pageArgs, Rpc } from '@zs/contracts';
import { DirectoryRepository } from '@zs/persistence';
import { rpcResult, RpcBadRequest } from './rpc-result';

/** Units and members, for the admin API. Payloads were validated by the gateway. */
@Controller()
export class DirectoryRpcController {
  private readonly repo: DirectoryRepository;

  constructor(ds: DataSource) {
    this.repo = new DirectoryRepository(ds);
  }

  @MessagePattern(Rpc.unitsList)
  listUnits(@Payload() q: { limit?: number; offset?: number }) {
    return rpcResult(() => this.repo.pageUnits(...pageArgs(q)));
  }

  @MessagePattern(Rpc.unitsCreate)
  createUnit(@Payload() dto: CreateUnitDto) {
    return rpcResult(() =>
      this.repo.createUnit({ name: dto.name, kind: dto.kind, ranked: dto.ranked ?? (dto.kind === 'county' || dto.kind === 'park') }),
    );
  }

  @MessagePattern(Rpc.membersList)
  listMembers(@Payload() q: { unitId?: string; memberId?: string; limit?: number; offset?: number }) {
    return rpcResult(() => this.repo.pageMembers(q?.unitId, ...pageArgs(q), q?.memberId));
  }

  @MessagePattern(Rpc.membersCreate)
  createMember(@Payload() dto: CreateMemberDto) {
    return rpcResult(async () => {
      const unit = await this.repo.findUnit({ id: dto.unitId, name: dto.unitName });
      if (!unit) throw new RpcBadRequest(dto.unitId ? `no unit with id ${dto.unitId}` : `no unit named ${dto.unitName}`);
      if (dto.unitId && dto.unitName && unit.name !== dto.unitName) {
        throw new RpcBadRequest(`unit ${dto.unitId} is named ${unit.name}, not ${dto.unitName}`);
      }
      return this.repo.createMember({
        name: dto.name,
        unitId: unit.id,
        role: dto.role,
        wecomUserId: dto.wecomUserId,
        dingtalkStaffId: dto.dingtalkStaffId,
        mobile: dto.mobile,
      });
    });
  }
}
