// One service as a child process: spawned from its dist/ build with the environment it is given,
// held until released (see service-entry.ts), its log lines prefixed and kept (the last ones
// explain a crash), its /ready polled.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES, type ServiceInfo } from '@azora/contracts';
import { REPO_ROOT } from '@azora/database';
import { createPrefixer } from './log-format';
import { endingOf, stopProcess, waitForExit } from './processes';
import type { Incarnation } from './supervisor';

const LAST_LINES = 30;
const POLL_INTERVAL_MS = 50;
const STOP_TIMEOUT_MS = 15_000;

export interface ServiceProcess {
  readonly info: ServiceInfo;
  readonly port: number;
  readonly process: ChildProcess;
  /** Its last log lines, readable (uncoloured), for a crash report. */
  readonly lastLines: string[];
  /** undefined while it runs. */
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  readonly exit: Promise<void>;
  /** Lets the service start (it has loaded its code meanwhile). */
  release(): void;
}

export interface SpawnOptions {
  port: number;
  env: Record<string, string>;
  /** The OS user to run as, when the launcher runs as root (see service-users.ts). */
  user?: { uid: number; gid: number } | undefined;
  colour: boolean;
  print: (line: string) => void;
}

export function spawnService(info: ServiceInfo, options: SpawnOptions): ServiceProcess {
  const entry = path.join(REPO_ROOT, 'services', info.name, 'dist', 'server.js');
  // Detached: Ctrl-C in a terminal reaches only the launcher, which stops services in order.
  const child = spawn(process.execPath, [path.join(__dirname, 'service-entry.js'), entry], {
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    cwd: path.dirname(path.dirname(entry)),
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
  });
  const index = SERVICES.findIndex((s) => s.name === info.name);
  const width = Math.max(...SERVICES.map((s) => s.name.length));
  const prefix = createPrefixer(info.name, index, width, options.colour);
  const plain = createPrefixer(info.name, index, width, false);
  const record: ServiceProcess = {
    info,
    port: options.port,
    process: child,
    lastLines: [],
    exitCode: undefined,
    exitSignal: undefined,
    exit: waitForExit(child),
    // Written, not ended: the open pipe is how the service knows the launcher still runs.
    release: () => child.stdin!.write('start\n'),
  };
  // A service that crashed while it loaded cannot be told to start: that is in its crash report.
  child.stdin!.on('error', () => undefined);
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      record.lastLines.push(plain(line));
      if (record.lastLines.length > LAST_LINES) record.lastLines.shift();
      options.print(prefix(line));
    });
  }
  child.once('exit', (code, signal) => {
    record.exitCode = code;
    record.exitSignal = signal;
  });
  return record;
}

/** True once `/ready` answers 200; false when the process exits, `deadline` passes or `signal`
 * is aborted. */
export async function waitUntilReady(
  service: ServiceProcess,
  host: string,
  deadline: number,
  signal?: AbortSignal,
): Promise<boolean> {
  while (Date.now() < deadline && !signal?.aborted) {
    if (service.exitCode !== undefined) return false;
    try {
      const res = await fetch(`http://${host}:${service.port}/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return false;
}

/** The service as one run of it, for the supervisor. */
export function serviceIncarnation(service: ServiceProcess): Incarnation {
  const ended = endingOf(service.process);
  return {
    pid: service.process.pid ?? -1,
    ended,
    lastLines: () => [...service.lastLines],
    async stop() {
      await stopProcess(service.process, STOP_TIMEOUT_MS);
      await ended;
    },
    kill() {
      service.process.kill('SIGKILL');
      return ended.then(() => undefined);
    },
  };
}

export function crashReport(service: ServiceProcess): string {
  const lines = service.lastLines.map((l) => `    ${l}`).join('\n');
  const how = service.exitSignal ? `on signal ${service.exitSignal}` : `with code ${String(service.exitCode)}`;
  return `${service.info.name} exited ${how}; its last log lines:\n${lines}`;
}
