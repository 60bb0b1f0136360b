// Asking Education for a course's price: over HTTP with Pay's service credential, a draft or
// unknown course is "not found", and an Education that is down is a 503, never a guess.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createHttpClient, createHttpServer, createServiceTokenIssuer, generateServiceKeys } from '@azora/service-kit';
import type { DomainError } from '@azora/service-kit';
import { createEducationCatalog } from '../src/clients/education-courses';

describe("Education's course catalogue", () => {
  const courseId = '3f0c7a52-9d1e-4c3b-8a55-0e2f1b7c9d10';
  const { privateKeys } = generateServiceKeys(['azora-pay']);
  const credentials = createServiceTokenIssuer({ service: 'azora-pay', privateKeyPem: privateKeys['azora-pay']! });
  let server: Server;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const seenAuth: Array<string | undefined> = [];
  const http = createHttpClient();
  let catalog: ReturnType<typeof createEducationCatalog>;

  beforeAll(async () => {
    const app = express();
    app.get('/courses/:id', (req, res) => {
      seenAuth.push(req.headers.authorization);
      res.status(answer.status).json(answer.body);
    });
    server = createHttpServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    catalog = createEducationCatalog({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      http,
      credentials,
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('When Education knows the course, then its price, currency and state come back, asked with a service credential', async () => {
    answer = {
      status: 200,
      body: { id: courseId, priceCents: 4900, currency: 'GBP', status: 'published', title: 'T', lessons: [] },
    };

    const offer = await catalog.offer(courseId);

    expect(offer).toEqual({ found: true, courseId, priceCents: 4900, currency: 'GBP', published: true });
    expect(seenAuth.at(-1)).toMatch(/^Bearer ey/);
  });

  it('When Education answers 404, then the course is not found', async () => {
    answer = { status: 404, body: { code: 'course.not_found' } };

    expect(await catalog.offer(courseId)).toEqual({ found: false });
  });

  it.each([
    [500, { code: 'internal' }],
    [200, { id: courseId, priceCents: 'free' }],
  ])('When Education answers %s with %j, then it is a 503 dependency problem', async (status, body) => {
    answer = { status, body };

    const failure = (await catalog.offer(courseId).catch((error: unknown) => error)) as DomainError;

    expect([failure.code, failure.status]).toEqual(['service.dependency_unavailable', 503]);
  });
});
