import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { gatewayConfigSchema } from '../config';
import { GatewayModule } from '../gateway.module';
import { adminApiDocument } from '../openapi';
import { undocumentedOperations } from '../openapi-supplement';

/**
 * Writes the admin API's OpenAPI document without starting anything: the module graph is built in
 * Nest's preview mode (no provider is instantiated, so no NATS, database or port is touched).
 * The config holds placeholders only; the document does not depend on any value.
 * Usage: node -r ./scripts/paths.js dist/apps/bot-gateway/src/cli/write-openapi.js <out.json>
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  // A flag in its place (e.g. a jest option passed on) would otherwise become a file named like it.
  if (!out || out.startsWith('-')) throw new Error('usage: write-openapi <out.json>');
  const config = gatewayConfigSchema.parse({ ADMIN_TOKEN: 'placeholder-not-a-secret' });
  const app = await NestFactory.create(GatewayModule.register(config) as never, { preview: true, logger: false, abortOnError: false });
  const doc = adminApiDocument(app);
  const missing = undocumentedOperations(doc);
  if (missing.length) throw new Error(`the OpenAPI document leaves operations undescribed:\n${missing.join('\n')}`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
  console.log(`OpenAPI document: ${Object.keys(doc.paths).length} paths -> ${out}`);
}

// Only when run: the gateway's route-coverage spec loads every source file of the gateway.
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
