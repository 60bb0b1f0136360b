// provision: what the launcher sets up on disk before a service starts (no database needed for
// this part: the bootstrap runs later, wave by wave).
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serviceInfo } from '@azora/contracts';
import { provision } from '../src/provisioning';

const SUPERUSER_URL = 'postgres://postgres:pw@127.0.0.1:5439/postgres';
const dirs: string[] = [];

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-provision-test-'));
  await chmod(dir, 0o755);
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('provision', () => {
  it("When the platform is provisioned, then each service's secrets are its own role's URL and its own key, and only the gateway's name the key-encryption key", async () => {
    // Arrange
    const dir = await dataDir();

    // Act
    const provisioning = await provision(SUPERUSER_URL, dir);
    const mint = provisioning.secretsOf(serviceInfo('azora-mint'));
    const gateway = provisioning.secretsOf(serviceInfo('api-gateway'));

    // Assert
    expect(mint.databaseUrl).toMatch(/^postgres:\/\/azora_mint:[^@]+@127\.0\.0\.1:5439\/postgres$/);
    expect(mint.keyFile).toBe(path.join(dir, 'keys', 'azora-mint.private.pem'));
    expect(mint.keyEncryptionKeyFile).toBeUndefined();
    expect(gateway.keyEncryptionKeyFile).toBe(path.join(dir, 'keys', 'gateway-key-encryption.key'));
    expect((await stat(mint.keyFile)).mode & 0o777).toBe(0o600);
  });

  it('When the notification service is provisioned, then it has a directory of its own (0700) for its VAPID keys, and a key pair left in keys/ moves there', async () => {
    // Arrange
    const dir = await dataDir();
    await mkdir(path.join(dir, 'keys'), { recursive: true });
    await writeFile(path.join(dir, 'keys', 'vapid.json'), '{"publicKey":"kept","privateKey":"kept"}\n');

    // Act
    const secrets = (await provision(SUPERUSER_URL, dir)).secretsOf(serviceInfo('notification-service'));

    // Assert
    const own = path.join(dir, 'services', 'notification-service');
    expect(secrets.ownDirectory).toBe(own);
    expect(secrets.ownFiles).toEqual({ VAPID_KEYS_FILE: path.join(own, 'vapid.json') });
    expect((await stat(own)).mode & 0o777).toBe(0o700);
    expect(await readFile(path.join(own, 'vapid.json'), 'utf8')).toContain('kept');
    expect(existsSync(path.join(dir, 'keys', 'vapid.json'))).toBe(false);
  });
});
