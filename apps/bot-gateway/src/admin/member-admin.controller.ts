import { BadRequestException, Body, Controller, Delete, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MemberView, Rpc, UpdateMemberDto } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';
import { readMembersWorkbook } from './ledger-xlsx';

/** Members beyond create/list: change, deactivate (history kept), import the city's address book (.xlsx). */
@ApiTags('members')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('members')
@Controller('api/members')
export class MemberAdminController {
  constructor(private readonly mesh: MeshClient) {}

  /** Address book import: 姓名, 单位, 角色, 企业微信账号, 钉钉ID, 手机. `?commit=true` writes; otherwise a dry run. */
  @Post('import')
  @HttpCode(200)
  @ApiQuery({ name: 'commit', required: false, enum: ['true', 'false'], description: 'true: save the accepted rows; otherwise a dry run' })
  async import(@Body() body: Buffer, @Query('commit') commit?: string) {
    if (!Buffer.isBuffer(body) || body.length === 0) throw new BadRequestException('send the .xlsx file as the request body');
    let rows;
    try {
      rows = await readMembersWorkbook(body);
    } catch (e) {
      throw new BadRequestException(`not a readable address book: ${(e as Error).message}`);
    }
    return this.mesh.request(Rpc.membersImport, { rows, commit: commit === 'true' });
  }

  @Patch(':id')
  @ApiOkResponse({ type: MemberView })
  update(@Param('id') id: string, @Body() body: UpdateMemberDto) {
    return this.mesh.request<MemberView>(Rpc.membersUpdate, { id: validId(id, 'id'), body: validated(UpdateMemberDto, body) });
  }

  /** Deactivates: the person is no longer recognised in chat; leads and history stay. */
  @Delete(':id')
  @ApiOkResponse({ type: MemberView })
  deactivate(@Param('id') id: string) {
    return this.mesh.request<MemberView>(Rpc.membersDeactivate, { id: validId(id, 'id') });
  }
}
