// The PostgreSQL server of a data directory, found by its postmaster.pid: the database host
// reports it, and the launcher stops it when the host is gone without having stopped it (the host
// killed outright leaves its server running, which would hold the data directory and the port).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, signalIfAlive, waitUntilGone } from './processes';

/** The pid in `<dataDir>/postmaster.pid`, if there is one. */
export function postmasterPidOf(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Stops the server `pid` if it still runs: fast shutdown (SIGINT: sessions are ended, nothing
 * committed is lost), then immediate shutdown (SIGQUIT: it ends its own backends first, so none
 * is left over), then SIGKILL.
 */
export async function stopPostmaster(pid: number, timeoutMs: number): Promise<void> {
  for (const signal of ['SIGINT', 'SIGQUIT', 'SIGKILL'] as const) {
    if (!isAlive(pid)) return;
    signalIfAlive(pid, signal);
    if (await waitUntilGone(pid, timeoutMs)) return;
  }
}
