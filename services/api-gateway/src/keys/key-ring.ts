// The gateway's access-token keys: the one that signs, the public set it publishes at
// /.well-known/jwks.json, and the verifier for tokens it signed. Keys come from
// GATEWAY_SIGNING_KEY_FILE when set (rotation is then the operator's), otherwise from the
// gateway's schema, generated on first use and rotated when the newest reaches its maximum age.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { JsonWebKeySet, PublicSigningKey } from '@azora/contracts';
import {
  createUserTokenIssuer,
  createUserTokenVerifier,
  generateUserSigningKey,
  type Clock,
  type Logger,
  type Pool,
  type UserTokenIssuer,
  type UserTokenVerifier,
} from '@azora/service-kit';
import {
  readSigningKeys,
  rotateSigningKey,
  deleteSigningKeysRetiredBefore,
  type StoredSigningKey,
} from '../db/signing-keys';
import { viewKeyRing, type RotationPolicy } from '../domain/key-rotation';
import type { AccessTokens } from '../domain/ports';
import { createVerifiedTokens, expiryOf, headerOf } from './verified-tokens';

const RELOAD_EVERY_MS = 30_000;
const UNKNOWN_KID_RELOAD_MS = 5_000;

export interface KeyRingOptions {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  accessTokenTtlSeconds: number;
  maxAgeSeconds: number;
  /** A PKCS#8 PEM Ed25519 key to sign with instead of keys kept in the database. */
  fileKeyPem?: string | undefined;
}

export interface KeyRing {
  readonly tokens: AccessTokens;
  /** Verifies tokens this gateway signed; a token seen before is answered from memory. */
  readonly verifier: UserTokenVerifier & {
    /** Synchronously: this exact token was verified before and has not expired. */
    isVerified(token: string): boolean;
  };
  jwks(): Promise<JsonWebKeySet>;
  /** Reads the keys again now (and rotates when due) instead of at the next interval. */
  reload(): Promise<void>;
}

interface Loaded {
  loadedAt: number;
  signing: { kid: string; issuer: UserTokenIssuer };
  kids: ReadonlySet<string>;
  jwks: JsonWebKeySet;
  verifier: UserTokenVerifier;
}

async function fileKey(pem: string): Promise<StoredSigningKey> {
  const jwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' }) as JWK;
  if (jwk.crv !== 'Ed25519') throw new Error('GATEWAY_SIGNING_KEY_FILE must hold an Ed25519 private key (PKCS#8 PEM)');
  const kid = `gw-${(await calculateJwkThumbprint(jwk)).slice(0, 16)}`;
  return {
    kid,
    privateKeyPem: pem,
    publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' },
    createdAt: new Date(0),
    retiredAt: null,
  };
}

function publicKeyOf(key: StoredSigningKey): PublicSigningKey {
  const { kty, crv, x } = key.publicJwk;
  return { kty: kty as 'OKP', crv: crv as 'Ed25519', x: x as string, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

export function createKeyRing({
  pool,
  clock,
  logger,
  accessTokenTtlSeconds,
  maxAgeSeconds,
  fileKeyPem,
}: KeyRingOptions): KeyRing {
  const policy: RotationPolicy = { maxAgeMs: maxAgeSeconds * 1000, accessTokenTtlMs: accessTokenTtlSeconds * 1000 };
  const memo = createVerifiedTokens();
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;

  async function keysFromDatabase(): Promise<StoredSigningKey[]> {
    const now = clock.now();
    const keys = await readSigningKeys(pool);
    if (!viewKeyRing(keys, now, policy).rotationDue) return keys;
    const fresh = generateUserSigningKey();
    await rotateSigningKey(
      pool,
      { kid: fresh.kid, privateKeyPem: fresh.privateKeyPem, publicJwk: fresh.publicJwk },
      now,
      policy,
    );
    await deleteSigningKeysRetiredBefore(pool, new Date(now.getTime() - policy.accessTokenTtlMs * 4));
    logger.info({ kid: fresh.kid }, 'access-token signing key rotated');
    return readSigningKeys(pool);
  }

  async function load(): Promise<Loaded> {
    const keys = fileKeyPem ? [await fileKey(fileKeyPem)] : await keysFromDatabase();
    const view = viewKeyRing(keys, clock.now(), policy);
    if (!view.signing) throw new Error('no signing key available');
    const jwks = { keys: view.published.map(publicKeyOf) };
    return {
      loadedAt: Date.now(),
      signing: { kid: view.signing.kid, issuer: createUserTokenIssuer(view.signing, accessTokenTtlSeconds) },
      kids: new Set(view.published.map((k) => k.kid)),
      jwks,
      verifier: createUserTokenVerifier({ jwks }),
    };
  }

  function reload(): Promise<Loaded> {
    loading ??= load()
      .then((next) => {
        loaded = next;
        return next;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function current(): Promise<Loaded> {
    if (loaded && Date.now() - loaded.loadedAt < RELOAD_EVERY_MS) return loaded;
    // A stale ring still answers while a fresh one loads; only the very first load is awaited.
    if (loaded) {
      reload().catch((error: unknown) => logger.warn({ err: error }, 'could not reload signing keys'));
      return loaded;
    }
    return reload();
  }

  return {
    tokens: {
      async issue(user) {
        return (await current()).signing.issuer.issue(user);
      },
    },
    verifier: {
      isVerified: (token) => memo.get(token, Date.now()) !== undefined,
      async verify(token) {
        const now = Date.now();
        const known = memo.get(token, now);
        if (known) return known;
        let ring = await current();
        const { kid } = headerOf(token);
        // A key id not seen yet may be a key another gateway process has just added.
        if (kid && !ring.kids.has(kid) && now - ring.loadedAt > UNKNOWN_KID_RELOAD_MS) ring = await reload();
        const user = await ring.verifier.verify(token);
        memo.set(token, user, expiryOf(token) ?? now);
        return user;
      },
    },
    async jwks() {
      return (await current()).jwks;
    },
    async reload() {
      await reload();
    },
  };
}
