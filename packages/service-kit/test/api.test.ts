import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { z } from 'zod';
import { createServiceApp } from '../src/app';
import {
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  generateServiceKeys,
} from '../src/auth/service-credentials';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const { privateKeys, jwks } = generateServiceKeys(['azora-forge']);

const Lesson = z.object({ title: z.string().min(1), position: z.number().int().min(1) });

const app = createServiceApp({
  service: 'azora-education',
  version: '1.2.3',
  logger: createLogger({ service: 't', level: 'silent' }),
  metrics: createMetrics({ service: 't', defaultMetrics: false }),
  checks: [],
  serviceTokens: createServiceTokenVerifier({ jwks }),
  routes: (_router, api) => {
    api.endpoint(
      {
        method: 'post',
        path: '/courses/:id/lessons',
        summary: 'Add a lesson',
        access: 'public',
        params: z.object({ id: z.uuid() }),
        query: z.object({ notify: z.enum(['yes', 'no']).default('no') }),
        body: Lesson,
        responses: { 201: Lesson.extend({ id: z.uuid() }) },
      },
      ({ params, query, body }, _req, res) => {
        res.status(201).json({ ...body, id: params.id, notify: query.notify });
      },
    );
    api.endpoint(
      {
        method: 'get',
        path: '/stream',
        summary: 'A stream of lessons',
        access: 'public',
        responses: { 200: { contentType: 'text/event-stream', description: 'One event per lesson', schema: Lesson } },
      },
      (_input, _req, res) => {
        res.type('text/event-stream').send('data: {}\n\n');
      },
    );
    api.endpoint(
      {
        method: 'post',
        path: '/escrow',
        summary: 'Services only',
        access: { services: ['azora-forge'] },
        responses: { 204: null },
      },
      (_input, req, res) => {
        res.status(200).json(req.caller);
      },
    );
  },
});

describe('declared endpoints', () => {
  it('When the input is valid, then the handler gets it parsed, defaults applied', async () => {
    const id = randomUUID();
    const res = await request(app).post(`/courses/${id}/lessons`).send({ title: 'Intro', position: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ title: 'Intro', position: 1, id, notify: 'no' });
  });

  it('When params, query and body are all wrong, then one 400 names every bad field', async () => {
    const res = await request(app).post('/courses/nope/lessons?notify=maybe').send({ title: '', position: 1.5 });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'body.position',
      'body.title',
      'params.id',
      'query.notify',
    ]);
  });

  it('When a service route is called without a service credential, then 401; with one, the caller is known', async () => {
    expect((await request(app).post('/escrow')).status).toBe(401);
    const token = await createServiceTokenIssuer({
      service: 'azora-forge',
      privateKeyPem: privateKeys['azora-forge'] as string,
    }).token();
    const res = await request(app).post('/escrow').set('authorization', `Bearer ${token}`);
    expect(res.body).toEqual({ service: 'azora-forge' });
  });

  it('When /openapi.json is asked, then it documents each endpoint with its parameters, body, responses and security', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ openapi: '3.1.0', info: { title: 'azora-education API', version: '1.2.3' } });
    const operation = res.body.paths['/courses/{id}/lessons'].post;
    expect(operation.summary).toBe('Add a lesson');
    expect(operation.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
        expect.objectContaining({ name: 'notify', in: 'query', required: false }),
      ]),
    );
    expect(operation.requestBody.content['application/json'].schema.required).toEqual(['title', 'position']);
    expect(operation.responses['201']).toBeDefined();
    expect(operation.security).toEqual([]);
    expect(res.body.paths['/escrow'].post.security).toEqual([{ serviceCredential: [] }]);
  });

  it('When an endpoint answers something other than JSON, then its document names that media type', async () => {
    // Act
    const res = await request(app).get('/openapi.json');

    // Assert
    const ok = res.body.paths['/stream'].get.responses['200'];
    expect(ok.description).toBe('One event per lesson');
    expect(Object.keys(ok.content)).toEqual(['text/event-stream']);
    expect(ok.content['text/event-stream'].schema.required).toEqual(['title', 'position']);
  });
});
