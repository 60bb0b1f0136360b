// The launcher: database (embedded or DATABASE_URL), secrets, then the ten services as separate
// processes in waves (start-waves.ts); waits for every /ready, then supervises them all (what
// exits on its own is restarted) until it stops everything in the reverse order.
import { SERVICES } from '@azora/contracts';
import { REPO_ROOT } from '@azora/database';
import { startDatabaseProcess, type DatabaseProcess } from './database-process';
import { rssMb } from './processes';
import { provision, type Provisioning } from './provisioning';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy';
import { serviceIncarnation, type ServiceProcess } from './service-process';
import { handOverSecrets, prepareServiceUsers, type ServiceUsers } from './service-users';
import { START_WAVES, checkPorts, serviceSpawner, startInWaves, type ServiceStartOptions } from './start-waves';
import { superviseDatabase, superviseService } from './supervision';
import type { SupervisionEvent, Supervisor } from './supervisor';

export interface LaunchOptions extends ServiceStartOptions {
  /** Superuser URL of a PostgreSQL server of your own; the embedded server otherwise. */
  databaseUrl?: string | undefined;
  dataDir: string;
  pgPort: number;
  /** When and how often what exits on its own is started again. */
  restartPolicy?: RestartPolicy;
  /** Told when a process exits on its own after start-up, is restarted, or is given up on. */
  onSupervision?: (event: SupervisionEvent) => void;
  /** Aborted: kill at once (SIGKILL) whatever has been started, even during start-up. */
  forceStop?: AbortSignal;
}

export interface ServiceStatus {
  name: string;
  url: string;
  pid: number;
  status: 'ready' | 'not ready' | 'exited';
  bootMs: number;
  rssMb: number | null;
}

export interface Launched {
  services: ServiceStatus[];
  /** Whether each service runs as an OS user of its own, or why not. */
  serviceUsers: ServiceUsers;
  /** The embedded database's host process and its PostgreSQL server (null with DATABASE_URL). */
  databasePid: number | null;
  postgresPid: number | null;
  totalMs: number;
  /** Restarts so far, by service (and `postgres`), counting only those restarted. */
  restarts(): Record<string, number>;
  /** Services in reverse waves, then the database; resolves once every process has ended. */
  stop(): Promise<void>;
  /** Everything at once by SIGKILL (PostgreSQL's immediate shutdown for the server). */
  kill(): Promise<void>;
}

/** What the launcher stops: a process before start-up finished, a supervisor after. */
interface Stoppable {
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function launch(options: LaunchOptions): Promise<Launched> {
  const started = Date.now();
  const supervision = {
    policy: options.restartPolicy ?? DEFAULT_RESTART_POLICY,
    report: options.onSupervision ?? (() => undefined),
  };
  options.forceStop?.throwIfAborted();
  await checkPorts(options);
  // What runs, so that a stop or a kill reaches it even during start-up: the database host as it
  // starts, then its supervisor; each wave's services, then their supervisors once all are ready.
  let databaseUnit: Stoppable | null = null;
  let waves: Stoppable[][] = [];
  let stopping: Promise<void> | undefined;
  let killing: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const wave of [...waves].reverse()) await Promise.all(wave.map((s) => s.stop()));
      await databaseUnit?.stop();
    })();
    return stopping;
  };
  const kill = () => {
    const units = [...waves.flat(), ...(databaseUnit ? [databaseUnit] : [])];
    killing ??= Promise.all(units.map((s) => s.kill())).then(() => undefined);
    return killing;
  };
  options.forceStop?.addEventListener('abort', () => void kill(), { once: true });

  let database: Supervisor | null = null;
  let firstDatabase: DatabaseProcess | undefined;
  if (!options.databaseUrl) {
    firstDatabase = await startDatabaseProcess(options, (host) => (databaseUnit = host), options.forceStop);
    database = superviseDatabase(firstDatabase, options, supervision);
    databaseUnit = database;
  }

  let provisioning: Provisioning;
  let serviceUsers: ServiceUsers;
  try {
    provisioning = await provision(options.databaseUrl ?? firstDatabase!.superuserUrl, options.dataDir);
    serviceUsers = await prepareServiceUsers({ services: SERVICES, repoRoot: REPO_ROOT, dataDir: options.dataDir });
    if (serviceUsers.separate) {
      await handOverSecrets(serviceUsers.users, new Map(SERVICES.map((s) => [s.name, provisioning.secretsOf(s)])));
    }
    options.forceStop?.throwIfAborted();
  } catch (error) {
    await (killing ?? stop());
    throw error;
  }

  // Spawned at once, each loads its code while the waves before it start.
  const spawn = serviceSpawner(options, provisioning, serviceUsers);
  const processes = START_WAVES.map((wave) => wave.map(spawn));
  waves = processes.map((wave) => wave.map(serviceIncarnation));
  let readyAt: Map<ServiceProcess, number>;
  try {
    readyAt = await startInWaves(processes, provisioning, options);
    options.forceStop?.throwIfAborted();
  } catch (error) {
    await (killing ?? stop());
    throw error;
  }
  const all = processes.flat();
  waves = processes.map((wave) =>
    wave.map((first) =>
      superviseService(first, {
        ...supervision,
        host: options.host,
        readyTimeoutMs: options.readyTimeoutMs,
        spawn,
        database,
      }),
    ),
  );
  const supervisors = [...(waves.flat() as Supervisor[]), ...(database ? [database] : [])];

  const services: ServiceStatus[] = SERVICES.map((info) => {
    const s = all.find((c) => c.info.name === info.name) as ServiceProcess;
    return {
      name: info.name,
      url: `http://${options.host}:${s.port}`,
      pid: s.process.pid ?? -1,
      status: 'ready',
      bootMs: (readyAt.get(s) ?? Date.now()) - started,
      rssMb: s.process.pid ? rssMb(s.process.pid) : null,
    };
  });
  return {
    services,
    serviceUsers,
    databasePid: firstDatabase?.process.pid ?? null,
    postgresPid: firstDatabase?.postgresPid ?? null,
    totalMs: Date.now() - started,
    restarts: () => Object.fromEntries(supervisors.filter((s) => s.restarts() > 0).map((s) => [s.name, s.restarts()])),
    stop,
    kill,
  };
}
