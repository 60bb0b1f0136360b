// The launcher: database (embedded or DATABASE_URL), bootstrap, then all ten services as
// separate processes with prefixed logs; waits for every /ready and stops everything in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES, databaseUrlVariable, serviceUrlVariable, type ServiceInfo } from '@azora/contracts';
import { REPO_ROOT, bootstrap, checkDataDirectoryAccess, loadRolePasswords, platformDatabases } from '@azora/database';
import { provisionServiceKeys } from '@azora/service-kit';
import { createPrefixer } from './log-format';
import { portIsFree } from './ports';

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
  databasePid: number | null;
  totalMs: number;
  stop(): Promise<void>;
}

interface Child {
  info: ServiceInfo;
  port: number;
  process: ChildProcess;
  lastLines: string[];
  exitCode: number | null | undefined;
  exit: Promise<void>;
}

const LAST_LINES = 30;

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function startDatabaseHost(options: LaunchOptions): Promise<{ superuserUrl: string; process: ChildProcess }> {
  checkDataDirectoryAccess(path.join(options.dataDir, 'postgres'));
  if (!(await portIsFree(options.pgPort, '127.0.0.1'))) {
    throw new Error(
      `port ${options.pgPort} (embedded PostgreSQL) is already in use: stop what uses it or set AZORA_PG_PORT`,
    );
  }
  // Detached: its own process group, so Ctrl-C reaches only the launcher, which stops it last.
  const child = spawn(process.execPath, [path.join(__dirname, 'db-host.js')], {
    env: { ...process.env, AZORA_DATA_DIR: options.dataDir, AZORA_PG_PORT: String(options.pgPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = createPrefixer('postgres', SERVICES.length, 20, options.colour);
  const lastLines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    lastLines.push(line);
    if (lastLines.length > LAST_LINES) lastLines.shift();
    if (/ERROR|FATAL|PANIC/.test(line)) options.print(prefix(line));
  });
  const firstLine = await new Promise<string>((resolve) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', () => resolve(''));
  });
  const message = firstLine
    ? (JSON.parse(firstLine) as { ready: boolean; superuserUrl?: string; error?: string })
    : { ready: false };
  if (!message.ready || !message.superuserUrl) {
    await stopProcess(child, 5_000);
    const reason = 'error' in message ? message.error : 'it exited';
    throw new Error(`the embedded PostgreSQL server did not start: ${reason}\n${lastLines.join('\n')}`);
  }
  return { superuserUrl: message.superuserUrl, process: child };
}

function spawnService(info: ServiceInfo, index: number, env: NodeJS.ProcessEnv, options: LaunchOptions): Child {
  const entry = path.join(REPO_ROOT, 'services', info.name, 'dist', 'server.js');
  const child = spawn(process.execPath, [entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    cwd: path.dirname(path.dirname(entry)),
  });
  const width = Math.max(...SERVICES.map((s) => s.name.length));
  const prefix = createPrefixer(info.name, index, width, options.colour);
  const record: Child = {
    info,
    port: info.port + options.portOffset,
    process: child,
    lastLines: [],
    exitCode: undefined,
    exit: waitForExit(child),
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      record.lastLines.push(line);
      if (record.lastLines.length > LAST_LINES) record.lastLines.shift();
      options.print(prefix(line));
    });
  }
  child.once('exit', (code) => {
    record.exitCode = code;
  });
  return record;
}

async function waitUntilReady(child: Child, host: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if (child.exitCode !== undefined) return false;
    try {
      const res = await fetch(`http://${host}:${child.port}/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function crashReport(child: Child): string {
  return `${child.info.name} exited with code ${String(child.exitCode)}; its last log lines:\n${child.lastLines.map((l) => `    ${l}`).join('\n')}`;
}

export async function launch(options: LaunchOptions): Promise<Launched> {
  const started = Date.now();
  const ports = SERVICES.map((s) => ({ info: s, port: s.port + options.portOffset }));
  for (const { info, port } of ports) {
    if (!(await portIsFree(port, options.host))) {
      throw new Error(
        `port ${port} (${info.name}) is already in use: stop what uses it, or set AZORA_PORT_OFFSET to move every port`,
      );
    }
  }

  const database = options.databaseUrl ? null : await startDatabaseHost(options);
  const stopDatabase = async () => {
    if (database) await stopProcess(database.process, 15_000);
  };
  const superuserUrl = options.databaseUrl ?? database!.superuserUrl;
  let urls: Record<string, string>;
  try {
    const databases = platformDatabases();
    const passwords = await loadRolePasswords(
      path.join(options.dataDir, 'role-passwords.json'),
      databases.map((d) => d.schema),
    );
    urls = await bootstrap({ superuserUrl, databases, passwords });
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  // Each service signs with its own key; all verify against the deployment's public key set.
  const keys = await provisionServiceKeys(
    path.join(options.dataDir, 'keys'),
    SERVICES.map((s) => s.name),
  );
  const peers = Object.fromEntries(
    ports.map(({ info, port }) => [serviceUrlVariable(info.name), `http://${options.host}:${port}`]),
  );
  // Each service gets its own role's URL; the superuser URL stays with the launcher.
  const { DATABASE_URL: _superuser, ...inherited } = process.env;
  const children = ports.map(({ info, port }, index) =>
    spawnService(
      info,
      index,
      {
        ...inherited,
        ...peers,
        PORT: String(port),
        HOST: options.host,
        LOG_LEVEL: options.logLevel,
        [databaseUrlVariable(info.schema)]: urls[info.schema],
        AZORA_DATA_DIR: options.dataDir,
        SERVICE_KEY_FILE: keys.keyFile(info.name),
        SERVICE_JWKS_FILE: keys.jwksFile,
        AZORA_LAUNCHER_PID: String(process.pid),
      },
      options,
    ),
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(children.map((c) => stopProcess(c.process, 15_000)));
      await stopDatabase();
    })();
    return stopping;
  };

  const deadline = Date.now() + options.readyTimeoutMs;
  const ready = await Promise.all(
    children.map((c) => waitUntilReady(c, options.host, deadline).then((ok) => ({ ok, at: Date.now() }))),
  );
  const failed = children.filter((_, i) => !ready[i]?.ok);
  if (failed.length > 0) {
    const reports = failed.map((c) =>
      c.exitCode !== undefined
        ? crashReport(c)
        : `${c.info.name} did not become ready within ${options.readyTimeoutMs} ms`,
    );
    await stop();
    throw new Error(reports.join('\n'));
  }

  const services: ServiceStatus[] = children.map((c, i) => ({
    name: c.info.name,
    url: `http://${options.host}:${c.port}`,
    pid: c.process.pid ?? -1,
    status: 'ready',
    bootMs: (ready[i]?.at ?? Date.now()) - started,
    rssMb: c.process.pid ? rssMb(c.process.pid) : null,
  }));
  for (const child of children) {
    void child.exit.then(() => {
      if (!stopping) options.onServiceExit?.(crashReport(child));
    });
  }
  return { services, databasePid: database?.process.pid ?? null, totalMs: Date.now() - started, stop };
}
