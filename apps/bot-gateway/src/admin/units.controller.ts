import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateUnitDto, Rpc, UnitView } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { MeshClient } from './mesh-client';
import { validated } from './validation';

@ApiTags('units')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
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
