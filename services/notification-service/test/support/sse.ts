// Reading a live Server-Sent Events response frame by frame, as a browser tab would.
import http from 'node:http';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

export interface OpenStream {
  readonly status: number;
  readonly contentType: string;
  /** The next frame with data (comments and the retry line are skipped). */
  next(): Promise<SseFrame>;
  close(): void;
}

function parseFrame(block: string): SseFrame | null {
  const frame: SseFrame = {};
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
  }
  if (data.length === 0) return null;
  frame.data = data.join('\n');
  return frame;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const frames: SseFrame[] = [];
      const waiting: Array<(frame: SseFrame) => void> = [];
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (!frame) continue;
          const waiter = waiting.shift();
          if (waiter) waiter(frame);
          else frames.push(frame);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        next: () =>
          new Promise<SseFrame>((done, fail) => {
            const frame = frames.shift();
            if (frame) return done(frame);
            const timer = setTimeout(() => fail(new Error('no frame within 10 s')), 10_000);
            waiting.push((f) => {
              clearTimeout(timer);
              done(f);
            });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
