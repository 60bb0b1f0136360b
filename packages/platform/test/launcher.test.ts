// The launcher end to end: `azora start --json` boots the embedded database and all ten
// services from their dist/ builds, and SIGTERM takes every one of them down again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES } from '@azora/contracts';
import { freePort } from '@azora/testing';
import { portIsFree, type ServiceStatus } from '../src';

const CLI = path.resolve(__dirname, '..', 'dist', 'cli.js');
const READY_WITHIN_MS = 90_000;

interface ReadyEvent {
  event: 'ready';
  totalMs: number;
  databasePid: number | null;
  services: ServiceStatus[];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface LauncherRun {
  readonly process: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** Every line so far, for failure messages. */
  output(): string;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const tempDirs: string[] = [];
const launchers: LauncherRun[] = [];
/** Pids the launcher reported; killed in afterAll if a failed test left them running. */
const reportedPids = new Set<number>();

afterAll(async () => {
  for (const run of launchers) await stopLauncher(run);
  // A failed test can leave what the launcher started: stop it the polite way first, so that the
  // database host shuts its PostgreSQL down, and only then by force.
  await stopAll([...reportedPids].filter(isAlive));
  for (const dir of tempDirs) {
    await stopPostmasterOf(path.join(dir, 'postgres'));
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);

async function stopAll(pids: number[]): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  await waitUntil(() => !pids.some(isAlive), 20_000);
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
}

/** Sends `name` to `pid`, which may have exited meanwhile. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Waits for the PostgreSQL server of `dataDir` to go, and stops it if it lingers. */
async function stopPostmasterOf(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  await waitUntil(() => !existsSync(pidFile), 10_000);
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
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
async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const offset = 20_000 + 100 * randomInt(200);
    const free = await Promise.all(SERVICES.map((s) => portIsFree(s.port + offset, '127.0.0.1')));
    if (free.every(Boolean)) return offset;
  }
  throw new Error('found no port offset under which all ten service ports are free');
}

/** The environment of a launcher on a fresh data directory, never a DATABASE_URL of the caller's. */
async function launcherEnv(portOffset: number): Promise<{ env: NodeJS.ProcessEnv; dataDir: string }> {
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

function startLauncher(env: NodeJS.ProcessEnv): LauncherRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx turbo run build" first`);
  const child = spawn(process.execPath, [CLI, 'start', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  // 'close', not 'exit': it comes after the last line of both streams.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const run: LauncherRun = {
    process: child,
    stdout,
    stderr,
    exited,
    output: () => `--- stdout\n${stdout.join('\n')}\n--- stderr\n${stderr.join('\n')}`,
  };
  launchers.push(run);
  return run;
}

function readyEventIn(lines: readonly string[]): ReadyEvent | undefined {
  for (const line of lines) {
    if (!line.startsWith('{"event":"ready"')) continue;
    return JSON.parse(line) as ReadyEvent;
  }
  return undefined;
}

/** The launcher's ready line; fails with everything it printed if it exits or takes too long. */
async function waitForReady(run: LauncherRun): Promise<ReadyEvent> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let exit: Exit | undefined;
  void run.exited.then((e) => (exit = e));
  for (;;) {
    const ready = readyEventIn(run.stdout);
    if (ready) {
      for (const s of ready.services) reportedPids.add(s.pid);
      if (ready.databasePid !== null) reportedPids.add(ready.databasePid);
      return ready;
    }
    if (exit) throw new Error(`the launcher exited (${JSON.stringify(exit)}) before it was ready:\n${run.output()}`);
    if (Date.now() > deadline)
      throw new Error(`the launcher was not ready within ${READY_WITHIN_MS} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForExit(run: LauncherRun, timeoutMs: number): Promise<Exit> {
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

async function stopLauncher(run: LauncherRun): Promise<void> {
  if (run.process.exitCode !== null || run.process.signalCode !== null) return;
  run.process.kill('SIGTERM');
  await waitForExit(run, 30_000).catch(() => {
    run.process.kill('SIGKILL');
    return run.exited;
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The environment a process was started with (Linux /proc). */
function environmentOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The real uid a process runs as (Linux /proc). */
function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

/** Lines a newcomer would read as trouble: warnings, errors, stack traces, failed readiness. */
function troubleIn(lines: readonly string[]): string[] {
  return lines.filter((line) => /\b(WARN|ERROR|FATAL)\b|could not subscribe|status=5\d\d|^\s+at /.test(line));
}

/** Pids of the processes whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

function holdPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('azora start', () => {
  it('When the launcher starts, then Nexus is ready first, all ten services answer /ready and nothing warns; when it gets SIGTERM, then it exits 0 and leaves no process behind', async () => {
    // Arrange
    const offset = await freePortOffset();
    const { env, dataDir } = await launcherEnv(offset);
    const run = startLauncher(env);
    const ready = await waitForReady(run);
    const readyStatuses = await Promise.all(
      ready.services.map(async (s) => ({ name: s.name, status: (await fetch(`${s.url}/ready`)).status })),
    );
    const startOutput = [...run.stdout, ...run.stderr];

    // Act
    run.process.kill('SIGTERM');
    const exit = await waitForExit(run, 60_000);

    // Assert
    expect(ready.services.map((s) => [s.name, s.url, s.status])).toEqual(
      SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.port + offset}`, 'ready']),
    );
    expect(readyStatuses).toEqual(SERVICES.map((s) => ({ name: s.name, status: 200 })));
    expect(troubleIn(startOutput)).toEqual([]);
    const nexus = ready.services.find((s) => s.name === 'azora-nexus')!;
    const startedTooEarly = ready.services.filter((s) => s.name !== 'azora-nexus' && s.bootMs <= nexus.bootMs);
    expect(startedTooEarly.map((s) => s.name)).toEqual([]);
    expect(ready.databasePid).toEqual(expect.any(Number));
    expect({ exit, output: exit.code === 0 ? '' : run.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: '',
    });
    const pids = [...ready.services.map((s) => s.pid), ready.databasePid as number];
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(processesMentioning(dataDir)).toEqual([]);
  });

  it("When the services run, then each process's environment holds its own secrets only, each key file is 0600, and as root each service is an OS user of its own owning its key", async () => {
    // Arrange
    const { env, dataDir } = await launcherEnv(await freePortOffset());
    const run = startLauncher({ ...env, PAY_PROVIDER_SECRET: 'for-pay-only' });
    const ready = await waitForReady(run);

    // Act
    const environments = ready.services.map((s) => ({ name: s.name, env: environmentOf(s.pid) }));
    const uids = ready.services.map((s) => ({ name: s.name, uid: uidOf(s.pid) }));
    await stopLauncher(run);

    // Assert
    for (const { name, env: serviceEnvironment } of environments) {
      const own = SERVICES.find((s) => s.name === name)!;
      const databaseVariables = Object.keys(serviceEnvironment).filter((key) => key.endsWith('DATABASE_URL'));
      expect({ name, databaseVariables }).toEqual({
        name,
        databaseVariables: [`${own.schema.toUpperCase()}_DATABASE_URL`],
      });
      expect(serviceEnvironment[databaseVariables[0]!]).toMatch(new RegExp(`^postgres://azora_${own.schema}:`));
      expect(serviceEnvironment['SERVICE_KEY_FILE']).toBe(path.join(dataDir, 'keys', `${name}.private.pem`));
      expect(Object.values(serviceEnvironment).join('\n')).not.toContain('role-passwords.json');
      expect(serviceEnvironment).not.toHaveProperty('AZORA_DATA_DIR');
      expect('PAY_PROVIDER_SECRET' in serviceEnvironment).toBe(name === 'azora-pay');
      expect('GATEWAY_KEY_ENCRYPTION_KEY_FILE' in serviceEnvironment).toBe(name === 'api-gateway');
    }
    const keyFile = path.join(dataDir, 'keys', 'gateway-key-encryption.key');
    expect(environments.find((e) => e.name === 'api-gateway')?.env['GATEWAY_KEY_ENCRYPTION_KEY_FILE']).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const owners = uids.map(({ name }) => {
      const key = statSync(path.join(dataDir, 'keys', `${name}.private.pem`));
      return { name, uid: key.uid, mode: key.mode & 0o777 };
    });
    expect(owners.map((o) => o.mode)).toEqual(SERVICES.map(() => 0o600));
    if (process.getuid?.() === 0) {
      // Root's own secrets stay root's; each service's key is its own user's, unreadable to the others.
      expect(new Set(uids.map((u) => u.uid)).size).toBe(SERVICES.length);
      expect(uids.filter((u) => u.uid === 0)).toEqual([]);
      expect(owners.map(({ name, uid }) => ({ name, uid }))).toEqual(uids);
      expect(statSync(keyFile).uid).toBe(uids.find((u) => u.name === 'api-gateway')?.uid);
      for (const secret of ['role-passwords.json', 'postgres-password']) {
        const info = statSync(path.join(dataDir, secret));
        expect({ secret, owner: info.uid, mode: info.mode & 0o777 }).toEqual({ secret, owner: 0, mode: 0o600 });
      }
    }
  });

  it('When the launcher is killed outright, then no service and no database outlives it', async () => {
    // Arrange
    const { env, dataDir } = await launcherEnv(await freePortOffset());
    const run = startLauncher(env);
    const ready = await waitForReady(run);
    const pids = [...ready.services.map((s) => s.pid), ready.databasePid as number];

    // Act
    run.process.kill('SIGKILL');
    await waitUntil(() => !pids.some(isAlive), 30_000);

    // Assert
    expect(pids.filter(isAlive)).toEqual([]);
    await waitUntil(() => !existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 15_000);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it("When a service's port is already in use, then the launcher exits 1 and names the port and the service", async () => {
    // Arrange
    const offset = await freePortOffset();
    const { env } = await launcherEnv(offset);
    const mintPort = 3002 + offset;
    const holder = await holdPort(mintPort);
    try {
      // Act
      const run = startLauncher(env);
      const exit = await waitForExit(run, 30_000);

      // Assert
      expect(exit).toEqual({ code: 1, signal: null });
      expect(run.stderr.join('\n')).toContain(`port ${mintPort} (azora-mint) is already in use`);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
