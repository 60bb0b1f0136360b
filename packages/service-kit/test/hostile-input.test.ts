// Hostile input is normal input: odd bytes, odd encodings and odd query shapes get a 400 naming
// the field, decided once for every declared endpoint, and a database that is down is a 503.
import request from 'supertest';
import { z } from 'zod';
import { createServiceApp } from '../src/app';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';

const Note = z.object({ title: z.string().min(1), tags: z.array(z.string()).default([]) });
let databaseError: Error & { code?: string } = new Error('unset');

const app = createServiceApp({
  service: 'azora-education',
  version: '1.0.0',
  logger: createLogger({ service: 't', level: 'silent' }),
  metrics: createMetrics({ service: 't', defaultMetrics: false }),
  checks: [],
  routes: (router, api) => {
    api.endpoint(
      {
        method: 'post',
        path: '/notes/:id',
        summary: 'Write a note',
        access: 'public',
        params: z.object({ id: z.string() }),
        query: z.object({ limit: z.coerce.number().int().optional(), q: z.string().optional() }),
        body: Note,
        responses: { 201: Note },
      },
      ({ body }, _req, res) => {
        res.status(201).json(body);
      },
    );
    api.endpoint(
      {
        method: 'get',
        path: '/notes/:id',
        summary: 'Read a note',
        access: 'public',
        params: z.object({ id: z.uuid() }),
        responses: { 200: Note },
      },
      (_input, _req, res) => {
        res.json({ title: 'x', tags: [] });
      },
    );
    router.get('/database', () => {
      throw databaseError;
    });
  },
});

describe('hostile input', () => {
  it('When a text field holds a NUL character, then it answers 400 naming that field', async () => {
    // Act
    const res = await request(app)
      .post('/notes/a')
      .send({ title: 'bad\u0000title', tags: ['ok', 'b\u0000d'] });

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['body.title', 'body.tags.1']);
  });

  it('When a query value or a path id holds a NUL character, then it answers 400 naming it', async () => {
    // Act
    const query = await request(app).post('/notes/a?q=%00').send({ title: 't' });
    const path = await request(app).post('/notes/a%00b').send({ title: 't' });

    // Assert
    expect(query.status).toBe(400);
    expect(query.body.issues[0].path).toBe('query.q');
    expect(path.status).toBe(400);
    expect(path.body.issues[0].path).toBe('params.id');
  });

  it('When a path id has a malformed percent-encoding, then it answers 400 naming the parameter, not 500', async () => {
    // Act
    const res = await request(app).get('/notes/%E0%A4%A');

    // Assert
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('request.validation_failed');
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('When an undeclared path has a malformed percent-encoding, then it answers 404 like any unknown path, not 500', async () => {
    // Act
    const res = await request(app).get('/elsewhere/%E0%A4%A');

    // Assert
    expect(res.status).toBe(404);
  });

  it.each([
    ['limit[]=1&limit[]=2', 'query.limit'],
    ['limit=1&limit=2', 'query.limit'],
    ['limit[gt]=1', 'query.limit'],
  ])('When the query is %s, then it answers 400 naming %s', async (query, path) => {
    // Act
    const res = await request(app).post(`/notes/a?${query}`).send({ title: 't' });

    // Assert
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ path })]);
  });

  it('When the input is ordinary, then the handler answers', async () => {
    // Act
    const res = await request(app)
      .post('/notes/a?limit=3&q=x')
      .send({ title: 'fine', tags: ['a'] });

    // Assert
    expect(res.status).toBe(201);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'a server shutting down',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
  ])('When the database is unreachable (%s), then it answers 503 with Retry-After, not 500', async (_name, error) => {
    // Arrange
    databaseError = error;

    // Act
    const res = await request(app).get('/database');

    // Assert
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service.dependency_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).not.toContain('ECONNREFUSED');
  });
});
