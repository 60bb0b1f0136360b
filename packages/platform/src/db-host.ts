// The embedded PostgreSQL server in a process of its own, so that the launcher decides when it
// stops (after the services), and a terminal's Ctrl-C does not stop it first.
// Prints one JSON line `{"ready":true,"superuserUrl":...,"postgresPid":...}` when the server accepts
// connections. When the server dies (a crash, kill -9), this host exits 1 at once: its exit is how
// the launcher learns that the database is gone.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@azora/database';
import { postmasterPidOf } from './postmaster';
import { isAlive } from './processes';

async function superuserPassword(dataRoot: string): Promise<string> {
  const file = path.join(dataRoot, 'postgres-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await mkdir(dataRoot, { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function main(): Promise<void> {
  const dataRoot = process.env['AZORA_DATA_DIR'];
  const port = Number(process.env['AZORA_PG_PORT']);
  if (!dataRoot || !Number.isInteger(port)) throw new Error('AZORA_DATA_DIR and AZORA_PG_PORT must be set');
  const launcherPid = process.ppid;
  const starting: Promise<RunningPostgres> = startEmbeddedPostgres({
    dataDir: path.join(dataRoot, 'postgres'),
    port,
    password: await superuserPassword(dataRoot),
    onLog: (line) => process.stderr.write(`${line}\n`),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // A stop asked for during start-up waits for the server to be up, then stops it cleanly.
    await starting.then(
      (server) => server.stop(),
      () => undefined,
    );
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // The launcher was killed without stopping us: stop rather than linger as an orphan.
  setInterval(() => {
    if (process.ppid !== launcherPid) void stop(0);
  }, 1_000).unref();
  const server = await starting;
  const postgresPid = postmasterPidOf(path.join(dataRoot, 'postgres'));
  if (postgresPid === undefined) throw new Error('the server started but wrote no postmaster.pid');
  watchServer(postgresPid, () => stopping);
  process.stdout.write(`${JSON.stringify({ ready: true, superuserUrl: server.superuserUrl, postgresPid })}\n`);
}

/** Exits 1 as soon as the server process is gone, unless this host is stopping it. The server is
 * our child: its end raises SIGCHLD here at once; the poll is a fallback. */
function watchServer(pid: number, stopping: () => boolean): void {
  const check = () => {
    if (stopping() || isAlive(pid)) return;
    process.stderr.write(`the PostgreSQL server (pid ${pid}) is gone\n`);
    process.exit(1);
  };
  // Node reaps the child in its own SIGCHLD handler, which may run after this one.
  process.on('SIGCHLD', () => setTimeout(check, 20));
  // Referenced: this host lives as long as its server, and not a moment longer.
  setInterval(check, 500);
}

main().catch((error: unknown) => {
  process.stdout.write(
    `${JSON.stringify({ ready: false, error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
