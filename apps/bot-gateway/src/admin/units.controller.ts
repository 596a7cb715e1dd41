import { Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateUnitDto, PageQuery, Rpc, UnitView } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';

@ApiTags('units')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('units')
@Controller('api/units')
export class UnitsController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOkResponse({ description: '{ items: UnitView[], total } (limit/offset as GET /api/leads)', type: [UnitView] })
  list(@Query() query: PageQuery) {
    const q = validated(PageQuery, query);
    return this.mesh.request<{ items: UnitView[]; total: number }>(Rpc.unitsList, { limit: q.limit, offset: q.offset });
  }

  @Post()
  @ApiCreatedResponse({ type: UnitView })
  create(@Body() body: CreateUnitDto) {
    return this.mesh.request<UnitView>(Rpc.unitsCreate, validated(CreateUnitDto, body));
  }
}
