// start-production.sh against a real PostgreSQL (the test run's server, a database of this file's
// own): it starts the ten services, reports them, supervises them, leaves a second start alone
// and stops them all. One start costs about twenty seconds on two cores, so the tests share it
// and the last one stops it; afterAll kills by PID whatever a failure left behind.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SERVICES } from '@azora/contracts';
import { createTestDatabase, testServerInfo, type TestDatabase } from '@azora/testing';
import { REPO_ROOT, requireTool, run, type Run } from './support/tools';

const SCRIPT = path.join(REPO_ROOT, 'start-production.sh');

let database: TestDatabase;
let dir: string;
let offset: number;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** An offset at which every catalog port is free on 127.0.0.1. */
async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Ports 23000-31790: below the kernel's ephemeral range (from 32768), where a port another
    // test picks with listen(0) could land, and above the launcher tests' (up to 22900).
    const candidate = 20_000 + Math.floor(Math.random() * 780) * 10;
    const free = await Promise.all(SERVICES.map((s) => portFree(s.port + candidate)));
    if (free.every(Boolean)) return candidate;
  }
  throw new Error('no free port range for the ten services');
}

function script(args: string[], extra: NodeJS.ProcessEnv = {}): Run {
  return run(SCRIPT, args, {
    env: {
      PATH: process.env['PATH'],
      HOME: dir,
      DATABASE_URL: database.superuserUrl,
      HOST: '127.0.0.1',
      AZORA_PORT_OFFSET: String(offset),
      AZORA_RUN_DIR: path.join(dir, 'run'),
      AZORA_DATA_DIR: path.join(dir, 'data'),
      AZORA_ENV_FILE: '/dev/null',
      // The test run has built every workspace (turbo's ^build); the script is not to reinstall.
      AZORA_SKIP_BUILD: '1',
      AZORA_READY_TIMEOUT: '150',
      ...extra,
    },
  });
}

/** Every PID the run directory knows: supervisors and services. */
function recordedPids(): number[] {
  const pids = path.join(dir, 'run', 'pids');
  if (!existsSync(pids)) return [];
  return readdirSync(pids).map((file) => Number(readFileSync(path.join(pids, file), 'utf8')));
}

/** Whether pid runs (a zombie, exited but not yet reaped by whoever adopted it, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

function servicePid(name: string): number {
  return Number(readFileSync(path.join(dir, 'run', 'pids', `${name}.pid`), 'utf8'));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting: ${what}`);
}

const startedPids = new Set<number>();

beforeAll(async () => {
  requireTool('shellcheck');
  database = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'azora-production-'));
  chmodSync(dir, 0o755);
  offset = await freeOffset();
  // The roles belong to the whole server: keep the passwords the other test databases use.
  const data = path.join(dir, 'data');
  spawnSync('mkdir', ['-p', data]);
  writeFileSync(path.join(data, 'role-passwords.json'), JSON.stringify(testServerInfo().passwords), { mode: 0o600 });
});

afterAll(async () => {
  for (const pid of [...recordedPids(), ...startedPids]) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('start-production.sh', () => {
  it('When checked with shellcheck, then it has no finding', () => {
    const result = run('shellcheck', [SCRIPT]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('When DATABASE_URL is not set, then start stops and says so', () => {
    const result = run(SCRIPT, ['start'], {
      env: { PATH: process.env['PATH'], AZORA_ENV_FILE: '/dev/null', AZORA_RUN_DIR: path.join(dir, 'no-db') },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set');
  });

  it('When the database cannot be reached, then start stops naming where it looked', () => {
    const result = script(['start'], {
      DATABASE_URL: 'postgres://postgres:x@127.0.0.1:1/azora',
      AZORA_RUN_DIR: path.join(dir, 'unreachable'),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PostgreSQL at 127.0.0.1:1 (DATABASE_URL) is not reachable');
  });

  describe('against a real PostgreSQL', () => {
    let started: Run;
    beforeAll(() => {
      started = script(['start']);
      for (const pid of recordedPids()) startedPids.add(pid);
    });

    it('When started, then every service is ready on its port and the status table says so', () => {
      expect(started.stderr).toBe('');
      expect(started.status).toBe(0);
      for (const info of SERVICES) {
        expect(started.stdout).toMatch(
          new RegExp(`${info.name} +http://127\\.0\\.0\\.1:${info.port + offset} +\\d+ +ready`),
        );
      }
    });

    it('When asked for the status, then it lists every service as ready and exits 0', () => {
      const status = script(['status']);
      expect(status.status).toBe(0);
      expect(status.stdout.split('\n').filter((line) => / ready /.test(line))).toHaveLength(SERVICES.length);
    });

    it('When started a second time, then the running services are left alone', () => {
      const before = servicePid('azora-mint');
      const again = script(['start']);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('azora-mint is already running');
      expect(servicePid('azora-mint')).toBe(before);
    });

    it('When a service dies, then it is started again and the restart is logged', async () => {
      const before = servicePid('azora-education');
      process.kill(before, 'SIGKILL');
      await until(() => {
        const file = path.join(dir, 'run', 'pids', 'azora-education.pid');
        return existsSync(file) && Number(readFileSync(file, 'utf8')) !== before;
      }, 'a new azora-education process');
      startedPids.add(servicePid('azora-education'));
      const log = readFileSync(path.join(dir, 'run', 'logs', 'supervisor.log'), 'utf8');
      expect(log).toMatch(/azora-education exited with code 137 after \d+s; restart 1 in 1s/);
      await until(() => / ready +1\n/.test(script(['status']).stdout), 'azora-education ready after its restart');
    });

    it('When one service is restarted, then it runs again under a new process and the others keep theirs', () => {
      const pay = servicePid('azora-pay');
      const mint = servicePid('azora-mint');
      const restarted = script(['restart', 'azora-pay']);
      expect(restarted.status).toBe(0);
      for (const pid of recordedPids()) startedPids.add(pid);
      expect(servicePid('azora-pay')).not.toBe(pay);
      expect(alive(pay)).toBe(false);
      expect(servicePid('azora-mint')).toBe(mint);
    });

    it("When asked for a service's logs, then it prints its JSON log lines", () => {
      const logs = script(['logs', 'azora-nexus']);
      expect(logs.status).toBe(0);
      expect(logs.stdout).toContain('"service":"azora-nexus"');
    });

    it('When stopped, then every service and supervisor has exited and status says stopped', () => {
      const pids = recordedPids();
      expect(pids.length).toBe(SERVICES.length * 2);
      const stopped = script(['stop']);
      expect(stopped.status).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      const status = script(['status']);
      expect(status.status).toBe(1);
      expect(status.stdout.split('\n').filter((line) => / stopped /.test(line))).toHaveLength(SERVICES.length);
    });
  });
});
