// The launcher: database (embedded or DATABASE_URL), secrets, then the ten services as separate
// processes, Nexus first (the others subscribe and publish to it at start-up); waits for every
// /ready and stops everything in the reverse order.
import { SERVICES, serviceUrlVariable, type ServiceInfo } from '@azora/contracts';
import { REPO_ROOT } from '@azora/database';
import { startDatabaseProcess, type DatabaseProcess } from './database-process';
import { declaredVariables } from './declared-variables';
import { portIsFree } from './ports';
import { rssMb, stopProcess } from './processes';
import { provision, type Provisioning } from './provisioning';
import { serviceEnv } from './service-env';
import { crashReport, spawnService, waitUntilReady, type ServiceProcess } from './service-process';
import { handOverSecrets, prepareServiceUsers, type ServiceUsers } from './service-users';

export interface LaunchOptions {
  /** Superuser URL of a PostgreSQL server of your own; the embedded server otherwise. */
  databaseUrl?: string | undefined;
  dataDir: string;
  pgPort: number;
  host: string;
  /** Added to every default port (to run a second platform beside the first). */
  portOffset: number;
  logLevel: string;
  colour: boolean;
  readyTimeoutMs: number;
  /** The launcher's environment: each service gets only its allowed part of it. */
  environment: Readonly<Record<string, string | undefined>>;
  print: (line: string) => void;
  /** Told when a service exits on its own after start-up; the others keep running. */
  onServiceExit?: (report: string) => void;
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
  databasePid: number | null;
  totalMs: number;
  stop(): Promise<void>;
}

/** Services start in waves, each once the one before is ready: the bus, then everything that
 * subscribes to it or publishes through it. They stop in the reverse order, so that a service's
 * outbox drains into a Nexus that is still there. */
export const START_WAVES: readonly (readonly ServiceInfo[])[] = [
  SERVICES.filter((s) => s.name === 'azora-nexus'),
  SERVICES.filter((s) => s.name !== 'azora-nexus'),
];

const STOP_TIMEOUT_MS = 15_000;

async function checkPorts(options: LaunchOptions): Promise<void> {
  for (const info of SERVICES) {
    const port = info.port + options.portOffset;
    if (!(await portIsFree(port, options.host))) {
      throw new Error(
        `port ${port} (${info.name}) is already in use: stop what uses it, or set AZORA_PORT_OFFSET to move every port`,
      );
    }
  }
}

function spawnAll(options: LaunchOptions, provisioning: Provisioning, serviceUsers: ServiceUsers): ServiceProcess[][] {
  const peers = Object.fromEntries(
    SERVICES.map((s) => [serviceUrlVariable(s.name), `http://${options.host}:${s.port + options.portOffset}`]),
  );
  return START_WAVES.map((wave) =>
    wave.map((info) => {
      const port = info.port + options.portOffset;
      const env = serviceEnv({
        info,
        inherited: options.environment,
        secrets: provisioning.secretsOf(info),
        port,
        host: options.host,
        logLevel: options.logLevel,
        peers,
        declared: declaredVariables(info),
      });
      const user = serviceUsers.separate ? serviceUsers.users.get(info.name) : undefined;
      return spawnService(info, { port, env, user, colour: options.colour, print: options.print });
    }),
  );
}

/** Releases the waves one after the other; the next wave's databases are bootstrapped while the
 * wave before it starts. Resolves when all are ready, rejects naming those that are not. */
async function startInWaves(
  waves: ServiceProcess[][],
  provisioning: Provisioning,
  options: LaunchOptions,
): Promise<Map<ServiceProcess, number>> {
  const deadline = Date.now() + options.readyTimeoutMs;
  const readyAt = new Map<ServiceProcess, number>();
  let bootstrapped = provisioning.bootstrap(START_WAVES[0]!);
  for (const [index, wave] of waves.entries()) {
    await bootstrapped;
    for (const service of wave) service.release();
    const following = START_WAVES[index + 1];
    bootstrapped = following ? provisioning.bootstrap(following) : Promise.resolve();
    bootstrapped.catch(() => undefined); // awaited below or at the next wave
    const ready = await Promise.all(
      wave.map(async (s) => {
        const ok = await waitUntilReady(s, options.host, deadline);
        if (ok) readyAt.set(s, Date.now());
        return ok;
      }),
    );
    const failed = wave.filter((_, i) => !ready[i]);
    if (failed.length > 0) {
      await bootstrapped.catch(() => undefined);
      const reports = failed.map((s) =>
        s.exitCode !== undefined
          ? crashReport(s)
          : `${s.info.name} did not become ready within ${options.readyTimeoutMs} ms`,
      );
      throw new Error(reports.join('\n'));
    }
  }
  return readyAt;
}

export async function launch(options: LaunchOptions): Promise<Launched> {
  const started = Date.now();
  await checkPorts(options);
  const database: DatabaseProcess | null = options.databaseUrl ? null : await startDatabaseProcess(options);
  const stopDatabase = async () => {
    if (database) await stopProcess(database.process, STOP_TIMEOUT_MS);
  };
  let provisioning: Provisioning;
  let serviceUsers: ServiceUsers;
  try {
    provisioning = await provision(options.databaseUrl ?? database!.superuserUrl, options.dataDir);
    serviceUsers = await prepareServiceUsers({ services: SERVICES, repoRoot: REPO_ROOT, dataDir: options.dataDir });
    if (serviceUsers.separate) {
      await handOverSecrets(serviceUsers.users, new Map(SERVICES.map((s) => [s.name, provisioning.secretsOf(s)])));
    }
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  // Spawned at once, each loads its code while the waves before it start.
  const waves = spawnAll(options, provisioning, serviceUsers);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const wave of [...waves].reverse()) {
        await Promise.all(wave.map((s) => stopProcess(s.process, STOP_TIMEOUT_MS)));
      }
      await stopDatabase();
    })();
    return stopping;
  };
  let readyAt: Map<ServiceProcess, number>;
  try {
    readyAt = await startInWaves(waves, provisioning, options);
  } catch (error) {
    await stop();
    throw error;
  }

  const all = waves.flat();
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
  for (const s of all) {
    void s.exit.then(() => {
      if (!stopping) options.onServiceExit?.(crashReport(s));
    });
  }
  return {
    services,
    serviceUsers,
    databasePid: database?.process.pid ?? null,
    totalMs: Date.now() - started,
    stop,
  };
}
