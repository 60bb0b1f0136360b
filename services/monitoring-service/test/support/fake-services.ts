// Stand-ins for the ten services on 127.0.0.1, one port each: /ready answers as the test says
// (ready, 503 naming a failing check, slowly), /health gives a version, /metrics the text the
// test sets; stop() closes the port (connection refused) and start() opens it again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICES, serviceUrlVariable } from '@azora/contracts';

export interface Behaviour {
  ready: boolean;
  /** Checks named as failing in a 503. */
  failing: string[];
  delayMs: number;
  version: string;
  metrics: string;
}

export interface FakeService {
  readonly name: string;
  readonly url: string;
  set(behaviour: Partial<Behaviour>): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fakeService(name: string): Promise<FakeService> {
  const behaviour: Behaviour = { ready: true, failing: ['database'], delayMs: 0, version: '1.2.3', metrics: '' };
  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === '/ready') {
      if (behaviour.delayMs > 0) await sleep(behaviour.delayMs);
      const checks = behaviour.failing.map((check) => ({ name: check, status: 'failing', latencyMs: 1 }));
      res.writeHead(behaviour.ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(behaviour.ready ? { status: 'ready', service: name, checks: [] } : { status: 503, checks }),
      );
    } else if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', service: name, version: behaviour.version }));
    } else if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(behaviour.metrics);
    } else {
      res.writeHead(404).end();
    }
  };
  let server = http.createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    set: (next) => Object.assign(behaviour, next),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      server = http.createServer((req, res) => void answer(req, res));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}

export interface FakePlatform {
  readonly services: ReadonlyMap<string, FakeService>;
  get(name: string): FakeService;
  /** The `<NAME>_URL` variables that point monitoring at the fakes. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startFakePlatform(): Promise<FakePlatform> {
  const services = new Map((await Promise.all(SERVICES.map((s) => fakeService(s.name)))).map((f) => [f.name, f]));
  return {
    services,
    get(name) {
      const found = services.get(name);
      if (!found) throw new Error(`no fake ${name}`);
      return found;
    },
    env: () => Object.fromEntries([...services.values()].map((f) => [serviceUrlVariable(f.name), f.url])),
    async close() {
      await Promise.all([...services.values()].map((f) => f.stop().catch(() => undefined)));
    },
  };
}
