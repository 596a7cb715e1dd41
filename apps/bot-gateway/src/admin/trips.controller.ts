import { BadRequestException, Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { SchedulerRpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validId } from './validation';

/** Investment trips (外出招商), counted by the trip quotas (Yiyang §三). Also logged in chat. */
@ApiTags('trips')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('trips')
@Controller('api/trips')
export class TripsController {
  constructor(private readonly mesh: MeshClient) {}

  @Post()
  @ApiBody({
    schema: {
      type: 'object',
      required: ['member', 'date', 'destination'],
      properties: { member: { type: 'string' }, date: { type: 'string', example: '2026-11-20' }, destination: { type: 'string' }, purpose: { type: 'string' } },
    },
  })
  create(@Body() body: unknown) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('expected a JSON object');
    return this.mesh.request(SchedulerRpc.tripsCreate, { body });
  }

  @Get()
  list(@Query('member') member?: string, @Query('from') from?: string, @Query('to') to?: string) {
    const date = (v: string | undefined, n: string) => {
      if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new BadRequestException(`${n} must be YYYY-MM-DD`);
      return v;
    };
    return this.mesh.request(SchedulerRpc.tripsList, { member: validId(member, 'member'), from: date(from, 'from'), to: date(to, 'to') });
  }
}
