// The embedded PostgreSQL server in a process of its own, so that the launcher decides when it
// stops (after the services), and a terminal's Ctrl-C does not stop it first.
// Prints one JSON line `{"ready":true,"superuserUrl":...}` when the server accepts connections.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@azora/database';

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
  process.stdout.write(`${JSON.stringify({ ready: true, superuserUrl: server.superuserUrl })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(
    `${JSON.stringify({ ready: false, error: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
