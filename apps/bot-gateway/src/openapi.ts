import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeAdminApiDocument } from './openapi-supplement';

/**
 * The admin API's OpenAPI document. One builder for the running gateway (`/api/docs-json`) and for
 * `npm run console:api`, which writes it without listening and generates the console's typed client.
 */
export function adminApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('招商引资助手 admin API')
    .setDescription(
      'The admin API of the console: accounts and sign-in, units, members, leads, scoring, schedules. Bearer token (ADMIN_TOKEN or a personal zsp_ token) or the zs_session cookie with X-CSRF-Token on writes.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addCookieAuth('zs_session')
    .build();
  return completeAdminApiDocument(SwaggerModule.createDocument(app, doc));
}
