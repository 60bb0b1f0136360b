// Fake services for the proxy tests: plain node servers on 127.0.0.1 that echo, stream, stall,
// or count the connections they receive.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@azora/testing';
import type { Upstream } from '../../src/proxy/upstreams';

export interface FakeUpstream {
  url: string;
  /** Requests the server has received. */
  received: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  /** Paths of requests whose connection closed before their answer was complete. */
  cutOff: string[];
  /** Lets a stalled SSE stream finish. */
  release(): void;
  /** What GET /ready answers from now on: 200, or 503 (the service's database is down, say). */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/**
 * Routes: any POST answers its path, the body's length and SHA-256 (and the body as text when
 * small) and its signature header; GET /headers
 * answers the request's headers; GET /events streams one SSE event and holds the stream open
 * until release(); GET /slow never answers; /stuck never reads its body nor answers; GET /hop-by-hop answers with connection-level
 * headers of its own; GET /ready answers 200 or 503 (setReady); GET /openapi.json answers `document`
 * (or 404); anything else answers 200 {path}.
 * Listens on `port` when given (a service restarted where it was), else on a free one.
 */
export async function startFakeUpstream({
  port: wanted = 0,
  ready: readyAtStart = true,
  document,
}: {
  port?: number;
  ready?: boolean;
  /** What GET /openapi.json answers (the gateway reads it in the background; not counted in `received`). */
  document?: object;
} = {}): Promise<FakeUpstream> {
  const received: FakeUpstream['received'] = [];
  const cutOff: string[] = [];
  const waiting: (() => void)[] = [];
  let ready = readyAtStart;
  const server = http.createServer((req, res) => {
    if (req.url === '/openapi.json') {
      res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(document ?? {}));
      return;
    }
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.once('close', () => {
      if (!res.writableFinished) cutOff.push(req.url ?? '');
    });
    if (req.url === '/stuck') {
      // Takes no body at all and never answers: a service that has stopped reading.
      req.pause();
      waiting.push(() => res.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            path: req.url,
            length: body.length,
            sha256: createHash('sha256').update(body).digest('hex'),
            text: body.length < 10_000 ? body.toString('utf8') : null,
            signature: req.headers['stripe-signature'] ?? null,
            contentType: req.headers['content-type'] ?? null,
          }),
        );
      } else if (req.url === '/headers') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.headers));
      } else if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('event: token\ndata: {"text":"first"}\n\n');
        waiting.push(() => {
          res.write('event: done\ndata: {}\n\n');
          res.end();
        });
      } else if (req.url === '/slow') {
        waiting.push(() => res.destroy());
      } else if (req.url === '/ready') {
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ready }));
      } else if (req.url === '/hop-by-hop') {
        res.writeHead(200, {
          'content-type': 'application/json',
          connection: 'keep-alive, x-service-hop',
          'keep-alive': 'timeout=5',
          'x-service-hop': 'for the gateway only',
          'x-end-to-end': 'for the client',
        });
        res.end(JSON.stringify({ path: req.url }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path: req.url }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(wanted, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    cutOff,
    release: () => waiting.splice(0).forEach((f) => f()),
    setReady: (value) => {
      ready = value;
    },
    close: () =>
      new Promise((resolve) => {
        waiting.splice(0).forEach((f) => f());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens: connections are refused at once. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export function upstream(prefix: string, url: string, name = `fake-${prefix}`): Upstream {
  return { name, title: `Fake ${prefix}`, prefix, url };
}
