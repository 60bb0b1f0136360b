// Every failure is one AzoraApiError: problem responses with their fields, responses that are
// not problems, and requests that never got an answer (network, timeout, abort).
import { once } from 'node:events';
import { createServer } from 'node:net';
import { type AddressInfo } from 'node:net';
import { AzoraApiError, createAzoraClient, isAzoraApiError, paymentRequired } from '../src';
import { sendProblem, startFakeGateway, type FakeGateway } from './support/fake-gateway';
import { rejection } from './support/rejection';
import { newUser } from './support/users';

let gateway: FakeGateway;
let releaseHeld: () => void = () => undefined;
const held = new Promise<void>((resolve) => (releaseHeld = resolve));
const courseId = '3f1c1d0e-8a4b-4c1e-9d2a-7b6e5f4a3c21';

beforeAll(async () => {
  gateway = await startFakeGateway((app) => {
    app.post('/api/education/courses', (_req, res) => {
      const issues = [
        { path: 'body.title', message: 'Too small: expected string to have >=1 characters', code: 'too_small' },
        { path: 'body.currency', message: 'a three-letter ISO 4217 code such as "USD"', code: 'invalid_format' },
      ];
      sendProblem(res, 400, 'request.validation_failed', 'body.title: too small; body.currency: invalid', { issues });
    });
    app.post('/api/education/courses/:id/enroll', (req, res) => {
      sendProblem(res, 402, 'enrollment.payment_required', 'Course costs 1999 USD', {
        courseId: req.params.id,
        priceCents: 1999,
        currency: 'USD',
        checkout: { method: 'POST', href: '/api/pay/checkout', body: { purpose: 'course', courseId: req.params.id } },
      });
    });
    app.get('/api/education/courses/:id', (_req, res) => {
      // A problem without requestId in its body: the header supplies it.
      res
        .status(404)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://azora.dev/problems/course.not_found',
            title: 'Not Found',
            status: 404,
            code: 'course.not_found',
          }),
        );
    });
    app.post('/api/forge/jobs/:id/applications', (_req, res) => {
      // A code the catalog of this client does not have: what a newer server may answer.
      res
        .status(409)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://azora.dev/problems/forge.job_filled',
            title: 'Job already filled',
            status: 409,
            code: 'forge.job_filled',
            detail: 'Someone was hired',
            requestId: 'req-newer',
            hiredAt: '2030-01-01T00:00:00.000Z',
          }),
        );
    });
    app.get('/api/forge/jobs/recommended', (_req, res) => {
      res
        .status(404)
        .type('application/problem+json')
        .send(
          JSON.stringify({ type: 'x', title: 'Odd', status: 404, code: 'route.not_found', detail: 42, issues: 'no' }),
        );
    });
    app.get('/api/monitoring/status', (_req, res) => {
      res.status(502).type('text/html').send('<html><body>Bad gateway</body></html>');
    });
    app.get('/api/pay/payments', async (_req, res) => {
      await held;
      res.json([]);
    });
  });
});

afterAll(async () => {
  releaseHeld();
  await gateway.close();
});

test('When the API answers a validation problem, then the error carries its status, type, title, detail, code, issues and request id', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(
    client.education.createCourse(
      { title: '', description: 'x', priceCents: 0, currency: 'usd' },
      { headers: { 'x-request-id': 'req-123' } },
    ),
  );

  expect(error).toBeInstanceOf(AzoraApiError);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('AzoraApiError');
  expect(error).toMatchObject({
    status: 400,
    type: 'https://azora.dev/problems/request.validation_failed',
    title: 'Bad Request',
    detail: 'body.title: too small; body.currency: invalid',
    code: 'request.validation_failed',
    requestId: 'req-123',
  });
  expect(error.issues.map((i) => i.path)).toEqual(['body.title', 'body.currency']);
  expect(error.message).toBe('Bad Request: body.title: too small; body.currency: invalid');
  expect(isAzoraApiError(error)).toBe(true);
});

test('When the register body breaks the rules, then the issues name each field', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.auth.register(newUser({ email: 'not-an-email', password: 'short' })));

  expect(error.status).toBe(400);
  expect(new Set(error.issues.map((i) => i.path))).toEqual(new Set(['body.email', 'body.password']));
  expect(client.getTokens()).toEqual({ accessToken: null, refreshToken: null });
});

test('When a problem body has no requestId, then the x-request-id header supplies it', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.education.getCourse(courseId, { headers: { 'x-request-id': 'from-header-1' } }));

  expect(error).toMatchObject({ status: 404, code: 'course.not_found', requestId: 'from-header-1', detail: undefined });
});

test('When enrolment needs a payment, then paymentRequired reads the 402 problem', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.education.enroll(courseId));

  expect(error.status).toBe(402);
  expect(paymentRequired(error)).toEqual({
    code: 'enrollment.payment_required',
    courseId,
    priceCents: 1999,
    currency: 'USD',
    checkout: { method: 'POST', href: '/api/pay/checkout', body: { purpose: 'course', courseId } },
  });
  expect(paymentRequired(new Error('other'))).toBeUndefined();
});

test('When a newer server answers a code this client does not know, then the error keeps it with the whole problem', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.forge.apply(courseId, { coverLetter: 'hello' }));

  expect(error).toMatchObject({
    status: 409,
    code: 'forge.job_filled',
    title: 'Job already filled',
    detail: 'Someone was hired',
    requestId: 'req-newer',
  });
  expect(error.problem).toMatchObject({ code: 'forge.job_filled', hiredAt: '2030-01-01T00:00:00.000Z' });
});

test('When a problem has optional members of the wrong type, then they are left out and the rest is kept', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.forge.recommendedJobs());

  expect(error).toMatchObject({ status: 404, code: 'route.not_found', title: 'Odd', detail: undefined, issues: [] });
  expect(error.problem).not.toHaveProperty('detail');
  expect(error.problem).not.toHaveProperty('issues');
});

test('When the answer is not a problem, then the error has the HTTP status and type about:blank', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });

  const error = await rejection(client.monitoring.status());

  expect(error).toMatchObject({ status: 502, type: 'about:blank', code: 'client.unexpected_response' });
  expect(error.requestId).toEqual(expect.any(String));
});

test('When nothing listens at baseUrl, then the error has status 0 and a title naming the address', async () => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const client = createAzoraClient({ baseUrl: `http://127.0.0.1:${port}` });

  const error = await rejection(client.auth.me());

  expect(error).toMatchObject({ status: 0, type: 'about:blank', code: 'client.network_error' });
  expect(error.title).toContain(`http://127.0.0.1:${port}`);
});

test('When the server does not answer within timeoutMs, then the error says it timed out', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url, timeoutMs: 100 });

  const error = await rejection(client.pay.listPayments());

  expect(error).toMatchObject({ status: 0, type: 'about:blank', code: 'client.timeout' });
});

test('When the caller aborts, then the error says the request was aborted', async () => {
  const client = createAzoraClient({ baseUrl: gateway.url });
  const controller = new AbortController();

  const call = rejection(client.pay.listPayments(undefined, { signal: controller.signal }));
  controller.abort();
  const error = await call;

  expect(error).toMatchObject({ status: 0, code: 'client.aborted', title: 'The request was aborted' });
});

test.each([503, 429])(
  'When the refresh itself is answered %i, then the error is thrown and the tokens are kept for a later try',
  async (status) => {
    const failing = await startFakeGateway((app) => {
      app.post('/api/auth/refresh', (_req, res) =>
        res
          .status(status)
          .type('application/problem+json')
          .send(JSON.stringify({ type: 'about:blank', title: 'Try later', status })),
      );
    });
    const client = createAzoraClient({ baseUrl: failing.url });
    try {
      await client.auth.register(newUser());
      failing.expireAccessTokens();
      const tokens = client.getTokens();

      const error = await rejection(client.auth.me());

      expect(error.status).toBe(status);
      expect(client.getTokens()).toEqual(tokens);
    } finally {
      await failing.close();
    }
  },
);
