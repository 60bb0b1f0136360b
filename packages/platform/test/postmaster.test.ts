// The PostgreSQL server of a data directory: found by its postmaster.pid, and stopped when the
// host that ran it is gone, with force if it does not go the polite way.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isAlive, postmasterPidOf, stopPostmaster } from '../src';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'azora-postmaster-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process that ignores SIGINT and SIGQUIT, as a server stuck in its shutdown would; resolves
 * once it ignores them. */
async function stubbornProcess(): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "process.on('SIGINT', () => {}); process.on('SIGQUIT', () => {}); setInterval(() => {}, 1000); console.log('ready')",
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child.pid!;
}

describe('postmaster', () => {
  it('When the data directory holds a postmaster.pid, then its first line is the pid; when it holds none, then there is no pid', async () => {
    // Arrange
    await writeFile(path.join(dir, 'postmaster.pid'), '4321\n/var/lib/data\n1700000000\n5432\n');
    const empty = await mkdtemp(path.join(os.tmpdir(), 'azora-postmaster-test-'));

    // Act
    const found = postmasterPidOf(dir);
    const none = postmasterPidOf(empty);

    // Assert
    expect(found).toBe(4321);
    expect(none).toBeUndefined();
    await rm(empty, { recursive: true });
  });

  it('When a server does not stop on SIGINT or SIGQUIT, then stopPostmaster kills it', async () => {
    // Arrange
    const pid = await stubbornProcess();

    // Act
    await stopPostmaster(pid, 200);

    // Assert
    expect(isAlive(pid)).toBe(false);
  });
});
