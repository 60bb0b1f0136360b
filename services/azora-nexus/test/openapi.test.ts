import request from 'supertest';
import { createCoreDeps, createPool } from '@azora/service-kit';
import { createApp } from '../src/app';

describe('GET /openapi.json', () => {
  // The document is built from the declarations: no database is reached.
  const pool = createPool({ connectionString: 'postgres://nobody@127.0.0.1:9/none', schema: 'nexus' });
  afterAll(() => pool.end());

  it('When the document is read, then it lists every route of Nexus, each for service credentials only', async () => {
    const res = await request(createApp(createCoreDeps({ service: 'azora-nexus', pool }))).get('/openapi.json');
    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths as Record<string, Record<string, { security: unknown }>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })),
    );
    expect(operations.map((o) => o.route).sort()).toEqual(
      [
        'post /events',
        'get /events',
        'get /stream',
        'post /subscriptions',
        'get /subscriptions',
        'delete /subscriptions/{id}',
        'get /dead-letters',
        'post /dead-letters/{id}/retry',
      ].sort(),
    );
    for (const { op } of operations) expect(op.security).toEqual([{ serviceCredential: [] }]);
    expect(res.body.paths['/stream'].get.description).toMatch(/text\/event-stream/);
  });
});
