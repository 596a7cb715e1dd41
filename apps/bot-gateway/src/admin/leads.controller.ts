import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InboxMessageView, LeadSearchQuery, LeadView, ListLeadsQuery, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';
import { AdminRequest } from '../auth/principal';
import { leadsForCaller } from '../auth/unit-scope';

@ApiTags('leads')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('leads')
@Controller('api')
export class LeadsController {
  constructor(private readonly mesh: MeshClient) {}

  /** Search and filters; every list answers { items, total, limit, offset }. */
  @Get('leads')
  @ApiOkResponse({
    description:
      '{ items: LeadView[], total, limit, offset }. For a unit administrator, other units\' leads are { code, companyName, ownerUnitId, ownerUnitName, registeredAt, restricted: true, registeredNotice } only',
    type: [LeadView],
  })
  async list(@Query() query: LeadSearchQuery, @Req() req: AdminRequest) {
    const q = validated(LeadSearchQuery, query);
    const page = await this.mesh.request<{ items: LeadView[]; total: number }>(Rpc.leadsList, q);
    // A unit administrator sees other units' leads only as 已由X于D登记 (no contact person or phone).
    return { ...page, items: leadsForCaller(req, page.items) };
  }

  /** Messages from people who are not registered members: an administrator registers them or answers. */
  @Get('inbox')
  @AdminAreaOf('inbox')
  @ApiOkResponse({ description: '{ items: InboxMessageView[], total }', type: [InboxMessageView] })
  inbox(@Query() query: ListLeadsQuery) {
    const q = validated(ListLeadsQuery, query);
    return this.mesh.request<{ items: InboxMessageView[]; total: number }>(Rpc.inboxList, { limit: q.limit, offset: q.offset });
  }
}
