import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { NUMERIC_ID, PageQuery } from './admin';

/** Stages an administrator may set (the initial 'lead' is where every report starts). */
export const SETTABLE_STAGES = ['negotiating', 'signed', 'started', 'producing', 'terminated'] as const;
export type SettableStage = (typeof SETTABLE_STAGES)[number];

export class LeadSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Search in company names (substring or near match) or a lead number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Owning unit, by id or name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  unit?: string;

  @ApiPropertyOptional({ description: 'Owning unit id (kept for older clients; same as unit)' })
  @IsOptional()
  @Matches(NUMERIC_ID, { message: 'unitId must be a numeric id' })
  unitId?: string;

  @ApiPropertyOptional({ enum: ['lead', ...SETTABLE_STAGES] })
  @IsOptional()
  @IsIn(['lead', ...SETTABLE_STAGES])
  stage?: string;

  @ApiPropertyOptional({ description: "Tier key of the city's profile, e.g. major" })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]*$/)
  tier?: string;

  @ApiPropertyOptional({ description: 'Registered on or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Registered before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: 'Only leads with (true) or without (false) re-reports or a possible duplicate' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  hasDuplicates?: boolean;
}

export class LeadStageDto {
  @ApiProperty({ enum: SETTABLE_STAGES })
  @IsIn(SETTABLE_STAGES)
  stage: SettableStage;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'The date the stage was reached; default today' })
  @IsOptional()
  @IsISO8601()
  date?: string;

  @ApiPropertyOptional({ description: 'Signed amount in 万元 (required by most profiles for signed)' })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(1e8)
  amountWan?: number;

  @ApiPropertyOptional({ description: 'Capital in place to date (cumulative), 万元' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1e8)
  capitalInPlaceWan?: number;

  @ApiPropertyOptional({ description: 'Note; the reason for terminated' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class LeadTransferDto {
  @ApiProperty({ description: 'Landing unit, by id or name', example: '赫山区' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  toUnit: string;

  @ApiProperty({ example: '企业选址调整，由赫山区承接' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}

export class LeadPatchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(100) companyName?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9A-Z]{18}$/) creditCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) industry?: string;
  @ApiPropertyOptional({ description: 'Planned investment in 万 of currency' }) @IsOptional() @IsNumber() @Min(0.01) @Max(1e8) amountWan?: number;
  @ApiPropertyOptional({ enum: ['CNY', 'USD'] }) @IsOptional() @IsIn(['CNY', 'USD']) currency?: 'CNY' | 'USD';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) contactName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) contactPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) content?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) intendedArea?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) originRegion?: string;
  @ApiPropertyOptional({ description: "Project type keys of the city's profile" }) @IsOptional() @IsArray() @IsString({ each: true }) projectTypes?: string[];
}

export class UpdateMemberDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(2) @MaxLength(32) name?: string;
  @ApiPropertyOptional({ description: 'Move to this unit (id)' }) @IsOptional() @Matches(NUMERIC_ID, { message: 'unitId must be a numeric id' }) unitId?: string;
  @ApiPropertyOptional({ description: 'Move to this unit (name)' }) @IsOptional() @IsString() @MinLength(2) @MaxLength(64) unitName?: string;
  @ApiPropertyOptional({ enum: ['official', 'head', 'deputy', 'leader', 'admin'] }) @IsOptional() @IsIn(['official', 'head', 'deputy', 'leader', 'admin']) role?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Matches(/^[A-Za-z0-9_.@-]{1,64}$/) wecomUserId?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Matches(/^[A-Za-z0-9_.@-]{1,64}$/) dingtalkStaffId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^1[3-9]\d{9}$/, { message: 'mobile must be an 11-digit mainland mobile number' }) mobile?: string;
  @ApiPropertyOptional({ description: 'Reactivate (true) a deactivated member' }) @IsOptional() @IsBoolean() active?: boolean;
}
