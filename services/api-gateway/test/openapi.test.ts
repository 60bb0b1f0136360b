import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { z } from 'zod';
import { createLogger, createMetrics, createServiceApp, startServer, type RunningServer } from '@azora/service-kit';
import { startGateway, type TestGateway } from './support/gateway';
import { closedPortUrl, upstream } from './support/upstreams';

const Course = z.object({ id: z.uuid(), title: z.string() });

/** A service with declared endpoints, like every Azora service: its /openapi.json is generated. */
async function startDocumentedService(): Promise<RunningServer> {
  const app = createServiceApp({
    service: 'fake-education',
    version: '1.0.0',
    logger: createLogger({ service: 'fake-education', level: 'silent' }),
    metrics: createMetrics({ service: 'fake-education', defaultMetrics: false }),
    checks: [],
    routes: (_router, api) => {
      const noop = () => undefined;
      api.endpoint(
        {
          method: 'get',
          path: '/courses',
          summary: 'List courses',
          access: 'public',
          query: z.object({ q: z.string().optional() }),
          responses: { 200: z.array(Course) },
        },
        noop,
      );
      api.endpoint(
        {
          method: 'get',
          path: '/courses/:id',
          summary: 'One course',
          access: 'public',
          params: z.object({ id: z.uuid() }),
          responses: { 200: Course },
        },
        noop,
      );
      api.endpoint(
        {
          method: 'post',
          path: '/courses',
          summary: 'Create a course',
          access: ['instructor'],
          body: z.object({ title: z.string() }),
          responses: { 201: Course },
        },
        noop,
      );
      // Declared without a params schema: the merged document still names the path parameter.
      api.endpoint(
        {
          method: 'post',
          path: '/courses/:id/publish',
          summary: 'Publish',
          access: ['instructor'],
          responses: { 204: null },
        },
        noop,
      );
      api.endpoint(
        { method: 'get', path: '/', summary: 'The root', access: 'user', responses: { 200: z.object({}) } },
        noop,
      );
      api.endpoint(
        {
          method: 'post',
          path: '/internal/grants',
          summary: 'Services only',
          access: 'service',
          responses: { 204: null },
        },
        noop,
      );
    },
  });
  return startServer({ app, port: 0 });
}

describe('The merged OpenAPI document and /docs', () => {
  let gateway: TestGateway;
  let education: RunningServer;

  beforeAll(async () => {
    education = await startDocumentedService();
    gateway = await startGateway({
      upstreams: [
        upstream('education', education.url, 'azora-education'),
        upstream('mint', await closedPortUrl(), 'azora-mint'),
      ],
    });
  });

  afterAll(async () => {
    await gateway.close();
    await education.stop();
  });

  it('When /openapi.json is fetched, then it validates as OpenAPI 3.1', async () => {
    const res = await request(gateway.url).get('/openapi.json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
  });

  it('When /openapi.json is fetched, then it lists every public route as a client calls it, and no service-only route', async () => {
    const { body } = await request(gateway.url).get('/openapi.json');
    const operations = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(operations.sort()).toEqual(
      [
        'GET /.well-known/jwks.json',
        'GET /api/auth/me',
        'GET /api/education',
        'GET /api/education/courses',
        'GET /api/education/courses/{id}',
        'GET /api/health',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'POST /api/auth/refresh',
        'POST /api/auth/register',
        'POST /api/education/courses',
        'POST /api/education/courses/{id}/publish',
      ].sort(),
    );
    expect(body.paths['/api/education/courses'].post['x-roles']).toEqual(['instructor']);
    expect(body.paths['/api/education/courses'].get.tags).toEqual(['Fake education']);
    expect(body.components.securitySchemes).not.toHaveProperty('serviceCredential');
    for (const [path, item] of Object.entries(
      body.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>,
    )) {
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item)) {
        expect((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(
          expect.arrayContaining(named),
        );
      }
    }
  });

  it('When a service is down, then the document is still served and says which service is missing', async () => {
    const { body } = await request(gateway.url).get('/openapi.json');

    expect(body['x-unavailable-services']).toEqual(['azora-mint']);
    expect(body.info.description).toContain('azora-mint');
  });

  it('When /docs is opened, then a self-contained page lists the routes, with no scripts and no external resources', async () => {
    const res = await request(gateway.url).get('/docs');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('/api/auth/register');
    expect(res.text).toContain('/api/education/courses/{id}');
    expect(res.text).not.toMatch(/<script|https?:\/\/(?!azora\.dev)/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });
});
