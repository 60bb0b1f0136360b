// The signing keys kept in the database: sealed with the key-encryption key before they are
// stored, opened when loaded; rows from before encryption are sealed at load; a new key is made
// when the newest reaches its maximum age (see domain/key-rotation.ts).
import { generateUserSigningKey, type Clock, type Logger, type Pool } from '@azora/service-kit';
import {
  deleteSigningKeysRetiredBefore,
  readSigningKeys,
  rotateSigningKey,
  sealPlaintextKeys,
  type StoredSigningKey,
} from '../db/signing-keys';
import { viewKeyRing, type RotationPolicy } from '../domain/key-rotation';
import { KeyDecryptionError, openPrivateKey, sealPrivateKey, type KeyEncryptionKey } from '../keys/key-encryption';
import type { SigningKey } from '../keys/key-ring';

export interface SigningKeyDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  policy: RotationPolicy;
  /** Seals new keys; opens the stored ones. */
  keyEncryptionKey: KeyEncryptionKey | undefined;
}

/** The loader the key ring calls: every stored key, opened, after sealing and rotating as due. */
export function databaseSigningKeys({ pool, clock, logger, policy, keyEncryptionKey }: SigningKeyDeps) {
  function opened(kek: KeyEncryptionKey, key: StoredSigningKey): SigningKey {
    const privateKeyPem = key.sealedPrivateKey
      ? openPrivateKey(key.sealedPrivateKey, key.kid, [kek])
      : (key.plaintextPem ?? '');
    return { ...key, privateKeyPem };
  }

  return async function loadSigningKeys(): Promise<SigningKey[]> {
    if (!keyEncryptionKey)
      throw new KeyDecryptionError(
        'GATEWAY_KEY_ENCRYPTION_KEY (or GATEWAY_KEY_ENCRYPTION_KEY_FILE) is not set: the signing keys kept in the database cannot be sealed or opened',
      );
    const kek = keyEncryptionKey;
    const seal = (pem: string, kid: string) => sealPrivateKey(pem, kid, kek);
    let keys = await readSigningKeys(pool);
    if (keys.some((k) => k.plaintextPem !== null)) {
      const sealed = await sealPlaintextKeys(pool, seal);
      if (sealed.length > 0)
        logger.info({ kids: sealed, kek: kek.id }, 'signing keys stored in the clear are now sealed');
      keys = await readSigningKeys(pool);
    }
    const now = clock.now();
    if (viewKeyRing(keys, now, policy).rotationDue) {
      const fresh = generateUserSigningKey();
      await rotateSigningKey(
        pool,
        { kid: fresh.kid, sealedPrivateKey: seal(fresh.privateKeyPem, fresh.kid), publicJwk: fresh.publicJwk },
        now,
        policy,
      );
      await deleteSigningKeysRetiredBefore(pool, new Date(now.getTime() - policy.accessTokenTtlMs * 4));
      logger.info({ kid: fresh.kid }, 'access-token signing key rotated');
      keys = await readSigningKeys(pool);
    }
    return keys.map((key) => opened(kek, key));
  };
}
