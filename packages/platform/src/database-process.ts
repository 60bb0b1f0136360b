// The embedded PostgreSQL server's host process (db-host.js): started first, stopped last.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { SERVICES } from '@azora/contracts';
import { checkDataDirectoryAccess } from '@azora/database';
import { createPrefixer } from './log-format';
import { portIsFree } from './ports';
import { stopProcess } from './processes';
import { systemVariables } from './service-env';

const LAST_LINES = 30;

export interface DatabaseProcessOptions {
  dataDir: string;
  pgPort: number;
  colour: boolean;
  /** The launcher's environment; the host gets only the system's variables of it. */
  environment: Readonly<Record<string, string | undefined>>;
  print: (line: string) => void;
}

export interface DatabaseProcess {
  superuserUrl: string;
  process: ChildProcess;
}

export async function startDatabaseProcess(options: DatabaseProcessOptions): Promise<DatabaseProcess> {
  checkDataDirectoryAccess(path.join(options.dataDir, 'postgres'));
  if (!(await portIsFree(options.pgPort, '127.0.0.1'))) {
    throw new Error(
      `port ${options.pgPort} (embedded PostgreSQL) is already in use: stop what uses it or set AZORA_PG_PORT`,
    );
  }
  // Detached: its own process group, so Ctrl-C reaches only the launcher, which stops it last.
  const child = spawn(process.execPath, [path.join(__dirname, 'db-host.js')], {
    env: {
      ...systemVariables(options.environment),
      AZORA_DATA_DIR: options.dataDir,
      AZORA_PG_PORT: String(options.pgPort),
    },
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
