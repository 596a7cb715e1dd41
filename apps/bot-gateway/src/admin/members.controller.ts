import { Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateMemberDto, MemberView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';

@ApiTags('members')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('members')
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
