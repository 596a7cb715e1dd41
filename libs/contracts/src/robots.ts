import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const ROBOT_PLATFORMS = ['wecom', 'dingtalk'] as const;
export type RobotPlatform = (typeof ROBOT_PLATFORMS)[number];
export const ROBOT_STATUSES = ['ok', 'broken'] as const;
export type RobotStatus = (typeof ROBOT_STATUSES)[number];

/** Registers a group robot (WeCom group robot webhook, DingTalk custom robot). */
export class CreateRobotDto {
  @ApiProperty({ enum: ROBOT_PLATFORMS, example: 'wecom' })
  @IsIn(ROBOT_PLATFORMS)
  platform: RobotPlatform;

  @ApiProperty({ example: '赫山区招商群', description: 'A name administrators recognise' })
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  name: string;

  @ApiPropertyOptional({ description: "The unit whose group this robot posts to (numeric id); omit for a city-wide group" })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'unitId must be a numeric id' })
  unitId?: string;

  @ApiProperty({
    description:
      'WeCom: the webhook key; DingTalk: the access_token. The whole webhook URL may be pasted instead; the key is taken from it. Never returned by the API.',
    example: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  webhookKey: string;

  @ApiPropertyOptional({ description: 'DingTalk custom robot signing secret (starts with SEC). Never returned by the API.' })
  @IsOptional()
  @IsString()
  @Matches(/^SEC[A-Za-z0-9]{8,128}$/, { message: 'signSecret must be the DingTalk robot secret (SEC followed by letters and digits)' })
  signSecret?: string;
}

export class RobotView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ROBOT_PLATFORMS }) platform: RobotPlatform;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true }) unitId: string | null;
  @ApiPropertyOptional({ nullable: true }) unitName: string | null;
  @ApiProperty({ description: 'The last four characters of the key, masked: never the key itself', example: '****5aaa' })
  keyHint: string;
  @ApiProperty() hasSignSecret: boolean;
  @ApiProperty({ enum: ROBOT_STATUSES }) status: RobotStatus;
  @ApiPropertyOptional({ nullable: true, description: 'Platform error code that broke the robot' }) brokenErrcode: number | null;
  @ApiPropertyOptional({ nullable: true }) brokenReason: string | null;
  @ApiPropertyOptional({ nullable: true }) brokenAt: string | null;
  @ApiProperty() createdAt: string;
}
