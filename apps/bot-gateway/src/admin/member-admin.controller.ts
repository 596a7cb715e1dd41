import { BadRequestException, Body, Controller, Delete, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MemberView, Rpc, UpdateMemberDto } from '@zs/contracts';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminAreaOf } from '../auth/admin-area';
import { MeshClient } from './mesh-client';
import { validated, validId } from './validation';
import { readMembersWorkbook } from './ledger-xlsx';
import { AdminRequest } from '../auth/principal';
import { assertOwnMember, refuseConfined } from '../auth/unit-scope';

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
  async import(@Body() body: Buffer, @Req() req: AdminRequest, @Query('commit') commit?: string) {
    refuseConfined(req, '通讯录导入');
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
  async update(@Param('id') id: string, @Body() body: UpdateMemberDto, @Req() req: AdminRequest) {
    const memberId = validId(id, 'id');
    const dto = validated(UpdateMemberDto, body);
    if (memberId) await assertOwnMember(req, this.mesh, memberId, dto);
    return this.mesh.request<MemberView>(Rpc.membersUpdate, { id: memberId, body: dto });
  }

  /** Deactivates: the person is no longer recognised in chat; leads and history stay. */
  @Delete(':id')
  @ApiOkResponse({ type: MemberView })
  async deactivate(@Param('id') id: string, @Req() req: AdminRequest) {
    const memberId = validId(id, 'id');
    if (memberId) await assertOwnMember(req, this.mesh, memberId);
    return this.mesh.request<MemberView>(Rpc.membersDeactivate, { id: memberId });
  }
}
