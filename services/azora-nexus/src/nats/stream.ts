// Nexus's JetStream stream and the connection it is reached by: the subjects (`<stream>.event.<type>`
// for events, `<stream>.appended` for wake-ups, outside the stream), creating the stream when it is
// missing, and reading its head. The connection reconnects forever; listeners hear when it has.
import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  connect,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
  type StreamConfig,
} from 'nats';
import type { Logger, ReadinessCheck } from '@azora/service-kit';

export interface NatsStreamOptions {
  /** NATS_URL: one server or several, comma-separated. */
  readonly servers: string;
  /** The stream's name (NATS_STREAM); its subjects start with it. */
  readonly stream: string;
  /** How long JetStream remembers an event id to refuse it as a duplicate. */
  readonly duplicateWindowMs: number;
  readonly replicas: number;
  readonly logger: Logger;
  /** JetStream API calls and publish acknowledgements give up after this long. */
  readonly requestTimeoutMs?: number;
  readonly reconnectWaitMs?: number;
}

export interface NatsStream {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly name: string;
  /** The subject filter of every event in the stream. */
  readonly eventSubjects: string;
  subjectOf(type: string): string;
  /** Core NATS (not stored): a message here after each append wakes every instance's readers. */
  readonly appendedSubject: string;
  /** Calls back after each reconnection (a wake-up may have been missed meanwhile). */
  onReconnect(listener: () => void): () => void;
  /** The stream's last sequence: the head of the log. */
  head(): Promise<number>;
  readonly check: ReadinessCheck;
  close(): Promise<void>;
}

/** A URL list without credentials, for messages. */
function redactServers(servers: string): string {
  return servers.replace(/\/\/[^@/]*@/g, '//***@');
}

async function ensureStream(jsm: JetStreamManager, config: StreamConfig): Promise<void> {
  try {
    const existing = await jsm.streams.info(config.name);
    const [subjects] = config.subjects ?? [];
    if (subjects && !existing.config.subjects?.includes(subjects))
      throw new Error(
        `the stream exists with subjects ${JSON.stringify(existing.config.subjects)}, not ${subjects}: ` +
          'choose another NATS_STREAM',
      );
    if (existing.config.duplicate_window !== config.duplicate_window)
      await jsm.streams.update(config.name, { ...existing.config, duplicate_window: config.duplicate_window });
  } catch (error) {
    if ((error as { api_error?: { err_code?: number } }).api_error?.err_code !== 10059) throw error; // stream not found
    // Another instance may create it at the same moment: the same config is accepted twice.
    await jsm.streams.add(config);
  }
}

export async function openNatsStream(options: NatsStreamOptions): Promise<NatsStream> {
  const { stream: name, logger } = options;
  const timeout = options.requestTimeoutMs ?? 5_000;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.servers.split(',').map((s) => s.trim()),
      name: 'azora-nexus',
      maxReconnectAttempts: -1,
      reconnectTimeWait: options.reconnectWaitMs ?? 250,
      reconnectJitter: 100,
      timeout,
      // Otherwise every request (one per published event) captures a stack in an Error: about a
      // tenth of Nexus's CPU at full speed in the bus benchmark's profile.
      noAsyncTraces: true,
    });
  } catch (error) {
    throw new Error(
      `could not connect to NATS at NATS_URL (${redactServers(options.servers)}): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const listeners = new Set<() => void>();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') logger.warn({ server: status.data }, 'NATS connection lost; reconnecting');
      if (status.type === 'reconnect') {
        logger.info({ server: status.data }, 'NATS connection re-established');
        for (const listener of [...listeners]) listener();
      }
    }
  })();
  try {
    const jsm = await nc.jetstreamManager({ timeout });
    const eventSubjects = `${name}.event.>`;
    await ensureStream(jsm, {
      name,
      subjects: [eventSubjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      duplicate_window: nanos(options.duplicateWindowMs),
      num_replicas: options.replicas,
    } as StreamConfig);
    const head = async () => (await jsm.streams.info(name)).state.last_seq;
    return {
      nc,
      js: nc.jetstream({ timeout }),
      jsm,
      name,
      eventSubjects,
      subjectOf: (type) => `${name}.event.${type}`,
      appendedSubject: `${name}.appended`,
      onReconnect(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      head,
      check: { name: 'nats', check: async () => void (await head()) },
      async close() {
        if (nc.isClosed()) return;
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    await nc.close();
    throw new Error(`could not set up the JetStream stream "${name}" on NATS: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
