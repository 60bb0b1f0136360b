// The sandbox delivers its webhooks over real HTTP to the service's own /webhooks/stripe,
// signed as Stripe signs them, and retries until they are acknowledged.
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { createCoreDeps, createHttpServer, createPool, systemClock, type Pool } from '@azora/service-kit';
import { createTestDatabase, createTestIdentities, waitFor, type TestDatabase } from '@azora/testing';
import { createPayRuntime, type PayRuntime } from '../src/app';
import { SERVICE, configSchema } from '../src/config';

describe("the sandbox's webhook deliveries", () => {
  let db: TestDatabase;
  let pool: Pool;
  let pay: PayRuntime;
  let server: Server;
  let front: Server;
  const identities = createTestIdentities();
  const stopping = new AbortController();
  /** Refusals the front door answers before letting deliveries through to Pay. */
  let refusals = 0;
  const attempts: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 8 });
    const deps = createCoreDeps({
      service: SERVICE.name,
      pool,
      users: identities.verifier,
      clock: systemClock,
      stopping: stopping.signal,
    });
    const config = configSchema().parse({
      DATABASE_URL: db.urlFor(SERVICE.schema),
      PAY_SANDBOX_WEBHOOK_RETRY_MS: '20',
      PAY_RECONCILE_INTERVAL_MS: '3600000',
    });
    pay = createPayRuntime(deps, config);
    server = createHttpServer(pay.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    // A front door that refuses the first deliveries, as a service restarting would.
    const door = express();
    door.post('/webhooks/stripe', (req, res, next) => {
      attempts.push(String(req.headers['stripe-signature']));
      if (refusals > 0) {
        refusals -= 1;
        res.status(503).end();
        return;
      }
      next();
    });
    door.use((req, res) => {
      const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.originalUrl}`;
      req.pipe(
        http.request(target, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }),
      );
    });
    front = createHttpServer(door);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
    pay.sandboxWebhooks!.setTarget(`http://127.0.0.1:${(front.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    stopping.abort();
    await pay.sandboxWebhooks!.idle();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.end();
    await db.drop();
  });

  it('When a payment is confirmed, then its webhook reaches /webhooks/stripe signed, after refusals are retried', async () => {
    const buyer = await identities.user();
    const checkout = await request(pay.app).post('/checkout').set(buyer.auth).send({ purpose: 'tokens', amount: 100 });
    await pay.sandboxWebhooks!.idle();
    refusals = 2;
    attempts.splice(0);

    await request(pay.app)
      .post(`/payments/${checkout.body.paymentId}/confirm`)
      .set(buyer.auth)
      .send({ paymentMethod: 'pm_card_visa' });
    await pay.sandboxWebhooks!.idle();

    expect(attempts.length).toBe(3);
    expect(attempts.every((a) => /^t=\d+,v1=[0-9a-f]{64}$/.test(a))).toBe(true);
    await waitFor(async () => {
      const { rows } = await pool.query(
        `SELECT type, outcome FROM provider_events WHERE payment_id = $1 AND type = 'payment_intent.succeeded'`,
        [checkout.body.paymentId],
      );
      expect(rows).toEqual([{ type: 'payment_intent.succeeded', outcome: 'applied' }]);
    });
  });
});
