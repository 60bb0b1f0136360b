// Errors: every failure leaves createServiceApp as problem+json carrying its code and request id.
import type { Express } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { DomainError, createLogger, createMetrics, createServiceApp, parseInput } from '../src';

const NewThing = z.object({ name: z.string().min(1), count: z.number().int().positive() });

function createApp(): Express {
  return createServiceApp({
    service: 't',
    version: '0.0.0',
    logger: createLogger({ service: 't', level: 'silent' }),
    metrics: createMetrics({ service: 't', defaultMetrics: false }),
    checks: [],
    bodyLimit: '1kb',
    routes: (router) => {
      router.post('/things', (req, res) => {
        const thing = parseInput(NewThing, req.body, 'body');
        res.status(201).json(thing);
      });
      router.put('/things/:id', () => {
        throw new DomainError('course.not_draft', 'A thing with this name already exists');
      });
      router.get('/explode', () => {
        throw new Error('secret internals');
      });
    },
  });
}

/** What every problem response shares: the status, the content type, and the request id. */
function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `https://azora.dev/problems/${code}` });
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
}

describe('problem+json from createServiceApp', () => {
  it('When a body is valid, then the route answers normally', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).post('/things').send({ name: 'lamp', count: 2 });

    // Assert
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'lamp', count: 2 });
  });

  it('When the body is not valid JSON, then it answers 400 request.malformed_json', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).post('/things').set('content-type', 'application/json').send('{"name": ');

    // Assert
    expectProblem(res, 400, 'request.malformed_json');
  });

  it('When the body fails the schema, then it answers 400 with issues whose paths start with body.', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).post('/things').send({ name: '', count: 1.5 });

    // Assert
    expectProblem(res, 400, 'request.validation_failed');
    expect(res.body.issues).toEqual([
      expect.objectContaining({ path: 'body.name', code: 'too_small' }),
      expect.objectContaining({ path: 'body.count', code: 'invalid_type' }),
    ]);
    expect(res.body.detail).toContain('body.name: ');
  });

  it('When no route matches, then it answers 404 route.not_found naming the method and path', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).get('/no/such/route');

    // Assert
    expectProblem(res, 404, 'route.not_found');
    expect(res.body.detail).toBe('No route for GET /no/such/route');
    expect(res.body.instance).toBe('/no/such/route');
  });

  it('When a route throws a DomainError, then the catalog status and title for its code, and its detail, are the response', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).put('/things/7').send({});

    // Assert
    expectProblem(res, 409, 'course.not_draft');
    expect(res.body).toMatchObject({
      title: 'Course already published',
      detail: 'A thing with this name already exists',
      instance: '/things/7',
    });
    expect(res.body.type).toBe('https://azora.dev/problems/course.not_draft');
  });

  it('When a route throws an unexpected error, then it answers 500 without the message or the stack', async () => {
    // Arrange
    const app = createApp();

    // Act
    const res = await request(app).get('/explode');

    // Assert
    expectProblem(res, 500, 'internal');
    expect(res.text).not.toContain('secret internals');
    expect(res.text).not.toMatch(/stack|at .*\.ts:\d+/);
    expect(Object.keys(res.body).sort()).toEqual([
      'code',
      'detail',
      'instance',
      'requestId',
      'status',
      'title',
      'type',
    ]);
  });

  it('When the body is larger than the bodyLimit, then it answers 413 request.body_too_large', async () => {
    // Arrange
    const app = createApp();
    const tooLarge = { name: 'x'.repeat(2048), count: 1 };

    // Act
    const res = await request(app).post('/things').send(tooLarge);

    // Assert
    expectProblem(res, 413, 'request.body_too_large');
  });
});
