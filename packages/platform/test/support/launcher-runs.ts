// Runs of the real launcher (`azora start --json` from dist/) for the end-to-end tests: each on a
// free port offset, a free PostgreSQL port and a temporary data directory; its lines, its JSON
// events, and clean-up of whatever a failed test left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES } from '@azora/contracts';
import { freePort } from '@azora/testing';
import { portIsFree, type ServiceStatus } from '../../src';
import { isAlive, postmasterPidIn, signal, waitUntil } from './pids';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const READY_WITHIN_MS = 90_000;

export interface ReadyEvent {
  event: 'ready';
  totalMs: number;
  databasePid: number | null;
  postgresPid: number | null;
  statusPage: string;
  services: ServiceStatus[];
}

/** A JSON line the launcher prints with --json: `ready`, or a supervision event. */
export interface LauncherEvent {
  event: string;
  name?: string;
  pid?: number;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LauncherRun {
  readonly process: ChildProcess;
  readonly dataDir: string;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Every line so far, for failure messages. */
  output(): string;
}

const tempDirs: string[] = [];
const launchers: LauncherRun[] = [];
/** Pids the launcher reported; stopped by cleanUpLaunchers if a failed test left them running. */
const reportedPids = new Set<number>();

/** For afterAll: every launcher stopped, what a failed test left behind stopped, the data gone. */
export async function cleanUpLaunchers(): Promise<void> {
  for (const run of launchers) await stopLauncher(run);
  // The polite way first, so that a database host shuts its PostgreSQL down; then by force.
  await stopAll([...reportedPids].filter(isAlive));
  for (const dir of tempDirs) {
    await stopPostmasterOf(path.join(dir, 'postgres'));
    await rm(dir, { recursive: true, force: true });
  }
}

async function stopAll(pids: number[]): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  await waitUntil(() => !pids.some(isAlive), 20_000);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
}

/** Waits for the PostgreSQL server of `dataDir` to go, and stops it if it lingers. */
async function stopPostmasterOf(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  await waitUntil(() => !existsSync(pidFile), 10_000);
  const pid = postmasterPidIn(path.dirname(dataDir));
  if (pid === undefined || !isAlive(pid)) return;
  signal(pid, 'SIGINT'); // PostgreSQL's fast shutdown
  await waitUntil(() => !isAlive(pid), 15_000);
}

async function enterableTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-platform-test-'));
  await chmod(dir, 0o755);
  tempDirs.push(dir);
  return dir;
}

/** An AZORA_PORT_OFFSET under which every service's port is free. */
export async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Every port below 32768, where the kernel hands out ephemeral ports: a free port picked with
    // listen(0) by a test running alongside (the database's, a fake's) can never take one of ours.
    // (Ports 13000-22900; the operations tests take theirs above, from 23000.)
    const offset = 10_000 + 100 * randomInt(90);
    const free = await Promise.all(SERVICES.map((s) => portIsFree(s.port + offset, '127.0.0.1')));
    if (free.every(Boolean)) return offset;
  }
  throw new Error('found no port offset under which all ten service ports are free');
}

/** The environment of a launcher on a fresh data directory, never a DATABASE_URL of the caller's. */
export async function launcherEnv(portOffset: number): Promise<{ env: NodeJS.ProcessEnv; dataDir: string }> {
  const { DATABASE_URL: _databaseUrl, HOST: _host, ...inherited } = process.env;
  const dataDir = await enterableTempDir();
  const env = {
    ...inherited,
    AZORA_DATA_DIR: dataDir,
    AZORA_PG_PORT: String(await freePort()),
    AZORA_PORT_OFFSET: String(portOffset),
  };
  return { env, dataDir };
}

export function startLauncher(env: NodeJS.ProcessEnv): LauncherRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx turbo run build" first`);
  const child = spawn(process.execPath, [CLI, 'start', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const pid of pidsIn(line)) reportedPids.add(pid);
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  // 'close', not 'exit': it comes after the last line of both streams.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const run: LauncherRun = {
    process: child,
    dataDir: env['AZORA_DATA_DIR'] ?? '',
    stdout,
    stderr,
    exited,
    output: () => `--- stdout\n${stdout.join('\n')}\n--- stderr\n${stderr.join('\n')}`,
  };
  launchers.push(run);
  return run;
}

/** Every pid a JSON event line names (the services', the database's, a restarted one's). */
function pidsIn(line: string): number[] {
  if (!line.startsWith('{"event":')) return [];
  const event = JSON.parse(line) as Partial<ReadyEvent> & { pid?: number };
  return [
    ...(event.services ?? []).map((s) => s.pid),
    ...[event.databasePid, event.postgresPid, event.pid].filter((pid): pid is number => typeof pid === 'number'),
  ].filter((pid) => pid > 0);
}

/** The JSON events printed so far. */
export function eventsOf(run: LauncherRun): LauncherEvent[] {
  return run.stdout.filter((line) => line.startsWith('{"event":')).map((line) => JSON.parse(line) as LauncherEvent);
}

/** Resolves with the first event `matches` accepts; fails with the output if the launcher exits
 * first or `timeoutMs` passes. */
export async function waitForEvent(
  run: LauncherRun,
  matches: (event: LauncherEvent) => boolean,
  timeoutMs: number,
): Promise<LauncherEvent> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void run.exited.then((e) => (exit = e));
  for (;;) {
    const found = eventsOf(run).find(matches);
    if (found) return found;
    if (exit) throw new Error(`the launcher exited (${JSON.stringify(exit)}) before the event:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no such event within ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The launcher's ready line; fails with everything it printed if it exits or takes too long. */
export async function waitForReady(run: LauncherRun): Promise<ReadyEvent> {
  return (await waitForEvent(run, (e) => e.event === 'ready', READY_WITHIN_MS)) as unknown as ReadyEvent;
}

export async function waitForExit(run: LauncherRun, timeoutMs: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the launcher did not exit within ${timeoutMs} ms:\n${run.output()}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function stopLauncher(run: LauncherRun): Promise<void> {
  if (run.process.exitCode !== null || run.process.signalCode !== null) return;
  run.process.kill('SIGTERM');
  await waitForExit(run, 30_000).catch(() => {
    run.process.kill('SIGKILL');
    return run.exited;
  });
}

/** Lines a newcomer would read as trouble: warnings, errors, stack traces, failed readiness. */
export function troubleIn(lines: readonly string[]): string[] {
  return lines.filter((line) => /\b(WARN|ERROR|FATAL)\b|could not subscribe|status=5\d\d|^\s+at /.test(line));
}
