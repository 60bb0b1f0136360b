// A Server-Sent Events reader for tests: parses `id`, `event` and `data` of each message.
import http from 'node:http';

export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseClient {
  readonly status: Promise<number>;
  readonly messages: SseMessage[];
  close(): void;
}

export function openStream(url: string, headers: Record<string, string>): SseClient {
  const messages: SseMessage[] = [];
  let buffer = '';
  let request: http.ClientRequest | undefined;
  const status = new Promise<number>((resolve, reject) => {
    request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { id: undefined, event: undefined, data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) message.data += line.slice(6);
          }
          if (message.data !== '') messages.push(message);
        }
      });
      res.on('error', () => undefined);
    });
    request.on('error', (error) => {
      if (!request?.destroyed) reject(error);
    });
  });
  return { status, messages, close: () => request?.destroy() };
}
