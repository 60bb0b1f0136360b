// A stand-in for Stripe's API on 127.0.0.1: records each request the SDK sends and answers
// what the test queued (or hangs up).
import express from 'express';
import { serveOnFreePort } from '@azora/testing';

export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** A stand-in for Stripe's API: records each request and answers what the test queued. */
export async function fakeStripe() {
  const seen: Seen[] = [];
  const answers: Array<{ status: number; body: unknown; headers?: Record<string, string> } | 'hang-up'> = [];
  const app = express();
  app.use(express.urlencoded({ extended: true }));
  app.use((req, res) => {
    seen.push({ method: req.method, path: req.path, headers: req.headers, body: req.body ?? {} });
    const answer = answers.shift() ?? {
      status: 500,
      body: { error: { type: 'api_error', message: 'nothing queued' } },
    };
    if (answer === 'hang-up') {
      req.socket.destroy();
      return;
    }
    res
      .status(answer.status)
      .set(answer.headers ?? {})
      .json(answer.body);
  });
  const { port, close } = await serveOnFreePort(app);
  return {
    port,
    seen,
    answer: (status: number, body: unknown, headers?: Record<string, string>) =>
      answers.push({ status, body, ...(headers ? { headers } : {}) }),
    hangUp: () => answers.push('hang-up'),
    close,
  };
}

export type FakeStripe = Awaited<ReturnType<typeof fakeStripe>>;

/** A PaymentIntent as Stripe answers it. */
export const intentBody = (over: Record<string, unknown> = {}) => ({
  id: 'pi_3Test',
  object: 'payment_intent',
  amount: 2500,
  currency: 'eur',
  client_secret: 'pi_3Test_secret_abc',
  status: 'requires_payment_method',
  metadata: { paymentId: '6f1c1c1e-0c1a-4c1a-9c1a-1c1a1c1a1c1a' },
  last_payment_error: null,
  ...over,
});
