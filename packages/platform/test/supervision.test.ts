// Supervision end to end: under `azora start --json`, a service or the database killed outright
// comes back by itself, the services reconnect, and stopping the launcher leaves nothing behind.
import {
  cleanUpLaunchers,
  eventsOf,
  freePortOffset,
  launcherEnv,
  startLauncher,
  waitForEvent,
  waitForExit,
  waitForReady,
  type LauncherEvent,
  type LauncherRun,
  type ReadyEvent,
} from './support/launcher-runs';
import { isAlive, postmasterPidIn, processesMentioning, signal, waitUntil } from './support/pids';

const BACK_WITHIN_MS = 60_000;

afterAll(cleanUpLaunchers, 90_000);

async function readyStatus(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

/** The next `event` for `name`, after those printed so far. */
function nextEvent(run: LauncherRun, event: string, name: string): Promise<LauncherEvent> {
  const seen = eventsOf(run).filter((e) => e.event === event && e.name === name).length;
  let count = 0;
  return waitForEvent(run, (e) => e.event === event && e.name === name && ++count > seen, BACK_WITHIN_MS);
}

function urlOf(ready: ReadyEvent, name: string): string {
  return ready.services.find((s) => s.name === name)!.url;
}

describe('supervision under azora start', () => {
  let run: LauncherRun;
  let ready: ReadyEvent;

  beforeAll(async () => {
    const { env } = await launcherEnv(await freePortOffset());
    run = startLauncher(env);
    ready = await waitForReady(run);
  }, 120_000);

  it('When a service is killed with SIGKILL, then it is restarted, its /ready answers again, and the restart is logged with the signal and its last log lines', async () => {
    // Arrange
    const mint = ready.services.find((s) => s.name === 'azora-mint')!;
    const exited = nextEvent(run, 'exited', 'azora-mint');
    const restarted = nextEvent(run, 'restarted', 'azora-mint');
    const killedPid = currentPidOf(run, 'azora-mint') ?? mint.pid;

    // Act
    signal(killedPid, 'SIGKILL');
    const back = await restarted;

    // Assert
    expect(await exited).toMatchObject({ pid: killedPid, signal: 'SIGKILL', restartInMs: expect.any(Number) });
    expect(back).toMatchObject({ ready: true, restarts: expect.any(Number) });
    expect(back.pid).not.toBe(killedPid);
    expect(isAlive(back.pid!)).toBe(true);
    expect(await readyStatus(mint.url)).toMatchObject({ status: 200 });
    const log = run.stdout.join('\n');
    expect(log).toContain(`azora-mint (pid ${killedPid}) exited on signal SIGKILL`);
    expect(log).toMatch(/Its last log lines:\n {4}azora-mint +\| INFO/);
    expect(log).toContain(`azora-mint is back (pid ${back.pid}`);
  });

  it("When the PostgreSQL server is killed with SIGKILL, then it is restarted on the same data directory, and a service's /ready names the database while it is down and answers 200 once it is back", async () => {
    // Arrange
    const education = urlOf(ready, 'azora-education');
    const killedPid = postmasterPidIn(run.dataDir)!;
    const restarted = nextEvent(run, 'restarted', 'postgres');
    let back = false;
    void restarted.then(() => (back = true)).catch(() => undefined);
    let whileDown: { status: number; body: string } | undefined;

    // Act
    signal(killedPid, 'SIGKILL');
    await waitUntil(async () => {
      const answer = await readyStatus(education);
      if (answer.status === 503) whileDown = answer;
      return whileDown !== undefined || back;
    }, BACK_WITHIN_MS);
    await restarted;
    const recovered = await waitUntil(async () => (await readyStatus(education)).status === 200, BACK_WITHIN_MS);

    // Assert
    expect(whileDown?.status).toBe(503);
    expect(JSON.parse(whileDown!.body)).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ name: 'database', status: 'failing' })]),
    });
    expect(recovered).toBe(true);
    expect(isAlive(killedPid)).toBe(false);
    const newPid = postmasterPidIn(run.dataDir);
    expect(newPid).not.toBe(killedPid);
    expect(isAlive(newPid!)).toBe(true);
    expect(run.stdout.join('\n')).toContain('postgres is back');
  });

  it('When the database host is killed with SIGKILL, then the server it leaves running is stopped and a new one serves the services', async () => {
    // Arrange
    const forge = urlOf(ready, 'azora-forge');
    const hostPid = currentPidOf(run, 'postgres') ?? ready.databasePid!;
    const orphan = postmasterPidIn(run.dataDir)!;
    const restarted = nextEvent(run, 'restarted', 'postgres');

    // Act
    signal(hostPid, 'SIGKILL');
    await restarted;
    const recovered = await waitUntil(async () => (await readyStatus(forge)).status === 200, BACK_WITHIN_MS);

    // Assert
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterPidIn(run.dataDir)).not.toBe(orphan);
    expect(recovered).toBe(true);
  });
});

/** The pid of `name`'s last restart, if it has been restarted. */
function currentPidOf(run: LauncherRun, name: string): number | undefined {
  const restarted = [...eventsOf(run)].reverse().find((e) => e.event === 'restarted' && e.name === name);
  return restarted?.pid;
}

/** Every pid a run has printed, and each PostgreSQL server seen in its data directory. */
function pidsOf(run: LauncherRun, servers: number[]): number[] {
  const pids = eventsOf(run).flatMap((e) => {
    const r = e as Partial<ReadyEvent> & LauncherEvent;
    return [...(r.services ?? []).map((s) => s.pid), r.databasePid, r.postgresPid, r.pid];
  });
  return [...new Set([...pids, ...servers].filter((pid): pid is number => typeof pid === 'number' && pid > 0))];
}

describe('stopping a supervised platform', () => {
  it('When the launcher gets SIGTERM after it restarted a service and the database, then it exits 0 and no process it ever started remains', async () => {
    // Arrange
    const { env, dataDir } = await launcherEnv(await freePortOffset());
    const run = startLauncher(env);
    const ready = await waitForReady(run);
    const servers = [postmasterPidIn(dataDir)!];
    const serviceBack = nextEvent(run, 'restarted', 'azora-pay');
    signal(ready.services.find((s) => s.name === 'azora-pay')!.pid, 'SIGKILL');
    await serviceBack;
    const databaseBack = nextEvent(run, 'restarted', 'postgres');
    signal(servers[0]!, 'SIGKILL');
    await databaseBack;
    servers.push(postmasterPidIn(dataDir)!);

    // Act
    run.process.kill('SIGTERM');
    const exit = await waitForExit(run, 60_000);

    // Assert
    expect({ exit, output: exit.code === 0 ? '' : run.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: '',
    });
    const pids = pidsOf(run, servers);
    expect(pids.length).toBeGreaterThanOrEqual(14); // 10 + restarted + 2 hosts + 2 servers
    expect(pids.filter(isAlive)).toEqual([]);
    expect(postmasterPidIn(dataDir)).toBeUndefined();
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(run.stdout.join('\n')).toContain('restarts during this run: azora-pay 1, postgres 1');
  }, 180_000);

  it('When a second SIGINT comes while a service does not stop, then the launcher says it kills everything, and no process remains', async () => {
    // Arrange: a service that cannot act on SIGTERM (stopped) holds the graceful stop up.
    const { env, dataDir } = await launcherEnv(await freePortOffset());
    const run = startLauncher(env);
    const ready = await waitForReady(run);
    const pids = pidsOf(run, [postmasterPidIn(dataDir)!]);
    signal(ready.services.find((s) => s.name === 'monitoring-service')!.pid, 'SIGSTOP');

    // Act
    run.process.kill('SIGINT');
    await waitUntil(() => run.stdout.some((line) => line.startsWith('SIGINT: stopping')), 10_000);
    run.process.kill('SIGINT');
    const exit = await waitForExit(run, 60_000);

    // Assert
    expect(run.stdout.join('\n')).toContain('SIGINT again: killing every process now (SIGKILL');
    expect(exit).toEqual({ code: 1, signal: null });
    expect(pids.filter(isAlive)).toEqual([]);
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 180_000);
});
