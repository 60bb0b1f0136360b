// checkDataDirectoryAccess: as root, the embedded server runs as the postgres user, which must be
// able to enter every parent of the data directory.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataDirectoryError, checkDataDirectoryAccess } from '../src';

const asRoot = os.userInfo().uid === 0 ? it : it.skip;
const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDirWithMode(mode: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-data-dir-test-'));
  tempDirs.push(dir);
  await chmod(dir, mode);
  return dir;
}

describe('checkDataDirectoryAccess', () => {
  asRoot('When a parent of the data directory is mode 0700, then a DataDirectoryError names that parent', async () => {
    // Arrange
    const locked = await tempDirWithMode(0o700);
    const dataDir = path.join(locked, 'azora', 'postgres');

    // Act
    let thrown: unknown;
    try {
      checkDataDirectoryAccess(dataDir);
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(DataDirectoryError);
    expect((thrown as Error).message).toContain(`cannot enter ${locked} (mode 700)`);
  });

  it('When every parent of the data directory is mode 0755, then the check passes', async () => {
    // Arrange
    const open = await tempDirWithMode(0o755);
    const dataDir = path.join(open, 'azora', 'postgres');

    // Act
    const check = () => checkDataDirectoryAccess(dataDir);

    // Assert
    expect(check).not.toThrow();
  });
});
