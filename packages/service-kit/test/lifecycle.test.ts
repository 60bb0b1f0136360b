// Lifecycle: stop() lets in-flight requests finish, then runs the close hooks, and refuses new connections.
import http from 'node:http';
import net from 'node:net';
import express from 'express';
import { sleep, startServer, type RunningServer } from '../src';

const RESPONSE_DELAY_MS = 300;
// Holds idle connections open for as long as the server allows, as a proxy or browser would.
const keepAliveAgent = new http.Agent({ keepAlive: true });
// Longer than Jest's test timeout: a stop() that waited for it would fail the test.
const PATIENT_SHUTDOWN_MS = 60_000;

afterAll(() => keepAliveAgent.destroy());

/** An app whose /slow route tells when a request has arrived, then answers after a delay. */
function slowApp(events: string[]) {
  let arrived: () => void = () => undefined;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const app = express().get('/slow', (_req, res) => {
    arrived();
    setTimeout(() => {
      res.on('finish', () => events.push('response finished'));
      res.send('done');
    }, RESPONSE_DELAY_MS);
  });
  return { app, requestArrived };
}

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
}

function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: keepAliveAgent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
      .once('error', reject);
  });
}

/** Resolves with the error code of a TCP connection attempt, or 'connected'. */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('startServer', () => {
  let running: RunningServer | undefined;

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('When started on port 0, then it listens on a free port and serves', async () => {
    // Arrange
    const { app } = slowApp([]);
    const hello = express()
      .get('/hello', (_req, res) => res.send('hi'))
      .use(app);

    // Act
    running = await startServer({ app: hello, port: 0 });

    // Assert
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    await expect(get(`${running.url}/hello`)).resolves.toMatchObject({ status: 200, body: 'hi' });
  });

  it('When the port is taken, then starting fails naming the port', async () => {
    // Arrange
    running = await startServer({ app: express(), port: 0 });

    // Act
    const second = startServer({ app: express(), port: running.port });

    // Assert
    await expect(second).rejects.toThrow(`port ${running.port} on 127.0.0.1 is already in use`);
  });

  it('When stopped with a request in flight, then it completes, then the close hooks run, then connections are refused', async () => {
    // Arrange
    const events: string[] = [];
    const { app, requestArrived } = slowApp(events);
    const server = await startServer({
      app,
      port: 0,
      shutdownTimeoutMs: PATIENT_SHUTDOWN_MS,
      onClose: [() => void events.push('first hook'), async () => void events.push('second hook')],
    });
    const inFlight = get(`${server.url}/slow`);
    await requestArrived;

    // Act
    const stopped = server.stop();
    const answer = await inFlight;
    await stopped;

    // Assert
    expect(answer).toEqual({ status: 200, body: 'done', connection: 'close' });
    expect(events).toEqual(['response finished', 'first hook', 'second hook']);
    await expect(connectOutcome(server.port)).resolves.toBe('ECONNREFUSED');
  });

  it('When stopped while a response is streaming, then its keep-alive connection is closed once it ends', async () => {
    // Arrange: the headers are already out, so Connection: close can no longer be sent.
    let arrived: (res: express.Response) => void = () => undefined;
    const streaming = new Promise<express.Response>((resolve) => (arrived = resolve));
    const app = express().get('/stream', (_req, res) => {
      res.write('part 1, ');
      arrived(res);
    });
    const server = await startServer({ app, port: 0, shutdownTimeoutMs: PATIENT_SHUTDOWN_MS });
    const inFlight = get(`${server.url}/stream`);
    const res = await streaming;

    // Act
    const stopped = server.stop();
    res.end('part 2');
    const answer = await inFlight;
    await stopped;

    // Assert
    expect(answer).toMatchObject({ status: 200, body: 'part 1, part 2' });
    await expect(connectOutcome(server.port)).resolves.toBe('ECONNREFUSED');
  });

  it('When stop is called twice, then the close hooks run once', async () => {
    // Arrange
    let closes = 0;
    const server = await startServer({ app: express(), port: 0, onClose: [() => void closes++] });

    // Act
    await Promise.all([server.stop(), server.stop()]);

    // Assert
    expect(closes).toBe(1);
  });

  it('When in-flight requests outlast the shutdown timeout, then their connections are closed and the hooks still run', async () => {
    // Arrange
    const events: string[] = [];
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const app = express().get('/never', () => arrived());
    const server = await startServer({
      app,
      port: 0,
      shutdownTimeoutMs: 50,
      onClose: [() => void events.push('hook')],
    });
    const inFlight = get(`${server.url}/never`);
    await requestArrived;

    // Act
    await server.stop();

    // Assert
    await expect(inFlight).rejects.toThrow(/socket hang up/);
    expect(events).toEqual(['hook']);
  });
});

describe('sleep', () => {
  afterEach(() => jest.useRealTimers());

  it('When its signal aborts, then the wait ends without its timer having fired', async () => {
    // Arrange: with fake timers, only the abort can end the wait.
    jest.useFakeTimers();
    const stopping = new AbortController();
    let ended = false;

    // Act
    const waited = sleep(60_000, stopping.signal).then(() => (ended = true));
    stopping.abort();
    await waited;

    // Assert
    expect(ended).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
