import type { OpenAPIObject } from '@nestjs/swagger';
import { completeAdminApiDocument, OPERATION_SUPPLEMENT, SUPPLEMENT_SCHEMAS, undocumentedOperations } from './openapi-supplement';

const bare = (): OpenAPIObject =>
  ({
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/leads': { get: { operationId: 'LeadsController_list', responses: { '200': { description: 'wrong: an array' } } } },
      '/api/schedules/{id}': { delete: { operationId: 'SchedulesController_remove', responses: { '200': { description: '' } } } },
      '/api/other': { get: { operationId: 'Other_get', responses: { '200': { description: '' } } } },
    },
    components: { schemas: { LeadView: { type: 'object' } } },
  }) as never;

describe('the OpenAPI supplement', () => {
  it('adds summaries and answer shapes, keeps what the controllers say, and names what is still undescribed', () => {
    const doc = completeAdminApiDocument(bare());
    const list = doc.paths['/api/leads'].get!;
    expect(list.summary).toContain('Search');
    expect((list.responses['200'] as any).content['application/json'].schema.properties.items).toEqual({ type: 'array', items: { $ref: '#/components/schemas/LeadView' } });
    expect(doc.paths['/api/schedules/{id}'].delete!.summary).toBe('Delete a schedule');
    expect(doc.components!.schemas!.LeadView).toEqual({ type: 'object' });
    expect(undocumentedOperations(doc)).toEqual(['GET /api/other: no summary', 'GET /api/other: no described answer']);
  });

  it('refers only to schemas that exist', () => {
    const text = JSON.stringify([OPERATION_SUPPLEMENT, SUPPLEMENT_SCHEMAS]);
    const refs = [...text.matchAll(/#\/components\/schemas\/(\w+)/g)].map((m) => m[1]);
    const known = new Set([...Object.keys(SUPPLEMENT_SCHEMAS), 'LeadView', 'InboxMessageView']);
    expect(refs.filter((r) => !known.has(r))).toEqual([]);
  });
});
