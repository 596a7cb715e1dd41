import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { z, ZodTypeAny } from 'zod';
import { createLogger, PinoNestLogger } from './logger';
import { ConfigError, loadConfig } from './config';
import { redactText } from './redact';
import { natsConnectionOptionsFromEnv } from './nats-options';

/** Validates config at boot; on failure prints which variables are wrong (never their values) and exits 1. */
export function loadConfigOrExit<S extends ZodTypeAny>(schema: S, service: string): z.infer<S> {
  try {
    return loadConfig(schema, service);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

export interface ServiceBootstrap {
  service: string;
  module: unknown;
  port: number;
  host?: string;
  logLevel?: string;
  /** NATS request/reply: the server listens in this queue group, so replicas share requests. */
  rpc?: { natsUrl: string; queue: string };
  /** Extra setup before listening (body parsers, OpenAPI). */
  configure?: (app: INestApplication) => void | Promise<void>;
  bodyParser?: boolean;
}

/** Boots a service: Nest, NATS request/reply in a queue group, shutdown hooks, then the HTTP port. */
export async function bootstrapService(b: ServiceBootstrap): Promise<INestApplication> {
  const logger = createLogger(b.service, b.logLevel);
  try {
    const app = await NestFactory.create(b.module as never, {
      logger: new PinoNestLogger(logger),
      bodyParser: b.bodyParser ?? true,
    });
    if (b.rpc) {
      app.connectMicroservice<MicroserviceOptions>({
        transport: Transport.NATS,
        options: {
          // Credentials and TLS from the environment (NATS_USER/NATS_PASSWORD/NATS_CREDS/NATS_TLS_*), never from code.
          ...natsConnectionOptionsFromEnv(b.rpc.natsUrl, { namespace: process.env.NAMESPACE || 'zs', service: b.service }),
          queue: b.rpc.queue,
          name: `${b.service}-rpc`,
          maxReconnectAttempts: -1,
        },
      });
    }
    app.enableShutdownHooks();
    await b.configure?.(app);
    await app.startAllMicroservices();
    await app.listen(b.port, b.host ?? '0.0.0.0');
    logger.info({ port: b.port }, `${b.service} ready`);
    return app;
  } catch (e) {
    logger.fatal({ err: e }, `${b.service} failed to start: ${redactText(String((e as Error).message))}`);
    process.exit(1);
  }
}
