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
          access: { services: ['azora-forge'] },
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
        'PUT /api/auth/users/{id}/grants',
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

  it('When /docs is opened, then the page loads the reference renderer from the gateway itself and points it at /openapi.json', async () => {
    const res = await request(gateway.url).get('/docs');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const scripts = [...res.text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    const styles = [...res.text.matchAll(/<link[^>]*\shref="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(styles.length).toBeGreaterThan(0);
    for (const src of [...scripts, ...styles]) expect(src).toMatch(/^\/docs\//);
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const init = await Promise.all(scripts.map((src) => request(gateway.url).get(src)));
    expect(init.map((r) => r.text).join('\n')).toContain('/openapi.json');
  });

  it('When the page’s scripts and styles are fetched, then each comes with its content type', async () => {
    const page = await request(gateway.url).get('/docs');
    const assets = [...page.text.matchAll(/(?:src|href)="(\/docs\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);

    const answers = await Promise.all(assets.map((path) => request(gateway.url).get(path)));

    for (const [n, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(assets[n]!.endsWith('.css') ? /^text\/css/ : /javascript/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('When /docs is served, then nothing on it refers to another host and its CSP allows only the gateway itself', async () => {
    const page = await request(gateway.url).get('/docs');
    const initScripts = [...page.text.matchAll(/src="(\/docs\/[^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((src) => !src.includes('swagger-ui'));
    const ownCode = [
      page.text,
      ...(await Promise.all(initScripts.map((s) => request(gateway.url).get(s)))).map((r) => r.text),
    ];

    for (const text of ownCode) expect(text).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('When an asset that is not part of the page is asked for, then 404', async () => {
    const res = await request(gateway.url).get('/docs/assets/index.html');

    expect(res.status).toBe(404);
  });
});
