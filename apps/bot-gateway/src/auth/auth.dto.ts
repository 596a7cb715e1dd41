import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ADMIN_ROLES, AdminRole } from '@zs/domain';
import { PageQuery } from '@zs/contracts';
import { ADMIN_PASSWORD_MIN_LENGTH } from '@zs/persistence';

const WECOM_USERID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const WECOM_USERID_OR_EMPTY = /^(|[A-Za-z0-9][A-Za-z0-9_.@-]{0,63})$/;
/** A DingTalk unionId (GET /v1.0/contact/users/me), as DingTalk's web sign-in names the person. */
const DINGTALK_UNION_ID = /^[A-Za-z0-9][A-Za-z0-9_.@+=-]{0,63}$/;
const DINGTALK_UNION_ID_OR_EMPTY = /^(|[A-Za-z0-9][A-Za-z0-9_.@+=-]{0,63})$/;

/** Sign-in names: letters, digits and . _ - (they appear in the audit log and in URLs of scripts). */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;

export class LoginDto {
  @ApiProperty({ example: 'admin' }) @IsString() @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
}

export class AdminUnitRef {
  @ApiProperty() id: string;
  @ApiProperty({ example: '赫山区' }) name: string;
}

export class AdminAccountView {
  @ApiProperty({ nullable: true, type: String, description: 'null for the ADMIN_TOKEN super-administrator' }) id: string | null;
  @ApiProperty() username: string;
  @ApiProperty({ example: '市商务局管理员' }) displayName: string;
  @ApiProperty({ enum: [...ADMIN_ROLES, 'super'] }) role: AdminRole | 'super';
  @ApiProperty({ type: AdminUnitRef, nullable: true }) unit: AdminUnitRef | null;
  @ApiPropertyOptional({ description: 'Accounts list only: signing in is refused' }) disabled?: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Accounts list only: WeCom userid bound for 企业微信登录' }) wecomUserId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Accounts list only: DingTalk unionId bound for 钉钉登录' }) dingtalkUnionId?: string | null;
}

export class LoginResultView {
  @ApiProperty({ type: AdminAccountView }) account: AdminAccountView;
  @ApiProperty({ description: 'Send as X-CSRF-Token on every cookie-authenticated write (also in the zs_csrf cookie)' }) csrfToken: string;
}

export class MeView {
  @ApiProperty({ type: AdminAccountView }) account: AdminAccountView;
  @ApiProperty({ enum: ['admin-token', 'api-token', 'session'] }) via: string;
  @ApiPropertyOptional({ description: 'The session CSRF token (cookie sign-in only)' }) csrfToken?: string;
}

export class CreateApiTokenDto {
  @ApiPropertyOptional({ example: '月报脚本', description: 'What the token is for' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  name?: string;
}

export class ApiTokenCreatedView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Shown once; only its hash is stored' }) token: string;
}

export class ApiTokenListItem {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Last four characters' }) hint: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
}

export class CreateAccountDto {
  @ApiProperty({ example: 'heshan', pattern: USERNAME.source })
  @IsString()
  @Matches(USERNAME, { message: 'username: 2-32 letters, digits, . _ - (starting with a letter or digit)' })
  username: string;

  @ApiProperty({ example: '赫山区招商办管理员' }) @IsString() @MinLength(1) @MaxLength(60) displayName: string;

  @ApiProperty({ minLength: ADMIN_PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(ADMIN_PASSWORD_MIN_LENGTH, { message: `password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: ADMIN_ROLES }) @IsIn([...ADMIN_ROLES]) role: AdminRole;

  @ApiPropertyOptional({ description: 'Unit id or name; required for unit-admin, ignored otherwise', example: '赫山区' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  unit?: string;

  @ApiPropertyOptional({ description: 'WeCom userid of the person, for 企业微信登录 next to the password' })
  @IsOptional()
  @Matches(WECOM_USERID, { message: 'wecomUserId: 1-64 letters, digits, _ . @ -' })
  wecomUserId?: string;

  @ApiPropertyOptional({ description: 'DingTalk unionId of the person, for 钉钉登录 next to the password' })
  @IsOptional()
  @Matches(DINGTALK_UNION_ID, { message: 'dingtalkUnionId: 1-64 letters, digits, _ . @ + = -' })
  dingtalkUnionId?: string;
}

export class UpdateAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(60) displayName?: string;
  @ApiPropertyOptional({ enum: ADMIN_ROLES }) @IsOptional() @IsIn([...ADMIN_ROLES]) role?: AdminRole;
  @ApiPropertyOptional({ description: 'Unit id or name (unit-admin)' }) @IsOptional() @IsString() @MaxLength(64) unit?: string;

  @ApiPropertyOptional({ description: 'A new password (reset); signs the person out everywhere' })
  @IsOptional()
  @IsString()
  @MinLength(ADMIN_PASSWORD_MIN_LENGTH, { message: `password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(200)
  password?: string;

  @ApiPropertyOptional({ description: 'true: sign-in refused, sessions ended, tokens stop working' }) @IsOptional() @IsBoolean() disabled?: boolean;

  @ApiPropertyOptional({ description: "WeCom userid for 企业微信登录; '' unbinds" })
  @IsOptional()
  @Matches(WECOM_USERID_OR_EMPTY, { message: "wecomUserId: 1-64 letters, digits, _ . @ - (or '' to unbind)" })
  wecomUserId?: string;

  @ApiPropertyOptional({ description: "DingTalk unionId for 钉钉登录; '' unbinds" })
  @IsOptional()
  @Matches(DINGTALK_UNION_ID_OR_EMPTY, { message: "dingtalkUnionId: 1-64 letters, digits, _ . @ + = - (or '' to unbind)" })
  dingtalkUnionId?: string;
}

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the actor name' }) @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ description: 'Part of the action, e.g. transfer or /api/accounts' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ description: 'ISO date-time, inclusive' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'ISO date-time, exclusive' }) @IsOptional() @IsISO8601() to?: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: '市商务局管理员(admin)' }) actor: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ example: 'POST /api/leads/:number/transfer' }) action: string;
  @ApiProperty({ nullable: true, type: String }) target: string | null;
  @ApiProperty() status: number;
  @ApiProperty({ nullable: true, type: Object }) before: unknown;
  @ApiProperty({ nullable: true, type: Object }) after: unknown;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class AccountPageView {
  @ApiProperty({ type: [AdminAccountView] }) items: AdminAccountView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}
