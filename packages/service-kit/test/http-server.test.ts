// The HTTP server of an Express app builds each request and response on the app's prototypes,
// so Express finds nothing to re-parent; everything Express offers keeps working.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHttpServer, serverOptionsFor } from '../src';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Whether each request and its response arrived on the given prototypes, before any listener ran. */
function watchPrototypes(server: http.Server, request: object, response: object): boolean[] {
  const seen: boolean[] = [];
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push(Object.getPrototypeOf(req) === request && Object.getPrototypeOf(res) === response);
  });
  return seen;
}

describe('createHttpServer', () => {
  let server: http.Server | undefined;

  afterEach(async () => {
    if (server) await close(server);
    server = undefined;
  });

  it("When an Express app is served, then its requests and responses are born on the app's prototypes", async () => {
    // Arrange
    const app = express().get('/who', (req, res) => {
      res.status(200).json({
        sameApp: req.app === app,
        header: req.get('x-probe'),
        query: req.query,
        isRequest: req instanceof http.IncomingMessage,
      });
    });
    server = createHttpServer(app);
    const seen = watchPrototypes(server, app.request, app.response);
    const url = await listen(server);

    // Act
    const res = await fetch(`${url}/who?x=1`, { headers: { 'x-probe': 'yes' } });

    // Assert
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ sameApp: true, header: 'yes', query: { x: '1' }, isRequest: true });
    expect(seen).toEqual([true]);
  });

  it('When a JSON body is posted, then it is read and parsed as on a plain server', async () => {
    // Arrange
    const app = express()
      .use(express.json())
      .post('/echo', (req, res) => {
        res.status(201).json({ got: req.body as unknown });
      });
    server = createHttpServer(app);
    const url = await listen(server);
    const body = { amount: 5, memo: 'x'.repeat(100_000) };

    // Act
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    // Assert
    expect(res.status).toBe(201);
    await expect(res.json()).resolves.toEqual({ got: body });
  });

  it("When a sub-app is mounted, then it sees its own app inside and the parent's after it", async () => {
    // Arrange
    const visited: { inner?: boolean; after?: boolean } = {};
    const inner = express().get('/inner', (req, _res, next) => {
      visited.inner = req.app === inner;
      next();
    });
    const app = express()
      .use('/sub', inner)
      .use((req, res) => {
        visited.after = req.app === app;
        res.send('ok');
      });
    server = createHttpServer(app);
    const url = await listen(server);

    // Act
    const res = await fetch(`${url}/sub/inner`);

    // Assert
    expect(await res.text()).toBe('ok');
    expect(visited).toEqual({ inner: true, after: true });
  });

  it('When the listener is not an Express app, then requests and responses are plain', async () => {
    // Arrange
    server = createHttpServer((_req, res) => res.end('plain'));
    const seen = watchPrototypes(server, http.IncomingMessage.prototype, http.ServerResponse.prototype);
    const url = await listen(server);

    // Act
    const res = await fetch(url);

    // Assert
    expect(await res.text()).toBe('plain');
    expect(seen).toEqual([true]);
    expect(serverOptionsFor(() => undefined)).toEqual({});
  });
});
