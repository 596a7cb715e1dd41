import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { pageArgs, pageOf, PageQuery } from '@zs/contracts';
import { hashAdminPassword } from '@zs/persistence';
import { AdminAuthGuard } from '../admin/admin-auth.guard';
import { validated, validId } from '../admin/validation';
import { AdminAreaOf } from './admin-area';
import { AccountChange, AdminAccountStore } from './admin-account.store';
import { AuditLogStore } from './audit-log.store';
import { AccountPageView, AdminAccountView, AuditPageView, AuditQuery, CreateAccountDto, UpdateAccountDto } from './auth.dto';
import { accountView } from './auth.controller';
import { AdminRequest } from './principal';

/** Console accounts: created and changed by the city administrators and the ADMIN_TOKEN super-administrator. */
@ApiTags('accounts')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('accounts')
@Controller('api/accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AdminAccountStore,
    private readonly ds: DataSource,
  ) {}

  /** A unit by id or by name (units are read-only here; lead-intake owns them). */
  private async unitId(ref: string): Promise<string> {
    const v = ref.trim();
    const rows: { id: string }[] = /^\d{1,18}$/.test(v)
      ? await this.ds.query(`SELECT id::text AS id FROM directory_units_v WHERE id = $1`, [v])
      : await this.ds.query(`SELECT id::text AS id FROM directory_units_v WHERE name = $1`, [v]);
    if (!rows.length) throw new BadRequestException(`没有名为“${v}”的单位`);
    return rows[0].id;
  }

  @Post()
  @ApiOperation({ summary: 'Creates an account (city-admin, unit-admin with its unit, or leader)' })
  @ApiCreatedResponse({ type: AdminAccountView })
  async create(@Body() body: CreateAccountDto, @Req() req: AdminRequest) {
    const b = validated(CreateAccountDto, body);
    if (b.role === 'unit-admin' && !b.unit?.trim()) throw new BadRequestException('单位管理员必须指定所属单位（unit）');
    const unitId = b.role === 'unit-admin' ? await this.unitId(b.unit!) : null;
    const created = await this.accounts.create({
      username: b.username,
      displayName: b.displayName.trim(),
      passwordHash: await hashAdminPassword(b.password),
      role: b.role,
      unitId,
      wecomUserId: b.wecomUserId ?? null,
      dingtalkUnionId: b.dingtalkUnionId ?? null,
    });
    const view = accountView(created);
    req.adminAudit = { target: `account ${created.id} ${created.username}`, before: null, after: view };
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Lists the accounts (never their password hashes)' })
  @ApiOkResponse({ type: AccountPageView })
  async list(@Query() query: PageQuery) {
    const q = validated(PageQuery, query);
    const page = await this.accounts.list(...pageArgs(q));
    return { ...page, items: page.items.map(accountView) };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes name, role, unit, resets the password or disables/enables the account' })
  @ApiOkResponse({ type: AdminAccountView })
  async update(@Param('id') id: string, @Body() body: UpdateAccountDto, @Req() req: AdminRequest) {
    const accountId = validId(id, 'id');
    const before = accountId ? await this.accounts.byId(accountId) : null;
    if (!accountId || !before) throw new NotFoundException(`no account ${id}`);
    const b = validated(UpdateAccountDto, body);
    const role = b.role ?? before.role;
    const change: AccountChange = {};
    if (b.displayName !== undefined) change.displayName = b.displayName.trim();
    if (b.role !== undefined) change.role = b.role;
    if (role === 'unit-admin') {
      if (b.unit !== undefined) change.unitId = await this.unitId(b.unit);
      else if (!before.unit) throw new BadRequestException('单位管理员必须指定所属单位（unit）');
    } else if (before.unit) {
      change.unitId = null;
    }
    if (b.password !== undefined) change.passwordHash = await hashAdminPassword(b.password);
    if (b.disabled !== undefined) change.active = !b.disabled;
    if (b.wecomUserId !== undefined) change.wecomUserId = b.wecomUserId === '' ? null : b.wecomUserId;
    if (b.dingtalkUnionId !== undefined) change.dingtalkUnionId = b.dingtalkUnionId === '' ? null : b.dingtalkUnionId;
    const after = await this.accounts.update(accountId, change);
    const view = accountView(after!);
    req.adminAudit = {
      target: `account ${accountId} ${before.username}`,
      before: accountView(before),
      after: { ...view, ...(b.password !== undefined ? { passwordReset: true } : {}) },
    };
    return view;
  }
}

/** The audit log of administrative actions (city administrators only). */
@ApiTags('audit')
@ApiBearerAuth()
@ApiCookieAuth()
@UseGuards(AdminAuthGuard)
@AdminAreaOf('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditLogStore) {}

  @Get()
  @ApiOperation({ summary: 'Every administrative action, newest first: who, when, what, status, before/after' })
  @ApiOkResponse({ type: AuditPageView })
  list(@Query() query: AuditQuery) {
    const q = validated(AuditQuery, query);
    return this.audit.list({
      ...pageOf(q),
      actor: q.actor,
      action: q.action,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
    });
  }
}
