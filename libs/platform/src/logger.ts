import pino, { DestinationStream, Logger } from 'pino';
import { LoggerService } from '@nestjs/common';
import { redactText, SECRET_KEY_PATHS } from './redact';

/** One JSON logger per process; secrets redacted by key and by pattern. */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    redact: { paths: SECRET_KEY_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        // Scrub free-text arguments (messages, error strings) for credentials in URLs.
        const cleaned = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args;
        return method.apply(this, cleaned);
      },
    },
    serializers: {
      err: (e: unknown) => {
        const s = pino.stdSerializers.err(e as Error);
        return { ...s, message: redactText(s.message ?? ''), stack: s.stack ? redactText(s.stack) : undefined };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Adapts pino to Nest's LoggerService so framework messages share the same stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
