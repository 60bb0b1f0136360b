// Server-Sent Events responses over a real HTTP server on 127.0.0.1: what a client reads (headers,
// opening lines, frames, heartbeats), Last-Event-ID, how a stream ends (the client leaves, the
// service stops), and what a client that stops reading costs the process.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import { errorHandler, lastEventIdOf, openEventStream, type EventStream, type EventStreamOptions } from '../src';
import { connect } from './support/sse-client';

interface Opened {
  res: Response;
  stream: EventStream;
}

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An app whose GET /stream opens an event stream with `options` and hands it to the test. */
async function serve(options: Partial<EventStreamOptions> = {}) {
  const stopping = new AbortController();
  let open: (opened: Opened) => void = () => undefined;
  const opened = new Promise<Opened>((resolve) => (open = resolve));
  const app = express()
    .get('/stream', (_req, res) => {
      open({ res, stream: openEventStream(res, { stopping: stopping.signal, heartbeatMs: 60_000, ...options }) });
    })
    .get('/last-event-id', (req, res) => {
      res.json({ lastEventId: lastEventIdOf(req) ?? null });
    })
    .use(errorHandler);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, stopping, opened };
}

/**
 * Resolves with `progress()` once it stops moving: unchanged over many turns of the event loop, in
 * which a socket with room would have drained. Resolving early only makes the test easier.
 */
function stuck(progress: () => number): Promise<number> {
  return new Promise((resolve) => {
    let last = -1;
    let still = 0;
    const look = () => {
      const now = progress();
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= 200) resolve(now);
      else setImmediate(look);
    };
    look();
  });
}

describe('openEventStream', () => {
  it('When frames are sent, then the client reads an unbuffered event stream of id/event/data frames', async () => {
    // Arrange
    const { url, opened } = await serve({ hello: 'events after 41', retryMs: 1_500 });
    const client = await connect(`${url}/stream`);
    const { stream } = await opened;
    const lines = { text: 'one\ntwo\r\nthree\rfour', quote: '"' };

    // Act
    await stream.send({ id: 42, event: 'note.created', data: lines });
    await stream.send({ event: 'start', data: null });
    await client.until(() => client.frames.length === 2);

    // Assert
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.headers['cache-control']).toBe('no-cache, no-transform');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.headers['content-encoding']).toBeUndefined();
    expect(client.text().startsWith('retry: 1500\n: events after 41\n\n')).toBe(true);
    expect(client.frames[0]).toEqual({ id: '42', event: 'note.created', data: JSON.stringify(lines) });
    expect(JSON.parse(client.frames[0]?.data ?? '')).toEqual(lines);
    expect(client.frames[1]).toEqual({ event: 'start', data: 'null' });
    client.close();
  });

  it('When an event name holds a line break, then the frame is refused', async () => {
    const { url, opened } = await serve();
    const client = await connect(`${url}/stream`);
    const { stream } = await opened;

    await expect(stream.send({ event: 'a\ndata: forged', data: 1 })).rejects.toThrow(TypeError);
    client.close();
  });

  it('When the stream is idle, then a heartbeat comment comes every interval and the route is called on it', async () => {
    // Arrange
    let beats = 0;
    const { url } = await serve({ heartbeatMs: 10, onHeartbeat: () => beats++ });

    // Act
    const client = await connect(`${url}/stream`);
    await client.until(() => client.comments.filter((c) => c === 'heartbeat').length >= 2);

    // Assert
    expect(beats).toBeGreaterThanOrEqual(2);
    expect(client.frames).toEqual([]);
    client.close();
  });

  it('When the client goes away, then the stream ends: its signal aborts and sends write nothing', async () => {
    // Arrange
    const { url, opened } = await serve();
    const client = await connect(`${url}/stream`);
    const { res, stream } = await opened;

    // Act
    client.close();
    await stream.closed;

    // Assert
    expect(stream.signal.aborted).toBe(true);
    await expect(stream.send({ id: 1, event: 'late', data: {} })).resolves.toBeUndefined();
    expect(res.destroyed).toBe(true);
  });

  it('When the service is stopping, then the response ends cleanly after what was sent', async () => {
    // Arrange
    const { url, stopping, opened } = await serve();
    const client = await connect(`${url}/stream`);
    const { stream } = await opened;
    await stream.send({ id: 1, event: 'last', data: 'bye' });

    // Act
    stopping.abort();

    // Assert
    await expect(client.ended).resolves.toBe('end');
    await stream.closed;
    expect(client.frames).toEqual([{ id: '1', event: 'last', data: '"bye"' }]);
  });

  it('When the service is already stopping as a stream opens, then it ends after the opening lines', async () => {
    const { url, stopping } = await serve();
    stopping.abort();

    const client = await connect(`${url}/stream`);

    await expect(client.ended).resolves.toBe('end');
    expect(client.text()).toBe('retry: 2000\n\n');
  });

  it('When the client stops reading, then awaited sends wait for it, hold at most one frame, and resume in order', async () => {
    // Arrange
    const { url, opened } = await serve();
    const client = await connect(`${url}/stream`);
    const { res, stream } = await opened;
    client.pause();
    const pad = 'x'.repeat(64 * 1024);
    const frames = 256; // 16 MiB: more than the kernel's buffers take for a client that reads nothing

    // Act: send every frame, waiting on each; the client reads again once the sender is stuck.
    let sent = 0;
    let mostBuffered = 0;
    const sending = (async () => {
      for (; sent < frames; sent++) {
        mostBuffered = Math.max(mostBuffered, res.writableLength);
        await stream.send({ id: sent, event: 'chunk', data: { n: sent, pad } });
      }
    })();
    const sentWhileStuck = await stuck(() => sent);
    client.resume();
    await sending;
    await client.until(() => client.frames.length === frames);

    // Assert
    expect(sentWhileStuck).toBeLessThan(frames);
    expect(mostBuffered).toBeLessThanOrEqual(res.writableHighWaterMark);
    expect(client.frames.map((f) => Number(f.id))).toEqual([...Array(frames).keys()]);
    client.close();
  });

  it('When sends outrun a client that stops reading, then past the bound its connection is cut and the buffer freed', async () => {
    // Arrange
    const maxBufferedBytes = 256 * 1024;
    const { url, opened } = await serve({ maxBufferedBytes });
    const client = await connect(`${url}/stream`);
    const { res, stream } = await opened;
    client.pause();
    const pad = 'x'.repeat(16 * 1024);

    // Act: frames written without waiting for the client.
    let mostBuffered = 0;
    for (let n = 0; n < 10_000 && !stream.signal.aborted; n++) {
      void stream.send({ id: n, event: 'chunk', data: { n, pad } });
      mostBuffered = Math.max(mostBuffered, res.writableLength);
    }
    await stream.closed;
    client.resume();

    // Assert
    expect(stream.signal.aborted).toBe(true);
    expect(res.destroyed).toBe(true);
    expect(mostBuffered).toBeLessThanOrEqual(maxBufferedBytes + pad.length + 100);
    await expect(client.ended).resolves.toBe('cut');
  });
});

describe('lastEventIdOf', () => {
  it('When a client reconnects with Last-Event-ID, then the route reads it as a number, and none when absent', async () => {
    const { url } = await serve();

    const resumed = await fetch(`${url}/last-event-id`, { headers: { 'last-event-id': '41' } });
    const fresh = await fetch(`${url}/last-event-id`);

    expect(await resumed.json()).toEqual({ lastEventId: 41 });
    expect(await fresh.json()).toEqual({ lastEventId: null });
  });

  it('When Last-Event-ID is not a non-negative integer, then it answers 400 naming the header', async () => {
    const { url } = await serve();

    for (const bad of ['abc', '-1', '1.5']) {
      const res = await fetch(`${url}/last-event-id`, { headers: { 'last-event-id': bad } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { issues: unknown }).issues).toEqual([
        expect.objectContaining({ path: 'headers.last-event-id' }),
      ]);
    }
  });
});
