// The service's OpenAPI document: generated from the contracts, it lists every Forge route.
import request from 'supertest';
import { startForge, type Harness } from './support/harness';

describe('the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startForge();
  });
  afterAll(() => h.close());

  it('When /openapi.json is asked, then every Forge route is documented with its access', async () => {
    const res = await request(h.app).get('/openapi.json');

    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /jobs',
        'GET /jobs',
        'GET /jobs/recommended',
        'GET /me/jobs',
        'GET /jobs/{id}',
        'POST /jobs/{id}/close',
        'POST /jobs/{id}/complete',
        'POST /jobs/{id}/applications',
        'GET /jobs/{id}/applications',
        'GET /me/applications',
        'GET /applications/{id}',
        'PATCH /applications/{id}',
        'GET /me/skills',
        'POST /employers/{userId}/verification',
        'GET /employers/{userId}/verification',
      ].sort(),
    );
    expect(res.body.paths['/jobs'].post['x-roles']).toEqual(['employer']);
    expect(res.body.paths['/jobs/{id}/applications'].post['x-roles']).toEqual(['student']);
    expect(res.body.paths['/employers/{userId}/verification'].post['x-roles']).toEqual(['admin']);
    expect(res.body.paths['/jobs'].post.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(res.body.paths['/jobs'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'skill', 'cursor', 'limit']),
    );
  });
});
