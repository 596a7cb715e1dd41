import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from './admin';

/** Outcomes notification records for every send (delivery_log.status). */
export const DELIVERY_LOG_STATUSES = ['sent', 'partial', 'failed'] as const;
export type DeliveryLogStatus = (typeof DELIVERY_LOG_STATUSES)[number];

/** `GET /api/deliveries`: the delivery log, newest first, filtered; answered by notification over NATS. */
export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_LOG_STATUSES, description: 'Only sends with this outcome' })
  @IsOptional()
  @IsIn(DELIVERY_LOG_STATUSES)
  status?: DeliveryLogStatus;

  @ApiPropertyOptional({ example: 'wecom-group-robot', description: 'Only sends through this channel (wecom-app, wecom-group-robot, dingtalk-custom-robot, dingtalk-group, …)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,47}$/, { message: 'channel must be a channel name (lower-case letters, digits and -)' })
  channel?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'Only sends recorded at or after this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+08:00', description: 'Only sends recorded before this time (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or time' })
  to?: string;

  @ApiPropertyOptional({ example: 'robot', description: 'Text the recipient contains (user ids, robot id, chat id), case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** One send as the delivery log keeps it: the recipient and the outcome, never the message text. */
export class DeliveryLogView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The logical action the send belongs to (notification sends each key at most once)' }) dedupKey: string;
  @ApiProperty({ example: 'wecom-group-robot' }) channel: string;
  @ApiProperty({ description: 'The recipient, described: user ids, robot id, chat id', example: 'robot:12' }) target: string;
  @ApiProperty({ enum: ['text', 'markdown'] }) format: string;
  @ApiProperty({ description: 'Messages the text was split into' }) parts: number;
  @ApiProperty({ enum: DELIVERY_LOG_STATUSES }) status: DeliveryLogStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'Platform error code (0 when sent)' }) errcode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Platform error message or a note on a partial send' }) errmsg: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'Times the send waited for a rate limit' }) rateLimitedWaits: number;
  @ApiProperty({ type: String, nullable: true, description: 'When the message was requested' }) requestedAt: string | null;
  @ApiProperty({ description: 'When the send was first recorded' }) createdAt: string;
  @ApiProperty({ description: 'When the outcome was last updated' }) updatedAt: string;
}

/** A page of the delivery log. */
export class DeliveryLogPage {
  @ApiProperty({ type: [DeliveryLogView] }) items: DeliveryLogView[];
  @ApiProperty() total: number;
}
