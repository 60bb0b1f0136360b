// Service users: as root, each service runs as an OS user of its own and holds its own key file;
// where another user could not reach the code or the data, every service runs as the launcher.
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closedDirectoryOnPath, handOverSecrets, passwdEntry, type OsUser, type ServiceSecrets } from '../src';

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-users-test-'));
  await chmod(dir, 0o755);
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('passwdEntry', () => {
  it('When the user is listed, then its uid and gid are read; when it is not, then there is none', async () => {
    // Arrange
    const passwd = path.join(await tempDir(), 'passwd');
    await writeFile(passwd, 'root:x:0:0::/root:/bin/bash\nazora_mint:x:994:993::/nonexistent:/usr/sbin/nologin\n');

    // Act
    const mint = passwdEntry('azora_mint', passwd);
    const pay = passwdEntry('azora_pay', passwd);

    // Assert
    expect(mint).toEqual({ name: 'azora_mint', uid: 994, gid: 993 });
    expect(pay).toBeUndefined();
  });
});

describe('closedDirectoryOnPath', () => {
  it('When a parent cannot be entered by other users, then it is named; when all can, then none is', async () => {
    // Arrange
    const root = await tempDir();
    const closed = path.join(root, 'private');
    const open = path.join(root, 'shared');
    await mkdir(path.join(closed, 'data'), { recursive: true });
    await mkdir(path.join(open, 'data'), { recursive: true });
    await chmod(closed, 0o700);
    await chmod(open, 0o755);

    // Act
    const underClosed = closedDirectoryOnPath(path.join(closed, 'data'));
    const underOpen = closedDirectoryOnPath(path.join(open, 'data'));

    // Assert
    expect(underClosed).toBe(closed);
    expect(underOpen).toBeUndefined();
  });
});

(isRoot ? describe : describe.skip)('handOverSecrets (as root)', () => {
  it("When secrets are handed over, then each service's key file is its user's with mode 0600, the gateway's key-encryption key the gateway's, and a service's own directory its own", async () => {
    // Arrange
    const keys = path.join(await tempDir(), 'keys');
    await mkdir(keys, { mode: 0o700 });
    const file = async (name: string) => {
      await writeFile(path.join(keys, name), 'secret', { mode: 0o644 });
      return path.join(keys, name);
    };
    const jwksFile = await file('service-jwks.json');
    const ownDirectory = path.join(path.dirname(keys), 'services', 'notification-service');
    await mkdir(ownDirectory, { recursive: true });
    await writeFile(path.join(ownDirectory, 'vapid.json'), '{}');
    const secrets = new Map<string, ServiceSecrets>([
      ['azora-mint', { databaseUrl: 'postgres://m', keyFile: await file('azora-mint.private.pem'), jwksFile }],
      [
        'notification-service',
        {
          databaseUrl: 'postgres://n',
          keyFile: await file('notification-service.private.pem'),
          jwksFile,
          ownDirectory,
        },
      ],
      [
        'api-gateway',
        {
          databaseUrl: 'postgres://g',
          keyFile: await file('api-gateway.private.pem'),
          jwksFile,
          keyEncryptionKeyFile: await file('gateway-key-encryption.key'),
        },
      ],
    ]);
    const users = new Map<string, OsUser>([
      ['azora-mint', { name: 'azora_mint', uid: 54_321, gid: 54_321 }],
      ['api-gateway', { name: 'azora_gateway', uid: 54_322, gid: 54_322 }],
      ['notification-service', { name: 'azora_notification', uid: 54_323, gid: 54_323 }],
    ]);

    // Act
    await handOverSecrets(users, secrets);

    // Assert
    const owner = async (name: string) => {
      const info = await stat(path.join(keys, name));
      return { uid: info.uid, mode: info.mode & 0o777 };
    };
    expect(await owner('azora-mint.private.pem')).toEqual({ uid: 54_321, mode: 0o600 });
    expect(await owner('api-gateway.private.pem')).toEqual({ uid: 54_322, mode: 0o600 });
    expect(await owner('gateway-key-encryption.key')).toEqual({ uid: 54_322, mode: 0o600 });
    expect(await owner('service-jwks.json')).toEqual({ uid: 0, mode: 0o644 });
    expect((await stat(keys)).mode & 0o777).toBe(0o711);
    expect(await owner('../services/notification-service')).toEqual({ uid: 54_323, mode: 0o700 });
    expect((await stat(path.join(ownDirectory, 'vapid.json'))).uid).toBe(54_323);
  });
});
