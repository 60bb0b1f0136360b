// The launcher end to end: `azora start --json` boots the embedded database and all ten
// services from their dist/ builds, and SIGTERM takes every one of them down again.
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SERVICES } from '@azora/contracts';
import {
  cleanUpLaunchers,
  freePortOffset,
  launcherEnv,
  startLauncher,
  stopLauncher,
  troubleIn,
  waitForExit,
  waitForReady,
} from './support/launcher-runs';
import { isAlive, processesMentioning, waitUntil } from './support/pids';

afterAll(cleanUpLaunchers, 90_000);

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
  it('When the launcher starts, then Nexus is ready first, all ten services answer /ready, nothing warns and the summary links the status page; when it gets SIGTERM, then it exits 0 and leaves no process behind', async () => {
    // Arrange
    const offset = await freePortOffset();
    const { env, dataDir } = await launcherEnv(offset);
    const run = startLauncher(env);
    const ready = await waitForReady(run);
    const readyStatuses = await Promise.all(
      ready.services.map(async (s) => ({ name: s.name, status: (await fetch(`${s.url}/ready`)).status })),
    );
    const startOutput = [...run.stdout, ...run.stderr];
    const statusPage = await fetch(ready.statusPage);

    // Act
    run.process.kill('SIGTERM');
    const exit = await waitForExit(run, 60_000);

    // Assert
    expect(ready.services.map((s) => [s.name, s.url, s.status])).toEqual(
      SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.port + offset}`, 'ready']),
    );
    expect(readyStatuses).toEqual(SERVICES.map((s) => ({ name: s.name, status: 200 })));
    expect(troubleIn(startOutput)).toEqual([]);
    const statusPageUrl = `http://127.0.0.1:${3013 + offset}/`;
    expect(ready.statusPage).toBe(statusPageUrl);
    expect({ status: statusPage.status, type: statusPage.headers.get('content-type') }).toEqual({
      status: 200,
      type: expect.stringMatching(/^text\/html/),
    });
    expect(run.stdout).toContainEqual(
      expect.stringMatching(new RegExp(`^monitoring-service +${statusPageUrl} +ready`)),
    );
    expect(run.stdout).toContainEqual(`  status page     ${statusPageUrl} (JSON: ${statusPageUrl}api/services/status)`);
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
