// The gateway's key-encryption key: 32 random bytes (base64) in a file of mode 0600, made on the
// first start and kept, since the gateway's signing keys at rest can only be read back with it.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const KEY_ENCRYPTION_KEY_BYTES = 32;

/** `$AZORA_DATA_DIR/keys/gateway-key-encryption.key`. */
export function keyEncryptionKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'gateway-key-encryption.key');
}

/** Writes a fresh key unless `file` exists. The key is written whole to a temporary file first
 * and linked into place, so a crash never leaves a half-written key, and of two starts at once
 * one key wins and neither overwrites the other's. */
async function createUnlessPresent(file: string): Promise<void> {
  // A name of its own per call: two starts in one process must not share (and delete) one file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${randomBytes(KEY_ENCRYPTION_KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Creates the key file on the first start, checks it holds a 32-byte key, and returns its path. */
export async function provisionKeyEncryptionKey(dataDir: string): Promise<string> {
  const file = keyEncryptionKeyPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await createUnlessPresent(file);
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_ENCRYPTION_KEY_BYTES) {
    throw new Error(
      `${file} does not hold a ${KEY_ENCRYPTION_KEY_BYTES}-byte base64 key: restore it from a backup ` +
        '(the gateway cannot decrypt its signing keys without it)',
    );
  }
  // A copy restored with a looser mode is tightened again.
  await chmod(file, 0o600);
  return file;
}
