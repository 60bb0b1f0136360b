// The embedded PostgreSQL server's host process (db-host.js), as an Incarnation for the
// supervisor: it has ended once the host has exited and no server of its data directory is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES } from '@azora/contracts';
import { checkDataDirectoryAccess } from '@azora/database';
import { createPrefixer } from './log-format';
import { portIsFree } from './ports';
import { postmasterPidOf, stopPostmaster } from './postmaster';
import { endingOf, isAlive, signalIfAlive, stopProcess } from './processes';
import { systemVariables } from './service-env';
import type { Incarnation } from './supervisor';

const LAST_LINES = 30;
const STOP_TIMEOUT_MS = 15_000;
/** What the server says to its clients while it dies or comes back: the launcher's own report of
 * the restart says it once (these stay among the last lines). */
const CONSEQUENCES_OF_A_RESTART =
  /unexpected postmaster exit|the database system is (starting up|not yet accepting connections|shutting down|in recovery mode)/;

export interface DatabaseProcessOptions {
  dataDir: string;
  pgPort: number;
  colour: boolean;
  /** The launcher's environment; the host gets only the system's variables of it. */
  environment: Readonly<Record<string, string | undefined>>;
  print: (line: string) => void;
}

export interface DatabaseProcess extends Incarnation {
  superuserUrl: string;
  /** The host (db-host.js). */
  process: ChildProcess;
  /** The PostgreSQL server the host runs. */
  postgresPid: number;
}

interface ReadyMessage {
  ready: boolean;
  superuserUrl?: string;
  postgresPid?: number;
  error?: string;
}

/** The server running on `dataDir`, checked by name: a stale postmaster.pid may name a reused pid. */
function serverOf(dataDir: string): number | undefined {
  const pid = postmasterPidOf(dataDir);
  if (pid === undefined || !isAlive(pid)) return undefined;
  try {
    const program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(program) === 'postgres' ? pid : undefined;
  } catch {
    return undefined;
  }
}

function spawnHost(options: DatabaseProcessOptions): ChildProcess {
  // Detached: its own process group, so Ctrl-C reaches only the launcher, which stops it last.
  return spawn(process.execPath, [path.join(__dirname, 'db-host.js')], {
    env: {
      ...systemVariables(options.environment),
      AZORA_DATA_DIR: options.dataDir,
      AZORA_PG_PORT: String(options.pgPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/**
 * Starts the host; `track` gets its Incarnation as soon as it runs, so that a stop meanwhile
 * reaches it. Resolves once the server accepts connections; rejects, having stopped what it
 * started, if it does not.
 */
export async function startDatabaseProcess(
  options: DatabaseProcessOptions,
  track: (host: Incarnation) => void = () => undefined,
  signal?: AbortSignal,
): Promise<DatabaseProcess> {
  const serverDir = path.join(options.dataDir, 'postgres');
  checkDataDirectoryAccess(serverDir);
  if (!(await portIsFree(options.pgPort, '127.0.0.1'))) {
    throw new Error(
      `port ${options.pgPort} (embedded PostgreSQL) is already in use: stop what uses it or set AZORA_PG_PORT`,
    );
  }
  signal?.throwIfAborted();
  const child = spawnHost(options);
  const prefix = createPrefixer('postgres', SERVICES.length, 20, options.colour);
  const lastLines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    lastLines.push(line);
    if (lastLines.length > LAST_LINES) lastLines.shift();
    if (/ERROR|FATAL|PANIC/.test(line) && !CONSEQUENCES_OF_A_RESTART.test(line)) options.print(prefix(line));
  });
  const server: { pid?: number } = {};
  const host = hostIncarnation(
    child,
    () => server.pid ?? serverOf(serverDir),
    () => [...lastLines],
  );
  track(host);
  const message = await readyMessage(child);
  if (!message.ready || !message.superuserUrl || !message.postgresPid) {
    await host.stop();
    const reason = message.error ?? 'it exited';
    throw new Error(`the embedded PostgreSQL server did not start: ${reason}\n${lastLines.join('\n')}`);
  }
  server.pid = message.postgresPid;
  return { ...host, superuserUrl: message.superuserUrl, process: child, postgresPid: message.postgresPid };
}

/** `serverPid` is the server the host runs, once known. */
function hostIncarnation(
  child: ChildProcess,
  serverPid: () => number | undefined,
  lastLines: () => readonly string[],
): Incarnation {
  // A host killed outright leaves its server running: stop it, so the next can have the directory.
  const ended = endingOf(child).then(async (ending) => {
    const pid = serverPid();
    if (pid !== undefined) await stopPostmaster(pid, STOP_TIMEOUT_MS);
    return ending;
  });
  return {
    pid: child.pid ?? -1,
    ended,
    lastLines,
    async stop() {
      await stopProcess(child, STOP_TIMEOUT_MS);
      await ended;
    },
    async kill() {
      child.kill('SIGKILL');
      // PostgreSQL's immediate shutdown: it takes its backends down with it.
      const pid = serverPid();
      if (pid !== undefined) signalIfAlive(pid, 'SIGQUIT');
      await ended;
    },
  };
}

async function readyMessage(child: ChildProcess): Promise<ReadyMessage> {
  const firstLine = await new Promise<string>((resolve) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', () => resolve(''));
  });
  try {
    return firstLine ? (JSON.parse(firstLine) as ReadyMessage) : { ready: false };
  } catch {
    return { ready: false, error: firstLine };
  }
}
