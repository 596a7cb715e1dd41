import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InboxMessageView, LeadSearchQuery, LeadView, ListLeadsQuery, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';

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
  @ApiOkResponse({ description: '{ items: LeadView[], total, limit, offset }', type: [LeadView] })
  list(@Query() query: LeadSearchQuery) {
    const q = validated(LeadSearchQuery, query);
    return this.mesh.request<{ items: LeadView[]; total: number }>(Rpc.leadsList, q);
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
