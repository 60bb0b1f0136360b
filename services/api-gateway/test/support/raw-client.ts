// Clients that misbehave on purpose, over a raw TCP socket: one that declares a body and never
// finishes it, one that sends it a few bytes at a time, and one that asks for a path exactly as
// written (HTTP libraries tidy "/./" and "//" away before sending).
import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The body of a chunked answer, or undefined until its last chunk has arrived. */
function dechunk(raw: string): string | undefined {
  let body = '';
  let rest = raw;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd === -1) return undefined;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (size === 0) return body;
    if (rest.length < lineEnd + 2 + size + 2) return undefined;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** The answer once complete (by Content-Length or the last chunk), else undefined. */
function completeAnswer(raw: string): RawAnswer | undefined {
  if (!raw.includes('\r\n\r\n')) return undefined;
  const answer = parseAnswer(raw);
  if (answer.headers['transfer-encoding'] === 'chunked') {
    const body = dechunk(answer.body);
    return body === undefined ? undefined : { ...answer, body };
  }
  const length = Number(answer.headers['content-length'] ?? NaN);
  return Buffer.byteLength(answer.body) >= length ? answer : undefined;
}

function parseAnswer(raw: string): RawAnswer {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

/**
 * Sends the request line and headers, then `chunks` of the body one every `intervalMs`, and
 * stays connected without sending more; resolves with the answer once it is complete (by its
 * Content-Length or its last chunk) or the server closes the connection.
 */
export function rawRequest(
  baseUrl: string,
  {
    method = 'GET',
    path,
    headers = {},
    chunks = [],
    intervalMs = 0,
  }: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    chunks?: string[];
    intervalMs?: number;
  },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(completeAnswer(received) ?? parseAnswer(received));
    };
    socket.on('data', (data: Buffer) => {
      received += data.toString('utf8');
      if (completeAnswer(received)) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => (received ? finish() : reject(error)));
    socket.on('connect', () => {
      const lines = [`${method} ${path} HTTP/1.1`, `Host: ${hostname}:${port}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      const pending = [...chunks];
      const sendNext = () => {
        const chunk = pending.shift();
        if (chunk === undefined || socket.destroyed) return;
        socket.write(chunk);
        timer = setTimeout(sendNext, intervalMs);
      };
      sendNext();
    });
  });
}

/** A POST that declares `declaredLength` bytes of JSON and sends only `sent`, then waits. */
export function stalledPost(baseUrl: string, path: string, sent = '{"title":', declaredLength = 200) {
  return rawRequest(baseUrl, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', 'content-length': declaredLength },
    chunks: [sent],
  });
}
