// The SSE parser against the WHATWG rules: any chunking gives the same events; CRLF, CR and LF
// line ends; multi-line data; event names, ids, retry, comments and unknown fields.
import { createSseParser, readSseStream, type SseEvent } from '../src';

function parseAll(chunks: string[]): SseEvent[] {
  const parser = createSseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
    cancel() {
      onCancel?.();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSseStream(stream)) events.push(event);
  return events;
}

const SAMPLE = [
  ': a comment to keep the connection open',
  'data: Hel',
  '',
  'event: token',
  'data: lo',
  'id: 7',
  '',
  'data: line one',
  'data: line two',
  'data',
  'data:  two spaces keep one',
  '',
  'retry: 1500',
  'event: done',
  'data: [DONE]',
  '',
  '',
].join('\n');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: 'Hel', lastEventId: '' },
  { event: 'token', data: 'lo', lastEventId: '7' },
  { event: 'message', data: 'line one\nline two\n\n two spaces keep one', lastEventId: '7' },
  { event: 'done', data: '[DONE]', lastEventId: '7', retry: 1500 },
];

describe('createSseParser', () => {
  test('When a whole stream is pushed at once, then every event comes out in order', () => {
    expect(parseAll([SAMPLE])).toEqual(EXPECTED);
  });

  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])(
    'When the stream uses %s line ends and is split at every possible point, then the events are the same',
    (_name, eol) => {
      const text = SAMPLE.replace(/\n/g, eol);

      for (let cut = 0; cut <= text.length; cut++) {
        expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(EXPECTED);
      }
    },
  );

  test('When CRLF text arrives one character at a time, then the events are the same', () => {
    const text = SAMPLE.replace(/\n/g, '\r\n');

    expect(parseAll([...text])).toEqual(EXPECTED);
  });

  test('When CRLF text is split into three parts at every pair of points, then the events are the same', () => {
    const text = SAMPLE.replace(/\n/g, '\r\n');

    for (let a = 0; a <= text.length; a += 3) {
      for (let b = a; b <= text.length; b += 5) {
        expect(parseAll([text.slice(0, a), text.slice(a, b), text.slice(b)])).toEqual(EXPECTED);
      }
    }
  });

  test('When a CR ends one chunk and an LF starts the next, then they make one line end, not two', () => {
    const events = parseAll(['data: a\r', '\ndata: b\r', '\n\r', '\n']);

    expect(events).toEqual([{ event: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  test('When empty chunks arrive between a CR and its LF, then the pair still makes one line end', () => {
    expect(parseAll(['data: x\r', '', '', '\n', '', '\r\n'])).toEqual([
      { event: 'message', data: 'x', lastEventId: '' },
    ]);
  });

  test('When a lone LF follows a CR-then-LF split, then it still ends the event', () => {
    expect(parseAll(['data: x\r', '\n', '\n'])).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
  });

  test('When lines mix CRLF, CR and LF, then each ends a line', () => {
    expect(parseAll(['data: a\r\ndata: b\rdata: c\n\n'])).toEqual([
      { event: 'message', data: 'a\nb\nc', lastEventId: '' },
    ]);
  });

  test('When an event has no data, then nothing is dispatched and its name does not leak into the next', () => {
    expect(parseAll(['event: ping\n\n', 'data: x\n\n'])).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
  });

  test('When a data line is empty, then it adds an empty line to the data', () => {
    expect(parseAll(['data:\ndata\ndata: z\n\n'])).toEqual([{ event: 'message', data: '\n\nz', lastEventId: '' }]);
  });

  test('When a value has no space after the colon, then it is taken whole; only one leading space is removed', () => {
    expect(parseAll(['data:tight\n\n', 'data:   three\n\n']).map((e) => e.data)).toEqual(['tight', '  three']);
  });

  test('When comments and unknown fields appear, then they are ignored', () => {
    expect(parseAll([':hello\nfoo: bar\ndata: kept\n: bye\n\n'])).toEqual([
      { event: 'message', data: 'kept', lastEventId: '' },
    ]);
  });

  test('When an id contains NUL or retry is not all digits, then the field is ignored', () => {
    const events = parseAll(['id: 1\ndata: a\n\n', 'id: 2\u00003\nretry: 10s\ndata: b\n\n', 'id\ndata: c\n\n']);

    expect(events).toEqual([
      { event: 'message', data: 'a', lastEventId: '1' },
      { event: 'message', data: 'b', lastEventId: '1' },
      { event: 'message', data: 'c', lastEventId: '' },
    ]);
  });

  test('When retry comes in a block without data, then it is not lost: the next event carries it', () => {
    const events = parseAll([': opening\nretry: 2000\n\n', 'data: first\n\n', 'data: second\n\n']);

    expect(events).toEqual([
      { event: 'message', data: 'first', lastEventId: '', retry: 2000 },
      { event: 'message', data: 'second', lastEventId: '' },
    ]);
  });

  test('When the stream starts with a byte order mark, then it is dropped', () => {
    expect(parseAll(['\uFEFFdata: x\n\n'])).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
  });

  test('When the last event has no blank line after it, then it is not dispatched', () => {
    expect(parseAll(['data: complete\n\ndata: incomplete\n'])).toEqual([
      { event: 'message', data: 'complete', lastEventId: '' },
    ]);
  });

  test('When a field name is followed by colons in the value, then only the first colon separates', () => {
    expect(parseAll(['data: {"a":"b:c"}\n\n'])[0]?.data).toBe('{"a":"b:c"}');
  });
});

describe('readSseStream', () => {
  test('When a multi-byte character is split between two chunks, then it is decoded whole', async () => {
    const bytes = new TextEncoder().encode('data: Ṡalut 👋\n\n');
    const cut = bytes.indexOf(0xf0) + 2; // inside the emoji's four bytes

    const events = await collect(streamOf([bytes.slice(0, cut), bytes.slice(cut)]));

    expect(events).toEqual([{ event: 'message', data: 'Ṡalut 👋', lastEventId: '' }]);
  });

  test('When the stream ends in the middle of an event, then that event is dropped', async () => {
    const encoder = new TextEncoder();

    const events = await collect(streamOf([encoder.encode('data: one\n\n'), encoder.encode('data: cut off')]));

    expect(events.map((e) => e.data)).toEqual(['one']);
  });

  test('When the consumer stops early, then the stream is cancelled', async () => {
    const encoder = new TextEncoder();
    const onCancel = jest.fn();
    const stream = streamOf(
      [encoder.encode('data: one\n\n'), encoder.encode('data: two\n\n'), encoder.encode('data: three\n\n')],
      onCancel,
    );

    for await (const event of readSseStream(stream)) {
      if (event.data === 'one') break;
    }

    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});
