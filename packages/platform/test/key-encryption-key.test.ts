// The gateway's key-encryption key: made once, on the first start, readable by its owner only.
import { chmod, mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keyEncryptionKeyPath, provisionKeyEncryptionKey } from '../src';

const dirs: string[] = [];

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-kek-test-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('provisionKeyEncryptionKey', () => {
  it('When the data directory has no key yet, then it creates 32 random bytes in base64 with mode 0600', async () => {
    // Arrange
    const dir = await dataDir();

    // Act
    const file = await provisionKeyEncryptionKey(dir);

    // Assert
    expect(file).toBe(path.join(dir, 'keys', 'gateway-key-encryption.key'));
    const text = (await readFile(file, 'utf8')).trim();
    expect(text).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('When the key exists, then later starts keep it as it is', async () => {
    // Arrange
    const dir = await dataDir();
    const file = await provisionKeyEncryptionKey(dir);
    const first = await readFile(file, 'utf8');

    // Act
    await provisionKeyEncryptionKey(dir);
    await provisionKeyEncryptionKey(dir);

    // Assert
    expect(await readFile(file, 'utf8')).toBe(first);
  });

  it('When two starts provision at once, then both get the same key', async () => {
    // Arrange
    const dir = await dataDir();

    // Act
    const files = await Promise.all([provisionKeyEncryptionKey(dir), provisionKeyEncryptionKey(dir)]);

    // Assert
    expect(files[0]).toBe(files[1]);
    expect(Buffer.from((await readFile(files[0], 'utf8')).trim(), 'base64')).toHaveLength(32);
  });

  it('When a restored key file is readable by others, then it is made 0600 again and its key kept', async () => {
    // Arrange
    const dir = await dataDir();
    const file = await provisionKeyEncryptionKey(dir);
    const key = await readFile(file, 'utf8');
    await chmod(file, 0o644);

    // Act
    await provisionKeyEncryptionKey(dir);

    // Assert
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(key);
  });

  it('When the key file does not hold a 32-byte key, then provisioning fails naming the file and leaves it alone', async () => {
    // Arrange
    const dir = await dataDir();
    const file = keyEncryptionKeyPath(dir);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'too-short\n', { mode: 0o600 });

    // Act
    const provisioning = provisionKeyEncryptionKey(dir);

    // Assert
    await expect(provisioning).rejects.toThrow(`${file} does not hold a 32-byte base64 key`);
    expect(await readFile(file, 'utf8')).toBe('too-short\n');
  });
});
