// What the launcher supervises once it has started them: the embedded database (restarted on the
// same data directory and port, where the services' pools reconnect by themselves) and each
// service (restarted with the environment it had, once the database is up).
import type { ServiceInfo } from '@azora/contracts';
import { startDatabaseProcess, type DatabaseProcess, type DatabaseProcessOptions } from './database-process';
import type { RestartPolicy } from './restart-policy';
import { serviceIncarnation, waitUntilReady, type ServiceProcess } from './service-process';
import { supervise, type SupervisionEvent, type Supervisor } from './supervisor';

/** How supervision events are told to the user; the launcher's own name for the database. */
export const DATABASE_NAME = 'postgres';

export interface SupervisionOptions {
  policy: RestartPolicy;
  report: (event: SupervisionEvent) => void;
}

export function superviseDatabase(
  first: DatabaseProcess,
  database: DatabaseProcessOptions,
  options: SupervisionOptions,
): Supervisor {
  return supervise({
    name: DATABASE_NAME,
    first,
    policy: options.policy,
    report: options.report,
    async restart(track, signal) {
      await startDatabaseProcess(database, track, signal);
      return true;
    },
  });
}

export interface ServiceSupervisionOptions extends SupervisionOptions {
  host: string;
  readyTimeoutMs: number;
  /** A new process of the service, spawned as the first was (same environment, same user). */
  spawn: (info: ServiceInfo) => ServiceProcess;
  /** The supervised database, if the launcher runs one: a service restarts once it is up. */
  database: Supervisor | null;
}

/** Resolves when `promise` does or `signal` is aborted, whichever comes first. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    void promise.then(resolve);
  });
}

export function superviseService(first: ServiceProcess, options: ServiceSupervisionOptions): Supervisor {
  const database = options.database;
  return supervise({
    name: first.info.name,
    first: serviceIncarnation(first),
    policy: options.policy,
    report: options.report,
    ...(database ? { before: (signal: AbortSignal) => untilAborted(database.whenUp(), signal) } : {}),
    async restart(track, signal) {
      if (signal.aborted) return false;
      const service = options.spawn(first.info);
      track(serviceIncarnation(service));
      service.release();
      const ready = await waitUntilReady(service, options.host, Date.now() + options.readyTimeoutMs, signal);
      if (!ready && service.exitCode !== undefined) throw new Error(`${first.info.name} exited before it was ready`);
      return ready;
    },
  });
}
