import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DeliveryLogPage, ListDeliveriesQuery, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';

/**
 * The delivery log: every outbound send and its outcome, kept by notification. Recipients of every
 * unit are listed, so it shares the robots' area: city administrators and leaders, not unit administrators.
 */
@ApiTags('robots')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('robots')
@Controller('api/deliveries')
export class DeliveriesController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOkResponse({ type: DeliveryLogPage })
  list(@Query() query: ListDeliveriesQuery) {
    return this.mesh.request<DeliveryLogPage>(Rpc.deliveriesList, validated(ListDeliveriesQuery, query));
  }
}
