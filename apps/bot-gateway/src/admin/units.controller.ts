import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateUnitDto, Rpc, UnitView } from '@zs/contracts';
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
  @ApiOkResponse({ type: [UnitView] })
  list() {
    return this.mesh.request<UnitView[]>(Rpc.unitsList, {});
  }

  @Post()
  @ApiCreatedResponse({ type: UnitView })
  create(@Body() body: CreateUnitDto) {
    return this.mesh.request<UnitView>(Rpc.unitsCreate, validated(CreateUnitDto, body));
  }
}
