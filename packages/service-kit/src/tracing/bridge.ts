// What the kit's bus code asks of tracing, without loading OpenTelemetry: the trace context of
// the work in progress (written with each event into the outbox), and spans around relaying and
// handling events. Until tracing is started (OTEL_EXPORTER_OTLP_ENDPOINT set), every call is a
// no-op that costs a property read: tracing is off and free by default.

export type SpanKind = 'internal' | 'producer' | 'consumer';

export interface SpanOptions {
  kind: SpanKind;
  /** A W3C traceparent the span continues (an event's), instead of the active context. */
  parent?: string | undefined;
  /** Traceparents the span relates to without being their child (a batch of events). */
  links?: readonly (string | undefined)[];
  attributes?: Record<string, string | number | boolean>;
}

export interface TraceBridge {
  /** The W3C traceparent of the active span; undefined outside one. */
  current(): string | undefined;
  inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T>;
  /** Exports what is buffered; called on shutdown. */
  flush(): Promise<void>;
}

// One per process, as OpenTelemetry's own registration is; kept on globalThis so that two copies
// of the kit in one process (a test importing src and dist) see the same one.
const KEY = Symbol.for('azora.service-kit.trace-bridge');
type Holder = { [KEY]?: TraceBridge };

export function installTraceBridge(bridge: TraceBridge): void {
  (globalThis as Holder)[KEY] = bridge;
}

const bridge = (): TraceBridge | undefined => (globalThis as Holder)[KEY];

/** The traceparent to store with an event published now; undefined when tracing is off. */
export function currentTraceparent(): string | undefined {
  return bridge()?.current();
}

/** Runs `work` in a span when tracing is on, as is otherwise. */
export function withSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const active = bridge();
  return active ? active.inSpan(name, options, work) : work();
}

export function flushTraces(): Promise<void> {
  return bridge()?.flush() ?? Promise.resolve();
}
