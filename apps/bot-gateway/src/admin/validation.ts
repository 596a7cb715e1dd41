import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** Validates a request body or query against its DTO; a 400 lists every problem. */
export function validated<T extends object>(cls: new () => T, input: unknown): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new BadRequestException('expected a JSON object');
  }
  const instance = plainToInstance(cls, input);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const messages = errors.flatMap((e) =>
      e.constraints ? Object.values(e.constraints) : [`${e.property} is not allowed`],
    );
    throw new BadRequestException(messages);
  }
  return instance;
}

export function validId(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,18}$/.test(value)) throw new BadRequestException(`${name} must be a numeric id`);
  return value;
}
