// Lifecycle: listen, and on SIGTERM/SIGINT stop accepting, let in-flight requests finish
// (bounded), run the close hooks (relay, pool) and exit 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { serverOptionsFor } from './http-server';
import { applyServerLimits, serverTimeoutOptions, type ServerLimits } from './server-limits';

export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, waits up to the timeout for in-flight requests, then runs the close hooks. */
  stop(): Promise<void>;
}

export interface StartOptions {
  app: RequestListener;
  port: number;
  host?: string;
  logger?: Logger;
  shutdownTimeoutMs?: number;
  /** Called as soon as stopping begins, before waiting for in-flight requests (end SSE streams here). */
  onStopping?: () => void;
  /** Run in order after the server has closed: drain the outbox relay, close the pool... */
  onClose?: ReadonlyArray<() => Promise<void> | void>;
  /** Timeouts and the per-client connection cap (DEFAULT_SERVER_LIMITS otherwise). */
  limits?: Partial<ServerLimits>;
}

export async function startServer({
  app,
  port,
  host = '127.0.0.1',
  logger,
  shutdownTimeoutMs = 10_000,
  onStopping,
  onClose = [],
  limits,
}: StartOptions): Promise<RunningServer> {
  // An Express app's requests are built on its own prototypes (see http-server.ts).
  const server = http.createServer({ ...serverOptionsFor(app), ...serverTimeoutOptions(limits) });
  // Responses being written, so that stop() can have their keep-alive connections closed.
  const inFlight = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  server.on('request', app);
  applyServerLimits(server, limits);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${host} is already in use`, { cause: error }));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;

  const stop = () => {
    stopping ??= (async () => {
      logger?.info('shutting down: no new connections, finishing in-flight requests');
      onStopping?.();
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // close() drops idle connections only: a keep-alive connection whose request is in flight
      // would stay open after its response until the client let go of it (up to the timeout).
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader('connection', 'close');
        else res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs);
      });
      const outcome = await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        logger?.warn({ shutdownTimeoutMs }, 'in-flight requests did not finish in time; closing their connections');
        server.closeAllConnections();
        await closed;
      }
      for (const hook of onClose) {
        try {
          await hook();
        } catch (error) {
          logger?.error({ err: error }, 'close hook failed');
        }
      }
      logger?.info('stopped');
    })();
    return stopping;
  };

  logger?.info({ port: bound, host }, 'listening');
  return { server, port: bound, url: `http://${host}:${bound}`, stop };
}

/** For a process entry point: SIGTERM and SIGINT stop the server once and exit 0. */
export function exitOnSignals(running: Pick<RunningServer, 'stop'>, logger?: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger?.info({ signal }, 'signal received');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger?.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
