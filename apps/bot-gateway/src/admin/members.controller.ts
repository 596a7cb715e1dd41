import { Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateMemberDto, ListMembersQuery, MemberView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { MeshClient } from './mesh-client';
import { validated } from './validation';

@ApiTags('members')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/members')
export class MembersController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOkResponse({ description: '{ items: MemberView[], total } (limit/offset as GET /api/leads)', type: [MemberView] })
  list(@Query() query: ListMembersQuery) {
    const q = validated(ListMembersQuery, query);
    return this.mesh.request<{ items: MemberView[]; total: number }>(Rpc.membersList, { unitId: q.unitId, limit: q.limit, offset: q.offset });
  }

  @Post()
  @ApiCreatedResponse({ type: MemberView })
  create(@Body() body: CreateMemberDto) {
    return this.mesh.request<MemberView>(Rpc.membersCreate, validated(CreateMemberDto, body));
  }
}
