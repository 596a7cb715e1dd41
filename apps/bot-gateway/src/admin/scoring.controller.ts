import { BadRequestException, Body, Controller, Get, HttpCode, Param, PayloadTooLargeException, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Rpc, ScoringRpc } from '@zs/contracts';
import { readRawBody } from '../dingtalk/raw-body';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { actorName, AdminRequest, principalOf } from '../auth/principal';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UPLOAD_MAX_BYTES = 2 * 1024 * 1024;

function jsonObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('expected a JSON object');
  return body as Record<string, unknown>;
}

/**
 * Targets, results, rankings, publishing, accountability and rewards: the admin face of scoring,
 * which answers over NATS request/reply. Excel templates download as .xlsx; uploads are the raw
 * .xlsx bytes (Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).
 */
@ApiTags('scoring')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('scoring')
@Controller('api')
export class ScoringController {
  constructor(private readonly mesh: MeshClient) {}

  @Get('indicators')
  @ApiOperation({ summary: "The profile's indicators: key, name, unit of measure, method, weight, where the value comes from (ledger | reported)" })
  indicators() {
    return this.mesh.request(ScoringRpc.indicators, {});
  }

  @Put('targets/:year')
  @ApiOperation({ summary: 'Annual targets: {targets: [{unit, indicator, value}]}; unit by id, key or name' })
  @ApiBody({ schema: { example: { targets: [{ unit: '赫山区', indicator: 'out-province-capital', value: 100000 }] } } })
  putTargets(@Param('year') year: string, @Body() body: unknown) {
    return this.mesh.request(ScoringRpc.targetsPut, { year, body: jsonObject(body) });
  }

  @Put('actuals/:period')
  @ApiOperation({ summary: 'Results cumulative from the start of the year: {values: [{unit, indicator, value}]}; period 2026-Q1, 2026-03 or 2026' })
  @ApiBody({ schema: { example: { values: [{ unit: '赫山区', indicator: 'out-province-capital', value: 30000 }] } } })
  putActuals(@Param('period') period: string, @Body() body: unknown) {
    return this.mesh.request(ScoringRpc.actualsPut, { period, body: jsonObject(body) });
  }

  @Put('exemptions/:period')
  @ApiOperation({ summary: 'Units excused from a period, with the reason: {exemptions: [{unit, reason}]} (replaces the list)' })
  putExemptions(@Param('period') period: string, @Body() body: unknown) {
    return this.mesh.request(ScoringRpc.exemptionsPut, { period, body: jsonObject(body) });
  }

  @Get('targets/:year/template')
  @ApiOperation({ summary: 'Excel template of the annual targets, pre-filled with the units (and targets already set)' })
  async targetsTemplate(@Param('year') year: string, @Res() res: Response) {
    this.sendFile(res, await this.mesh.request(ScoringRpc.template, { kind: 'targets', key: year }));
  }

  @Get('actuals/:period/template')
  @ApiOperation({ summary: "Excel template of a period's results, pre-filled with the units; ledger-computed indicators are left out" })
  async actualsTemplate(@Param('period') period: string, @Res() res: Response) {
    this.sendFile(res, await this.mesh.request(ScoringRpc.template, { kind: 'actuals', key: period }));
  }

  @Post('targets/:year/upload')
  @HttpCode(200)
  @ApiConsumes(XLSX)
  @ApiOperation({ summary: 'Upload the filled targets template (raw .xlsx body); checked row by row, taken whole or not at all' })
  async uploadTargets(@Param('year') year: string, @Req() req: Request) {
    return this.mesh.request(ScoringRpc.upload, { kind: 'targets', key: year, base64: await this.readXlsx(req) });
  }

  @Post('actuals/:period/upload')
  @HttpCode(200)
  @ApiConsumes(XLSX)
  @ApiOperation({ summary: 'Upload the filled results template (raw .xlsx body); checked row by row, taken whole or not at all' })
  async uploadActuals(@Param('period') period: string, @Req() req: Request) {
    return this.mesh.request(ScoringRpc.upload, { kind: 'actuals', key: period, base64: await this.readXlsx(req) });
  }

  @Get('rankings/:period')
  @ApiOperation({
    summary:
      'Ranking per ranking group: rows {rank, unit, score, indicators, progress, timeProgress, gap, band}. The latest published version (immutable), else a draft; ?version=N a published version; ?live=true as the figures stand now',
  })
  @ApiQuery({ name: 'version', required: false, description: 'a published version number' })
  @ApiQuery({ name: 'live', required: false, enum: ['true', 'false'], description: 'true: the figures as they stand now' })
  rankings(@Param('period') period: string, @Query('version') version?: string, @Query('live') live?: string) {
    return this.mesh.request(Rpc.scoringRankings, { period, version, live: live === 'true' });
  }

  @Get('rankings/:period/sheet')
  @ApiOperation({ summary: 'The ranking as an Excel file' })
  async rankingSheet(@Param('period') period: string, @Res() res: Response) {
    this.sendFile(res, await this.mesh.request(ScoringRpc.rankingSheet, { period }));
  }

  @Post('rankings/:period/publish')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Publish: a new immutable version when figures changed (saying what changed), notices to group robots and app chats, the ranking event, then the accountability ladder',
  })
  publish(@Param('period') period: string, @Req() req: AdminRequest) {
    return this.mesh.request(Rpc.scoringPublish, { period, by: actorName(principalOf(req)) });
  }

  @Get('accountability')
  @ApiOkResponse({ description: '[{id, period, unit, action, convener, interviewee, reason, deadline, status, heldAt}]' })
  @ApiQuery({ name: 'year', required: false, description: 'default: the current year' })
  accountability(@Query('year') year?: string) {
    return this.mesh.request(Rpc.scoringAccountability, { year: year ?? String(new Date().getFullYear()) });
  }

  @Post('accountability/:id/held')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the interview took place: {heldAt: "2026-04-12", note?}' })
  held(@Param('id') id: string, @Body() body: unknown) {
    return this.mesh.request(ScoringRpc.interviewHeld, { id, body: jsonObject(body) });
  }

  @Get('rewards/:year')
  @ApiOkResponse({ description: '{year, basis, items: [{unit, unitName, amountWan, reason}], totalWan}' })
  rewards(@Param('year') year: string) {
    return this.mesh.request(ScoringRpc.rewards, { year });
  }

  @Get('reporting-status/:period')
  @ApiOperation({ summary: 'Which units have and have not reported their figures for a period' })
  reportingStatus(@Param('period') period: string) {
    return this.mesh.request(Rpc.scoringReportingStatus, { period });
  }

  private sendFile(res: Response, file: { fileName: string; base64: string }) {
    res.setHeader('content-type', XLSX);
    res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
    res.status(200).send(Buffer.from(file.base64, 'base64'));
  }

  private async readXlsx(req: Request): Promise<string> {
    const raw = await readRawBody(req, UPLOAD_MAX_BYTES);
    if (raw === 'too-large') throw new PayloadTooLargeException(`the file is larger than ${UPLOAD_MAX_BYTES} bytes`);
    if (raw === 'aborted' || raw.length === 0) throw new BadRequestException('send the .xlsx file as the request body');
    return raw.toString('base64');
  }
}
