import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { LeadPatchDto, LeadSearchQuery, LeadStageDto, LeadTransferDto, Rpc } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated } from './validation';
import { leadsWorkbook, readLedgerWorkbook } from './ledger-xlsx';
import { actorName, AdminRequest, principalOf } from '../auth/principal';
import { assertWholeLeadVisible, leadBeforeChange, leadForCaller, leadsForCaller, refuseConfined } from '../auth/unit-scope';


function leadNumber(value: string): string {
  const code = String(value ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2,4}-\d{4}-\d{6}$/.test(code)) throw new BadRequestException('a lead number looks like YY-2026-000001');
  return code;
}

/** The project ledger: one lead with its history, stages, transfers, corrections, Excel export. */
@ApiTags('leads')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('leads')
@Controller('api/leads')
export class LedgerController {
  constructor(private readonly mesh: MeshClient) {}

  /** The filtered list as an .xlsx workbook (same filters as GET /api/leads, every page). */
  @Get('export')
  @Header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Header('Content-Disposition', 'attachment; filename="leads.xlsx"')
  async export(@Query() query: LeadSearchQuery, @Req() req: AdminRequest, @Res() res: Response) {
    const q = validated(LeadSearchQuery, query);
    const rows: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.mesh.request<{ items: Record<string, unknown>[]; total: number }>(Rpc.leadsList, { ...q, limit: 500, offset });
      rows.push(...(leadsForCaller(req, page.items as never[]) as unknown as Record<string, unknown>[]));
      if (page.items.length < 500 || rows.length >= 100000) break;
    }
    res.end(await leadsWorkbook(rows));
  }

  /**
   * Imports a city ledger (.xlsx, first sheet, header row with 企业名称, 跟进单位, 登记时间...).
   * `?commit=true` registers the accepted rows; without it a dry run reports row by row.
   * First contact between rows is decided by the ledger's own dates.
   */
  @Post('import')
  @HttpCode(200)
  @ApiQuery({ name: 'commit', required: false, enum: ['true', 'false'], description: 'true: save the accepted rows; otherwise a dry run' })
  async import(@Body() body: Buffer, @Req() req: AdminRequest, @Query('commit') commit?: string) {
    refuseConfined(req, '台账导入');
    if (!Buffer.isBuffer(body) || body.length === 0) throw new BadRequestException('send the .xlsx file as the request body');
    let rows;
    try {
      rows = await readLedgerWorkbook(body);
    } catch (e) {
      throw new BadRequestException(`not a readable ledger workbook: ${(e as Error).message}`);
    }
    return this.mesh.request(Rpc.leadsImport, { rows, commit: commit === 'true', admin: actorName(principalOf(req)) });
  }

  @Get(':number')
  @ApiOkResponse({
    description:
      'The lead with its stage history, evidence, re-reports, transfers and audit trail; for a unit administrator another unit\'s lead is only { code, companyName, ownerUnitId, ownerUnitName, registeredAt, restricted: true, registeredNotice }',
  })
  async get(@Param('number') number: string, @Req() req: AdminRequest) {
    const lead = await this.mesh.request<Record<string, unknown> & { code: string; companyName: string; ownerUnitId: string; ownerUnitName: string; registeredAt: string }>(
      Rpc.leadsGet,
      { code: leadNumber(number) },
    );
    return leadForCaller(req, lead);
  }

  /** Checks the caller may change the lead and runs the change, recording before and after. */
  private async change(req: AdminRequest, number: string, subject: string, body: unknown) {
    const code = leadNumber(number);
    const before = await leadBeforeChange(req, this.mesh, code);
    const after = await this.mesh.request(subject, { code, admin: actorName(principalOf(req)), body });
    req.adminAudit = { target: code, before, after };
    return after;
  }

  /**
   * One evidence file of the lead (an image or file sent after a stage message), with the content
   * type the platform gave it. 409 while it is still being fetched or when fetching failed.
   */
  @Get(':number/evidence/:id')
  @ApiOkResponse({ description: 'The file bytes with their Content-Type' })
  async evidence(@Param('number') number: string, @Param('id') id: string, @Req() req: AdminRequest, @Res() res: Response) {
    const code = leadNumber(number);
    if (!/^\d{1,18}$/.test(String(id ?? ''))) throw new BadRequestException('an evidence id is a number');
    // Evidence is the owning unit's, like the contact: another unit's administrator gets none of it.
    await assertWholeLeadVisible(req, this.mesh, code);
    type Slice = { meta: { id: string; contentType: string | null; fileName: string | null; sizeBytes: number | null; sha256: string | null }; offset: number; base64: string };
    let slice = await this.mesh.request<Slice>(Rpc.evidenceFileSlice, { code, id, offset: 0 });
    const size = slice.meta.sizeBytes ?? 0;
    const name = slice.meta.fileName || `evidence-${slice.meta.id}`;
    res.status(200);
    res.setHeader('Content-Type', slice.meta.contentType || 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    // Pictures and PDFs open in the browser; anything else downloads (never rendered as a page).
    const inline = /^(image\/(png|jpeg|gif|webp|bmp)|application\/pdf)$/i.test(slice.meta.contentType ?? '');
    res.setHeader('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (slice.meta.sha256) res.setHeader('ETag', `"${slice.meta.sha256}"`);
    let sent = 0;
    try {
      for (;;) {
        const bytes = Buffer.from(slice.base64, 'base64');
        if (bytes.length === 0) break;
        sent += bytes.length;
        if (!res.write(bytes)) await new Promise((r) => res.once('drain', r));
        if (sent >= size) break;
        slice = await this.mesh.request<Slice>(Rpc.evidenceFileSlice, { code, id, offset: sent });
      }
    } catch {
      // Headers are gone: a cut-off body (shorter than Content-Length) is how HTTP says it failed.
      return void res.destroy();
    }
    res.end();
  }

  @Post(':number/stage')
  @HttpCode(200)
  stage(@Param('number') number: string, @Body() body: LeadStageDto, @Req() req: AdminRequest) {
    return this.change(req, number, Rpc.leadsStage, validated(LeadStageDto, body));
  }

  @Post(':number/transfer')
  @HttpCode(200)
  transfer(@Param('number') number: string, @Body() body: LeadTransferDto, @Req() req: AdminRequest) {
    return this.change(req, number, Rpc.leadsTransfer, validated(LeadTransferDto, body));
  }

  @Patch(':number')
  patch(@Param('number') number: string, @Body() body: LeadPatchDto, @Req() req: AdminRequest) {
    return this.change(req, number, Rpc.leadsPatch, validated(LeadPatchDto, body));
  }
}
