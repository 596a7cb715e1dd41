import { Body, Controller, ForbiddenException, Get, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateMemberDto, ListMembersQuery, MemberView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';
import { AdminRequest, confinedUnit } from '../auth/principal';
import { NOT_YOUR_UNIT } from '../auth/unit-scope';

@ApiTags('members')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('members')
@Controller('api/members')
export class MembersController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOkResponse({ description: '{ items: MemberView[], total } (limit/offset as GET /api/leads); a unit administrator gets their own unit only', type: [MemberView] })
  list(@Req() req: AdminRequest, @Query() query: ListMembersQuery) {
    const q = validated(ListMembersQuery, query);
    // A unit administrator lists their own unit's members only.
    const own = confinedUnit(req);
    return this.mesh.request<{ items: MemberView[]; total: number }>(Rpc.membersList, { unitId: own ? own.id : q.unitId, limit: q.limit, offset: q.offset });
  }

  @Post()
  @ApiCreatedResponse({ type: MemberView })
  create(@Body() body: CreateMemberDto, @Req() req: AdminRequest) {
    const dto = validated(CreateMemberDto, body);
    const own = confinedUnit(req);
    if (own && (String(dto.unitId ?? own.id) !== String(own.id) || (dto.unitName !== undefined && dto.unitName.trim() !== own.name))) {
      throw new ForbiddenException(NOT_YOUR_UNIT);
    }
    return this.mesh.request<MemberView>(Rpc.membersCreate, own ? { ...dto, unitId: own.id } : dto);
  }
}
