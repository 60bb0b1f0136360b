// A client for tests that reads a Server-Sent Events response as a browser's EventSource would:
// frame by frame, comments apart, and able to stop reading (pause) like a tab that falls behind.
import http from 'node:http';

export interface Frame {
  id?: string;
  event?: string;
  data: string;
}

/** A client reading the stream as a browser's EventSource would, frame by frame. */
export interface Client {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The first thousand or so characters read, for the opening lines. */
  readonly text: () => string;
  readonly frames: Frame[];
  readonly comments: string[];
  until(test: () => boolean): Promise<void>;
  /** How the response ended: completed, or its connection cut. */
  readonly ended: Promise<'end' | 'cut'>;
  pause(): void;
  resume(): void;
  close(): void;
}

export function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const frames: Frame[] = [];
      const comments: string[] = [];
      const waiters: Array<{ test: () => boolean; done: () => void }> = [];
      let text = '';
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 1000) text += chunk;
        pending += chunk;
        let end: number;
        while ((end = pending.indexOf('\n\n')) !== -1) {
          const frame: Frame = { data: '' };
          const data: string[] = [];
          for (const line of pending.slice(0, end).split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          pending = pending.slice(end + 2);
          if (data.length > 0) frames.push({ ...frame, data: data.join('\n') });
        }
        for (const waiter of waiters.filter((w) => w.test())) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done();
        }
      });
      const ended = new Promise<'end' | 'cut'>((settle) => {
        res.on('end', () => settle('end'));
        res.on('close', () => settle('cut'));
        res.on('error', () => settle('cut'));
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => text,
        frames,
        comments,
        until: (test) => (test() ? Promise.resolve() : new Promise((done) => waiters.push({ test, done }))),
        ended,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
