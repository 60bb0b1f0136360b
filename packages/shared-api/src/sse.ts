// Server-Sent Events parsing as the WHATWG HTML standard specifies it ("event stream
// interpretation"): fed text in chunks split anywhere, it yields complete events.
// Platform-neutral: strings in, events out, and a reader over a web ReadableStream.

export interface SseEvent {
  /** The `event:` field; "message" when the event named none. */
  event: string;
  /** The `data:` lines of the event joined with "\n". */
  data: string;
  /** The last event ID seen so far on this stream ("" when none). */
  lastEventId: string;
  /** The `retry:` reconnection time in milliseconds, when this event set one. */
  retry?: number;
}

export interface SseParser {
  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = '';
  let started = false;
  let lastCharWasCR = false;
  let data: string[] = [];
  let eventType = '';
  let lastEventId = '';
  let retry: number | undefined;

  function dispatch(events: SseEvent[]): void {
    if (data.length > 0) {
      const event: SseEvent = { event: eventType || 'message', data: data.join('\n'), lastEventId };
      if (retry !== undefined) event.retry = retry;
      events.push(event);
      // The standard applies `retry:` at once, even in a block without data: such a block's
      // value is carried to the next event, the first moment a caller can be told of it.
      retry = undefined;
    }
    data = [];
    eventType = '';
  }

  function processLine(line: string, events: SseEvent[]): void {
    if (line === '') return dispatch(events);
    if (line.startsWith(':')) return; // a comment, e.g. a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  return {
    push(text) {
      const events: SseEvent[] = [];
      let chunk = text;
      if (chunk.length === 0) return events;
      if (!started) {
        started = true;
        if (chunk.startsWith('\uFEFF')) chunk = chunk.slice(1);
      }
      // A CRLF split across two chunks: the CR already ended the line, so skip the LF.
      if (lastCharWasCR && chunk.startsWith('\n')) chunk = chunk.slice(1);
      lastCharWasCR = false;
      if (chunk.length === 0) return events;
      lastCharWasCR = chunk.endsWith('\r');
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\r' && char !== '\n') continue;
        processLine(buffer.slice(start, i), events);
        if (char === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return events;
    },
  };
}

/**
 * Reads a byte stream of `text/event-stream` and yields its events. Stops at the end of the
 * stream (an unterminated last event is dropped, as the standard says); cancels the stream when
 * the consumer stops early.
 */
export async function* readSseStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const parser = createSseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        yield* parser.push(decoder.decode());
        return;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
