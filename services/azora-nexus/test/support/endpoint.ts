// A subscriber's delivery endpoint for tests: a real HTTP server on 127.0.0.1 that verifies
// each delivery's signature with the subscription's secret and records what it accepted.
import type { RequestListener } from 'node:http';
import { DeliveryRequest, SIGNATURE_HEADER, type StoredEvent } from '@azora/contracts';
import { verifyDelivery } from '@azora/service-kit';
import { serveOnFreePort } from '@azora/testing';

export interface ReceivedDelivery {
  readonly body: DeliveryRequest;
  readonly status: number;
}

export interface TestEndpoint {
  readonly url: string;
  /** Every delivery that arrived, with the status it was answered. */
  readonly deliveries: ReceivedDelivery[];
  /** Events of the deliveries answered 2xx, in arrival order. */
  readonly accepted: StoredEvent[];
  readonly badSignatures: number;
  /** The secret signatures are checked with (from the subscription's registration). */
  secret: string | undefined;
  /** Decides the status of a delivery; 200 when unset. Awaited, so it can hold an answer back. */
  respond: ((body: DeliveryRequest) => number | Promise<number>) | undefined;
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<TestEndpoint> {
  let badSignatures = 0;
  const endpoint: TestEndpoint = {
    url: '',
    deliveries: [],
    accepted: [],
    get badSignatures() {
      return badSignatures;
    },
    secret: undefined,
    respond: undefined,
    close: async () => undefined,
  };
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const check = verifyDelivery(
          endpoint.secret ?? '',
          raw,
          req.headers[SIGNATURE_HEADER] as string | undefined,
          Math.floor(Date.now() / 1000),
        );
        const parsed = DeliveryRequest.safeParse(JSON.parse(raw.toString('utf8')));
        if (!check.ok || !parsed.success || req.headers['content-type'] !== 'application/json') {
          badSignatures += 1;
          res.writeHead(401).end();
          return;
        }
        const status = endpoint.respond ? await endpoint.respond(parsed.data) : 200;
        endpoint.deliveries.push({ body: parsed.data, status });
        if (status >= 200 && status < 300) endpoint.accepted.push(...parsed.data.events);
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ handled: parsed.data.events.length, duplicates: 0 }));
      })();
    });
  };
  const { url, close } = await serveOnFreePort(listener);
  Object.assign(endpoint, { url: `${url}/_nexus/deliveries`, close });
  return endpoint;
}

/** Answers every delivery 200, but holds the answer to the `nth` back until `release()`: an
 * attempt kept in flight while the test does something to Nexus. */
export function holdAnswer(endpoint: TestEndpoint, nth: number): { arrived: () => number; release: () => void } {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  endpoint.respond = async () => {
    arrived += 1;
    if (arrived === nth) await held;
    return 200;
  };
  return { arrived: () => arrived, release: () => release() };
}
