// Start-up of the services: their ports checked free, their processes spawned (at start-up and
// for each restart) and released in waves, each once the one before is ready.
import { SERVICES, serviceUrlVariable, type ServiceInfo } from '@azora/contracts';
import { declaredVariables } from './declared-variables';
import { portIsFree } from './ports';
import type { Provisioning } from './provisioning';
import { serviceEnv } from './service-env';
import { crashReport, spawnService, waitUntilReady, type ServiceProcess } from './service-process';
import type { ServiceUsers } from './service-users';

/** What starting the services needs to know. */
export interface ServiceStartOptions {
  host: string;
  /** Added to every default port (to run a second platform beside the first). */
  portOffset: number;
  logLevel: string;
  colour: boolean;
  readyTimeoutMs: number;
  /** The launcher's environment: each service gets only its allowed part of it. */
  environment: Readonly<Record<string, string | undefined>>;
  print: (line: string) => void;
}

const WATCHERS = ['monitoring-service'];

/** Services start in waves, each once the one before is ready: the bus, then everything that
 * subscribes to it or publishes through it, then Monitoring, which probes all of them (started
 * earlier, it would report as down a service that is still starting). They stop in the reverse
 * order, so that a service's outbox drains into a Nexus that is still there. */
export const START_WAVES: readonly (readonly ServiceInfo[])[] = [
  SERVICES.filter((s) => s.name === 'azora-nexus'),
  SERVICES.filter((s) => s.name !== 'azora-nexus' && !WATCHERS.includes(s.name)),
  SERVICES.filter((s) => WATCHERS.includes(s.name)),
];

export async function checkPorts(options: ServiceStartOptions): Promise<void> {
  for (const info of SERVICES) {
    const port = info.port + options.portOffset;
    if (!(await portIsFree(port, options.host))) {
      throw new Error(
        `port ${port} (${info.name}) is already in use: stop what uses it, or set AZORA_PORT_OFFSET to move every port`,
      );
    }
  }
}

/** Spawns a service's process (held until released) with its environment and OS user: at
 * start-up, and again for each restart. */
export function serviceSpawner(
  options: ServiceStartOptions,
  provisioning: Provisioning,
  serviceUsers: ServiceUsers,
): (info: ServiceInfo) => ServiceProcess {
  const peers = Object.fromEntries(
    SERVICES.map((s) => [serviceUrlVariable(s.name), `http://${options.host}:${s.port + options.portOffset}`]),
  );
  return (info) => {
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
  };
}

/** Releases the waves one after the other; the next wave's databases are bootstrapped while the
 * wave before it starts. Resolves when all are ready, rejects naming those that are not. */
export async function startInWaves(
  waves: ServiceProcess[][],
  provisioning: Provisioning,
  options: ServiceStartOptions,
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
