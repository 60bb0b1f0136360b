// The service's OpenAPI document: generated from the contracts, it lists every AI route, and the
// reply stream is documented as text/event-stream.
import request from 'supertest';
import { startAiFamily, type Harness } from './support/harness';

describe('the OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAiFamily();
  });
  afterAll(() => h.close());

  it('When /openapi.json is asked, then every AI Family route is documented, streams as text/event-stream', async () => {
    const res = await request(h.app).get('/openapi.json');

    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /personas',
        'GET /usage',
        'POST /conversations',
        'GET /conversations',
        'GET /conversations/{id}',
        'DELETE /conversations/{id}',
        'GET /conversations/{id}/messages',
        'POST /conversations/{id}/messages',
        'GET /conversations/{id}/messages/{messageId}/stream',
        'POST /conversations/{id}/messages/{messageId}/cancel',
      ].sort(),
    );
    const send = res.body.paths['/conversations/{id}/messages'].post;
    expect(Object.keys(send.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(send.responses['201'].content)).toEqual(['application/json']);
    expect(res.body.paths['/personas'].get.security).toEqual([]);
  });
});
