// Password hashing with scrypt, a memory-hard KDF from node's crypto: N = 2^15, r = 8, p = 1
// (32 MiB and roughly 50-100 ms per hash), a 16-byte random salt and a 64-byte key. The
// parameters are stored with each hash, so raising them later leaves old hashes verifiable.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  log2N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, { log2N, r, p }: ScryptParameters): Promise<Buffer> {
  const N = 2 ** log2N;
  // scrypt needs 128 * N * r bytes; node's default ceiling (32 MiB) is exactly that at N = 2^15.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, parameters);
  return ['scrypt', parameters.log2N, parameters.r, parameters.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

function parse(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const [scheme, log2N, r, p, salt, key] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return null;
  const parameters = { log2N: Number(log2N), r: Number(r), p: Number(p) };
  if (![parameters.log2N, parameters.r, parameters.p].every((n) => Number.isInteger(n) && n > 0)) return null;
  return { parameters, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** Constant-time comparison of the derived key; false for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored) return false;
  const candidate = await derive(password, stored.salt, stored.parameters);
  return candidate.length === stored.key.length && timingSafeEqual(candidate, stored.key);
}

/**
 * A hash of a random password, made once: a login for an unknown email verifies against it, so
 * it spends the same time as a wrong password for a known one (no user enumeration by timing).
 */
export function createDecoyHash(parameters: ScryptParameters = DEFAULT_SCRYPT): () => Promise<string> {
  let decoy: Promise<string> | undefined;
  return () => (decoy ??= hashPassword(randomBytes(32).toString('hex'), parameters));
}
