import 'reflect-metadata';
import express from 'express';
import { SwaggerModule } from '@nestjs/swagger';
import { bootstrapService, loadConfigOrExit } from '@zs/platform';
import { gatewayConfigSchema } from './config';
import { GatewayModule } from './gateway.module';
import { bodyParserErrors, limitJsonDepth, securityHeaders } from './http-hardening';
import { callbackMetrics } from './callback-metrics';
import { adminApiDocument } from './openapi';
import { consoleDistDir, consoleStatic } from './console/console-static';

const config = loadConfigOrExit(gatewayConfigSchema, 'bot-gateway');
void bootstrapService({
  service: 'bot-gateway',
  module: GatewayModule.register(config),
  port: config.GATEWAY_PORT,
  logLevel: config.LOG_LEVEL,
  bodyParser: false,
  configure: (app) => {
    app.use(securityHeaders());
    // CORS is closed unless origins are listed: the console is served from the same origin.
    const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
    if (origins.length) app.enableCors({ origin: origins, credentials: true, allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token'] });
    app.use(['/wecom', '/dingtalk'], callbackMetrics());
    // Platform callbacks are read as raw text (signatures cover the exact bytes); the admin API is JSON.
    app.use(['/wecom'], express.text({ type: () => true, limit: config.CALLBACK_MAX_BYTES }));
    // Excel imports (.xlsx) are read as raw bytes and parsed in the gateway (exceljs).
    app.use(['/api/leads/import', '/api/members/import'], express.raw({ type: () => true, limit: '5mb' }));
    app.use('/api', express.json({ limit: '256kb' }), limitJsonDepth);
    app.use(bodyParserErrors);
    app.use('/console', consoleStatic(consoleDistDir()));
    SwaggerModule.setup('api/docs', app, () => adminApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  },
});
