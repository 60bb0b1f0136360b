// Reading a text/event-stream response as a browser would, over a real connection: fetch, then
// frames parsed as they arrive, so tests can see tokens arrive one by one and disconnect early.
export interface Frame {
  event: string;
  data: string;
  id?: string;
}

export interface OpenStream {
  status: number;
  contentType: string;
  /** The next frame; null when the stream has ended. */
  next(): Promise<Frame | null>;
  /** Every remaining frame, until the stream ends. */
  rest(): Promise<Frame[]>;
  /** Drops the connection, as a closed tab does. */
  close(): void;
  /** The body of a non-stream answer (a problem). */
  json(): Promise<Record<string, unknown>>;
}

export async function openStream(
  url: string,
  {
    method = 'GET',
    token,
    body,
    headers = {},
  }: { method?: string; token: string; body?: unknown; headers?: Record<string, string> },
): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queued: Frame[] = [];
  let ended = false;

  function parse(): void {
    let at: number;
    while ((at = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const frame: Frame = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') frame.event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') frame.id = value;
      }
      if (data.length > 0) {
        frame.data = data.join('\n');
        queued.push(frame);
      }
    }
  }

  async function next(): Promise<Frame | null> {
    while (queued.length === 0 && !ended) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) ended = true;
      else {
        buffer += decoder.decode(value, { stream: true });
        parse();
      }
    }
    return queued.shift() ?? null;
  }

  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    next,
    async rest() {
      const frames: Frame[] = [];
      for (let frame = await next(); frame; frame = await next()) frames.push(frame);
      return frames;
    },
    close: () => controller.abort(),
    async json() {
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return JSON.parse(text) as Record<string, unknown>;
    },
  };
}

/** The text of the token frames, joined. */
export function textOf(frames: readonly Frame[]): string {
  return frames
    .filter((f) => f.event === 'token')
    .map((f) => (JSON.parse(f.data) as { token: string }).token)
    .join('');
}
