import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Transform, Type } from 'class-transformer';
import { NO_LOOK_ALIKES, normalizeDisplayName, WECOM_USER_ID } from './edge-bounds';

/** Unit and member names: normalised (NFKC, trimmed), and refused if they hide characters. */
const NoLookAlikes = (what: string) =>
  Matches(NO_LOOK_ALIKES, { message: `${what} may not contain invisible, direction-changing or control characters` });
const normalizeName = () => Transform(({ value }) => normalizeDisplayName(value));
/** Largest id PostgreSQL's bigint can hold has 19 digits; 18 always fit. */
export const NUMERIC_ID = /^\d{1,18}$/;
/** Largest offset a list accepts: deeper pages are a probe, not a person reading. */
export const MAX_LIST_OFFSET = 100_000;

export const UNIT_KINDS = ['county', 'park', 'coordinator', 'liaison', 'department', 'service', 'soe'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const MEMBER_ROLES = ['official', 'head', 'deputy', 'leader', 'admin'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export class CreateUnitDto {
  @ApiProperty({ example: '赫山区', description: 'Unit name, unique within the city (normalised: NFKC, trimmed)' })
  @normalizeName()
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  @NoLookAlikes('name')
  name: string;

  @ApiProperty({ enum: UNIT_KINDS, example: 'county' })
  @IsIn(UNIT_KINDS)
  kind: UnitKind;

  @ApiPropertyOptional({ description: 'Whether the unit appears in quarterly rankings; defaults to true for counties and parks' })
  @IsOptional()
  @IsBoolean()
  ranked?: boolean;
}

export class UnitView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty() ranked: boolean;
  @ApiProperty() memberCount: number;
  @ApiProperty() createdAt: string;
}

export class CreateMemberDto {
  @ApiProperty({ example: '张伟', description: 'Normalised: NFKC, trimmed' })
  @normalizeName()
  @IsString()
  @MinLength(2)
  @MaxLength(32)
  @NoLookAlikes('name')
  name: string;

  @ApiPropertyOptional({ description: 'Unit id; give this or unitName' })
  @ValidateIf((o: CreateMemberDto) => o.unitName === undefined)
  @IsString()
  @Matches(NUMERIC_ID, { message: 'unitId must be a numeric id' })
  unitId?: string;

  @ApiPropertyOptional({ example: '赫山区', description: 'Unit name; give this or unitId' })
  @ValidateIf((o: CreateMemberDto) => o.unitId === undefined)
  @normalizeName()
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  unitName?: string;

  @ApiProperty({ enum: MEMBER_ROLES, example: 'official' })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;

  @ApiPropertyOptional({ example: 'heshan.zhangwei', description: 'WeCom userid' })
  @IsOptional()
  @IsString()
  @Matches(WECOM_USER_ID, { message: 'wecomUserId may contain letters, digits and _ . @ - (at most 64), starting with a letter or digit' })
  wecomUserId?: string;

  @ApiPropertyOptional({ example: 'ds0101', description: 'DingTalk staffId (userid)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, { message: 'dingtalkStaffId may contain letters, digits and _ . @ - (at most 64), starting with a letter or digit' })
  dingtalkStaffId?: string;

  @ApiPropertyOptional({ example: '13800000001' })
  @IsOptional()
  @Matches(/^1[3-9]\d{9}$/, { message: 'mobile must be an 11-digit mainland mobile number' })
  mobile?: string;
}

export class MemberView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: MemberRole;
  @ApiPropertyOptional({ nullable: true }) wecomUserId: string | null;
  @ApiPropertyOptional({ nullable: true }) dingtalkStaffId: string | null;
  @ApiPropertyOptional({ nullable: true }) mobile: string | null;
  @ApiProperty() createdAt: string;
}

/** A page's size when the caller names none. */
export const DEFAULT_PAGE_LIMIT = 50;

/** The limit and offset of a page query (over HTTP or NATS), with the defaults every list uses. */
export function pageOf(q: { limit?: number; offset?: number } | null | undefined): { limit: number; offset: number } {
  return { limit: q?.limit ?? DEFAULT_PAGE_LIMIT, offset: q?.offset ?? 0 };
}

/** The same as `[limit, offset]`, for repositories that take them as arguments. */
export function pageArgs(q: { limit?: number; offset?: number } | null | undefined): [limit: number, offset: number] {
  const { limit, offset } = pageOf(q);
  return [limit, offset];
}

/** Pagination of every list endpoint: bounded so that no offset reaches the database out of range. */
export class PageQuery {
  @ApiPropertyOptional({ default: DEFAULT_PAGE_LIMIT, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0, maximum: MAX_LIST_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_LIST_OFFSET)
  offset?: number;
}

export class ListLeadsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only leads owned by this unit id' })
  @IsOptional()
  @Matches(NUMERIC_ID, { message: 'unitId must be a numeric id' })
  unitId?: string;
}

export class ListMembersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only members of this unit id' })
  @IsOptional()
  @Matches(NUMERIC_ID, { message: 'unitId must be a numeric id' })
  unitId?: string;
}

export class LeadView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'YY-2026-0001' }) code: string;
  @ApiProperty() companyName: string;
  @ApiProperty() industry: string;
  @ApiProperty({ description: 'Planned investment in 万 of the currency' }) amountWan: number;
  @ApiProperty({ enum: ['CNY', 'USD'] }) currency: string;
  @ApiProperty({ example: '重大' }) tierLabel: string;
  @ApiProperty() stage: string;
  @ApiProperty() ownerUnitId: string;
  @ApiProperty() ownerUnitName: string;
  @ApiProperty() reporterName: string;
  @ApiPropertyOptional({ nullable: true }) contactName: string | null;
  @ApiPropertyOptional({ nullable: true }) contactPhone: string | null;
  @ApiProperty() content: string;
  @ApiPropertyOptional({ nullable: true }) intendedArea: string | null;
  @ApiProperty() duplicateReports: number;
  @ApiProperty() registeredAt: string;
  @ApiPropertyOptional({ description: "Another unit's lead seen by a unit administrator: registration facts only (no contact, phone or content)" })
  restricted?: boolean;
  @ApiPropertyOptional({ example: '已由资阳区于2026-03-06登记', description: 'With restricted: who registered it and when' })
  registeredNotice?: string;
}

export class InboxMessageView {
  @ApiProperty() id: string;
  @ApiProperty() platform: string;
  @ApiProperty() senderId: string;
  @ApiProperty() text: string;
  @ApiProperty() outcome: string;
  @ApiProperty() receivedAt: string;
}

export class Page<T> {
  items: T[];
  total: number;
}
