import { Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateMemberDto, MemberView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';

@ApiTags('members')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('api/members')
export class MembersController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiQuery({ name: 'unitId', required: false })
  @ApiOkResponse({ type: [MemberView] })
  list(@Query('unitId') unitId?: string) {
    return this.mesh.request<MemberView[]>(Rpc.membersList, { unitId: validId(unitId, 'unitId') });
  }

  @Post()
  @ApiCreatedResponse({ type: MemberView })
  create(@Body() body: CreateMemberDto) {
    return this.mesh.request<MemberView>(Rpc.membersCreate, validated(CreateMemberDto, body));
  }
}
