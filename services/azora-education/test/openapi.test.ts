// The service's OpenAPI document: generated from the contracts, it lists every Education route.
import request from 'supertest';
import { startEducation, type Harness } from './support/harness';

describe('the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEducation();
  });
  afterAll(() => h.close());

  it('When /openapi.json is asked, then every Education route is documented with its access', async () => {
    const res = await request(h.app).get('/openapi.json');

    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /courses',
        'GET /courses/{id}',
        'POST /courses',
        'PATCH /courses/{id}',
        'POST /courses/{id}/lessons',
        'PATCH /courses/{id}/lessons/{lessonId}',
        'POST /courses/{id}/publish',
        'POST /courses/{id}/enroll',
        'POST /courses/{id}/lessons/{lessonId}/complete',
        'GET /me/enrollments',
        'GET /courses/{id}/stats',
        'POST /courses/{id}/rewards',
        'GET /service/learners/{userId}/context',
        'GET /service/courses/{id}/content',
        'GET /service/published-courses',
      ].sort(),
    );
    expect(res.body.paths['/courses'].post['x-roles']).toEqual(['instructor']);
    expect(res.body.paths['/courses/{id}/rewards'].post['x-roles']).toEqual(['admin']);
    expect(res.body.paths['/service/learners/{userId}/context'].get.security).toEqual([{ serviceCredential: [] }]);
    expect(res.body.paths['/courses'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'skill', 'cursor', 'limit']),
    );
  });
});
