// Encryption at rest of the private signing keys kept in the gateway's schema: AES-256-GCM under
// a key-encryption key from the environment (GATEWAY_KEY_ENCRYPTION_KEY or its _FILE), a fresh
// 96-bit nonce per sealed key, and the signing key's kid as associated data, so a sealed key
// copied into another row does not open. The envelope names the key-encryption key by its id,
// so that a later rotation of that key can tell which key opens each row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const KEY_BYTES = 32;

export interface KeyEncryptionKey {
  /** A fingerprint of the key (never the key): stored beside every key it seals. */
  readonly id: string;
  readonly key: Buffer;
}

export class KeyDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyDecryptionError';
  }
}

export function keyEncryptionKeyFrom(key: Buffer): KeyEncryptionKey {
  if (key.length !== KEY_BYTES) throw new Error(`a key-encryption key is ${KEY_BYTES} bytes, not ${key.length}`);
  const fingerprint = createHash('sha256').update('azora-gateway-key-encryption-key\0').update(key).digest();
  return { id: `kek-${fingerprint.subarray(0, 8).toString('hex')}`, key: Buffer.from(key) };
}

/**
 * The key from its base64 text (surrounding whitespace, as a file ends, is ignored); null when
 * it is not base64 of exactly 32 bytes. Says nothing about the text itself: it is a secret.
 */
export function parseKeyEncryptionKey(text: string): KeyEncryptionKey | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === KEY_BYTES ? keyEncryptionKeyFrom(key) : null;
}

/** `aes-256-gcm:<kek id>:<nonce>:<ciphertext>:<tag>`, the binary parts in base64url. */
export function sealPrivateKey(pem: string, kid: string, kek: KeyEncryptionKey): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, kek.key, nonce);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return [ALGORITHM, kek.id, nonce, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

/** The PEM sealed for `kid`, opened with whichever of `keks` sealed it. */
export function openPrivateKey(sealed: string, kid: string, keks: readonly KeyEncryptionKey[]): string {
  const [algorithm, kekId, nonce, ciphertext, tag, ...rest] = sealed.split(':');
  if (algorithm !== ALGORITHM || !kekId || nonce === undefined || ciphertext === undefined || !tag || rest.length)
    throw new KeyDecryptionError(`the stored signing key ${kid} is not in a format this gateway knows`);
  const kek = keks.find((k) => k.id === kekId);
  if (!kek) {
    const configured = keks.map((k) => k.id).join(', ') || 'none';
    throw new KeyDecryptionError(
      `the stored signing key ${kid} was encrypted with key-encryption key ${kekId}, but GATEWAY_KEY_ENCRYPTION_KEY ` +
        `(or GATEWAY_KEY_ENCRYPTION_KEY_FILE) holds ${configured}: start the gateway with the key it was stored under`,
    );
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, kek.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyDecryptionError(
      `the stored signing key ${kid} does not decrypt with GATEWAY_KEY_ENCRYPTION_KEY ${kek.id}: the row was altered`,
    );
  }
}
