// The service-to-service HTTP client: answers with status and body, reuses connections, and
// names timeouts, aborts and refused connections the way callers tell them apart.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@azora/test-database';
import { MAX_ANSWER_CHARS, createHttpClient, type HttpClient } from '../src';

interface Peer {
  url: string;
  /** The client port of each request received, in order. */
  clientPorts: number[];
  bodies: string[];
  close(): Promise<void>;
}

async function startPeer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<Peer> {
  const clientPorts: number[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      clientPorts.push(req.socket.remotePort ?? 0);
      bodies.push(body);
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientPorts,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('createHttpClient', () => {
  let client: HttpClient;
  let peer: Peer | undefined;

  beforeEach(() => {
    client = createHttpClient();
  });

  afterEach(async () => {
    client.close();
    await peer?.close();
    peer = undefined;
  });

  it('When a JSON body is posted, then the peer receives it with its length and the answer comes back whole', async () => {
    // Arrange
    peer = await startPeer((req, res, body) => {
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ length: req.headers['content-length'], echoed: JSON.parse(body) as unknown }));
    });
    const body = JSON.stringify({ events: ['é', 'x'.repeat(70_000)] });

    // Act
    const answer = await client.call(`${peer.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      timeoutMs: 5_000,
    });

    // Assert
    expect(answer).toMatchObject({ status: 201, ok: true });
    expect(JSON.parse(answer.text)).toEqual({ length: String(Buffer.byteLength(body)), echoed: JSON.parse(body) });
  });

  it('When calls follow one another, then they share one kept-alive connection', async () => {
    // Arrange
    peer = await startPeer((_req, res) => res.end('ok'));

    // Act
    for (let i = 0; i < 3; i += 1) await client.call(peer.url, { method: 'GET', timeoutMs: 5_000 });

    // Assert
    expect(peer.clientPorts).toHaveLength(3);
    expect(new Set(peer.clientPorts).size).toBe(1);
  });

  it("When a kept-alive connection sits idle, then the client closes it before the server's advertised timeout", async () => {
    // Arrange: the server announces Keep-Alive: timeout=2 and would close at 2 s itself.
    const server = http.createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 2_000;
    const closedBy = new Promise<'client' | 'server'>((resolve) => {
      server.on('connection', (socket) => {
        let clientEnded = false;
        socket.on('end', () => (clientEnded = true));
        socket.on('close', () => resolve(clientEnded ? 'client' : 'server'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      // Act
      await client.call(url, { method: 'GET', timeoutMs: 5_000 });

      // Assert
      await expect(closedBy).resolves.toBe('client');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('When the peer answers a non-2xx, then the status, headers and body are given, not thrown', async () => {
    // Arrange
    peer = await startPeer((_req, res) => res.writeHead(503, { 'retry-after': '2' }).end('draining'));

    // Act
    const answer = await client.call(peer.url, { method: 'POST', body: '{}', timeoutMs: 5_000 });

    // Assert
    expect(answer).toMatchObject({ status: 503, ok: false, text: 'draining' });
    expect(answer.headers['retry-after']).toBe('2');
  });

  it('When the answer is larger than the limit, then the text stops at the limit', async () => {
    // Arrange
    peer = await startPeer((_req, res) => res.end('y'.repeat(MAX_ANSWER_CHARS + 10)));

    // Act
    const answer = await client.call(peer.url, { method: 'GET', timeoutMs: 5_000 });

    // Assert
    expect(answer.text).toHaveLength(MAX_ANSWER_CHARS);
  });

  it('When the peer does not answer in time, then the call fails as a TimeoutError naming the limit', async () => {
    // Arrange
    peer = await startPeer(() => undefined);

    // Act
    const call = client.call(peer.url, { method: 'GET', timeoutMs: 100 });

    // Assert
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError', message: 'no answer within 100 ms' });
  });

  it('When the caller aborts, then the call fails as an AbortError at once', async () => {
    // Arrange
    peer = await startPeer(() => undefined);
    const controller = new AbortController();

    // Act
    const call = client.call(peer.url, { method: 'GET', timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);

    // Assert
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await expect(
      client.call(peer.url, { method: 'GET', timeoutMs: 60_000, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('When nothing listens, then the call fails naming the refused connection', async () => {
    // Arrange
    const port = await freePort();

    // Act
    const call = client.call(`http://127.0.0.1:${port}/events`, { method: 'POST', body: '{}', timeoutMs: 5_000 });

    // Assert
    await expect(call).rejects.toMatchObject({
      name: 'HttpCallError',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('When the URL is not http or https, then the call is refused before connecting', async () => {
    // Act
    const call = client.call('ftp://127.0.0.1/file', { method: 'GET', timeoutMs: 5_000 });

    // Assert
    await expect(call).rejects.toMatchObject({ name: 'HttpCallError', message: 'unsupported protocol ftp:' });
  });
});
