import { Body, Controller, ForbiddenException, Get, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CreateMemberDto, MemberView, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';
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
  @ApiQuery({ name: 'unitId', required: false })
  @ApiOkResponse({ type: [MemberView] })
  list(@Req() req: AdminRequest, @Query('unitId') unitId?: string) {
    // A unit administrator lists their own unit's members only.
    const own = confinedUnit(req);
    return this.mesh.request<MemberView[]>(Rpc.membersList, { unitId: own ? own.id : validId(unitId, 'unitId') });
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
