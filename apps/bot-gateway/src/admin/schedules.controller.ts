import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SchedulePreviewView, SchedulerRpc, ScheduleView } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validId } from './validation';
import { actorName, AdminRequest, principalOf } from '../auth/principal';

const AUDIENCE_SCHEMA = {
  type: 'object',
  properties: {
    members: { type: 'array', items: { type: 'string' }, description: 'member ids' },
    units: { type: 'array', items: { type: 'string' }, description: 'unit ids or profile keys' },
    roles: { type: 'array', items: { type: 'string', enum: ['official', 'head', 'deputy', 'admin', 'leader'] } },
    posts: { type: 'array', items: { type: 'string', enum: ['mayor', 'executive-vice-mayor', 'vice-mayor-in-charge'] } },
    robots: { type: 'array', items: { type: 'string' }, description: 'group robot ids' },
  },
};

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('expected a JSON object');
  return body as Record<string, unknown>;
}

function requiredId(id: string): string {
  const v = validId(id, 'id');
  if (!v) throw new BadRequestException('id must be a numeric id');
  return v;
}

/**
 * Schedules (the rhythm): kept by the scheduler, which validates every body (cron, zone, audience)
 * and answers 400 with the reason. A change takes effect at once on every scheduler replica and is
 * audited.
 */
@ApiTags('schedules')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('schedules')
@Controller('api/schedules')
export class SchedulesController {
  constructor(private readonly mesh: MeshClient) {}

  @Get()
  @ApiOperation({ summary: 'list schedules with their next and last firing' })
  list() {
    return this.mesh.request<ScheduleView[]>(SchedulerRpc.list, {});
  }

  @Post()
  @ApiOperation({ summary: 'create a schedule' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'cron', 'message', 'audience'],
      properties: {
        name: { type: 'string' },
        kind: { type: 'string', default: 'custom' },
        cron: { type: 'string', example: '0 9 5 * *', description: 'node-cron syntax, 5 fields or 6 with seconds' },
        timezone: { type: 'string', example: 'Asia/Shanghai' },
        enabled: { type: 'boolean' },
        workingDaysOnly: { type: 'boolean' },
        message: { type: 'string' },
        audience: AUDIENCE_SCHEMA,
        graceMinutes: { type: 'integer' },
        leadMinutes: { type: 'integer' },
      },
    },
  })
  create(@Body() body: unknown, @Req() req: AdminRequest) {
    return this.mesh.request<ScheduleView>(SchedulerRpc.create, { body: objectBody(body), actor: actorName(principalOf(req)) });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'change any field (enabled:false pauses; onceAt adds one extra firing)' })
  @ApiBody({ schema: { type: 'object', properties: { enabled: { type: 'boolean' }, cron: { type: 'string' }, onceAt: { type: 'string', format: 'date-time' }, audience: AUDIENCE_SCHEMA } } })
  update(@Param('id') id: string, @Body() body: unknown, @Req() req: AdminRequest) {
    return this.mesh.request<ScheduleView>(SchedulerRpc.update, { id: requiredId(id), body: objectBody(body), actor: actorName(principalOf(req)) });
  }

  @Delete(':id')
  @ApiOkResponse({ description: '{ deleted: id }' })
  remove(@Param('id') id: string, @Req() req: AdminRequest) {
    return this.mesh.request(SchedulerRpc.remove, { id: requiredId(id), actor: actorName(principalOf(req)) });
  }

  @Post(':id/run')
  @HttpCode(202)
  @ApiOperation({
    summary: 'fire now, computed as of asOf (default now); answers 202 { runId, status } at once, the run continues durably; follow it in GET :id/runs',
  })
  @ApiBody({ required: false, schema: { type: 'object', properties: { asOf: { type: 'string', format: 'date-time' } } } })
  run(@Param('id') id: string, @Body() body: unknown, @Req() req: AdminRequest) {
    return this.mesh.request(SchedulerRpc.run, { id: requiredId(id), body: body && typeof body === 'object' ? body : {}, actor: actorName(principalOf(req)) });
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'who would receive what if the schedule ran as of asOf (default now): recipients, rendered messages, robots and counts; sends nothing and records no run',
  })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { asOf: { type: 'string', format: 'date-time' }, limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'bound of the recipient list (default 200)' } },
    },
  })
  preview(@Param('id') id: string, @Body() body: unknown) {
    return this.mesh.request<SchedulePreviewView>(SchedulerRpc.preview, { id: requiredId(id), body: body && typeof body === 'object' ? body : {} });
  }

  @Get(':id/runs')
  @ApiOperation({ summary: 'each firing: slot, status, reason, whom it reached and what was delivered' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  runs(@Param('id') id: string, @Query('limit') limit?: string) {
    return this.mesh.request(SchedulerRpc.runs, { id: requiredId(id), limit: limit ? Number(limit) : undefined });
  }
}
