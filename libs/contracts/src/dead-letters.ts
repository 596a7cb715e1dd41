import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class ListDeadLettersQuery {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset?: number;
}

export class DeadLetterItemView {
  @ApiProperty({ description: 'Sequence in the dead-letter stream; use it to replay' }) id: number;
  @ApiProperty({ description: 'Durable consumer that gave up, e.g. lead-intake-inbound' }) durable: string;
  @ApiProperty({ description: 'Subject of the original message' }) subject: string;
  @ApiProperty({ description: 'Why the last attempt failed' }) reason: string;
  @ApiProperty({ enum: ['deterministic', 'exhausted'] }) kind: string;
  @ApiProperty() attempts: number;
  @ApiProperty() deadAt: string;
  @ApiProperty({ description: 'The original message body (JSON text)' }) data: string;
}
