// The gateway's access-token keys: the one that signs, the public set it publishes at
// /.well-known/jwks.json, and the verifier for tokens it signed. Keys come from
// GATEWAY_SIGNING_KEY_FILE when set (rotation is then the operator's), otherwise from the loader
// it is given (use-cases/signing-keys.ts: the database), asked again every 30 s.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { JsonWebKeySet, PublicSigningKey, UserGrant, UserRole } from '@azora/contracts';
import {
  createUserTokenIssuer,
  createUserTokenVerifier,
  type Clock,
  type Logger,
  type UserTokenIssuer,
  type UserTokenVerifier,
} from '@azora/service-kit';
import { viewKeyRing, type RotationPolicy } from '../domain/key-rotation';
import { createVerifiedTokens, expiryOf, headerOf } from './verified-tokens';

/** A signing key with its private part, as the ring uses it. */
export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface AccessTokens {
  issue(user: {
    id: string;
    role: UserRole;
    grants: readonly UserGrant[];
  }): Promise<{ token: string; expiresAt: Date }>;
}

const RELOAD_EVERY_MS = 30_000;
const UNKNOWN_KID_RELOAD_MS = 5_000;

export interface KeyRingOptions {
  clock: Clock;
  logger: Logger;
  accessTokenTtlSeconds: number;
  maxAgeSeconds: number;
  /** A PKCS#8 PEM Ed25519 key to sign with instead of the loader's keys. */
  fileKeyPem?: string | undefined;
  /** Every key that signs or is still published (use-cases/signing-keys.ts). */
  loadKeys: () => Promise<SigningKey[]>;
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

async function fileKey(pem: string): Promise<SigningKey> {
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

function publicKeyOf(key: SigningKey): PublicSigningKey {
  const { kty, crv, x } = key.publicJwk;
  return { kty: kty as 'OKP', crv: crv as 'Ed25519', x: x as string, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

export function createKeyRing({
  clock,
  logger,
  accessTokenTtlSeconds,
  maxAgeSeconds,
  fileKeyPem,
  loadKeys,
}: KeyRingOptions): KeyRing {
  const policy: RotationPolicy = { maxAgeMs: maxAgeSeconds * 1000, accessTokenTtlMs: accessTokenTtlSeconds * 1000 };
  const memo = createVerifiedTokens();
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;

  async function load(): Promise<Loaded> {
    const keys = fileKeyPem ? [await fileKey(fileKeyPem)] : await loadKeys();
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
