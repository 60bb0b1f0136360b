// Service credentials: each service signs short-lived tokens with its own Ed25519 key; every
// service verifies them against the deployment's public key set. The key id is the service's
// name and must equal the token's subject, so one service cannot speak for another, and the
// token type and audience keep user tokens from ever passing as a service credential.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestHandler } from 'express';
import {
  SignJWT,
  createLocalJWKSet,
  errors as joseErrors,
  importPKCS8,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type KeyLike,
} from 'jose';
import { DomainError } from '../errors';

export const SERVICE_TOKEN_TYPE = 'azora-service+jwt';
export const SERVICE_AUDIENCE = 'azora-services';
const ALGORITHM = 'EdDSA';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The calling service, once requireServiceCredential has verified its token. */
      caller?: { service: string };
    }
  }
}

export interface ServiceKeyMaterial {
  /** PKCS#8 PEM of this service's private key. */
  privateKeyPem: string;
  /** Public keys of every service of the deployment, `kid` = service name. */
  jwks: JSONWebKeySet;
}

/** A fresh Ed25519 key pair per service: the private PEMs and the public key set. */
export function generateServiceKeys(services: readonly string[]): {
  privateKeys: Record<string, string>;
  jwks: JSONWebKeySet;
} {
  const privateKeys: Record<string, string> = {};
  const keys: JWK[] = [];
  for (const service of services) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    privateKeys[service] = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    keys.push({ ...(publicKey.export({ format: 'jwk' }) as JWK), kid: service, alg: ALGORITHM, use: 'sig' });
  }
  return { privateKeys, jwks: { keys } };
}

/** Writes keys for services that have none yet into `dir` (private keys mode 0600); returns the files. */
export async function provisionServiceKeys(
  dir: string,
  services: readonly string[],
): Promise<{ jwksFile: string; keyFile(service: string): string }> {
  const keyFile = (service: string) => path.join(dir, `${service}.private.pem`);
  const jwksFile = path.join(dir, 'service-jwks.json');
  const missing = services.filter((s) => !existsSync(keyFile(s)));
  if (missing.length > 0 || !existsSync(jwksFile)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const fresh = generateServiceKeys(missing);
    for (const service of missing) {
      await writeFile(keyFile(service), fresh.privateKeys[service] as string, { mode: 0o600 });
      await chmod(keyFile(service), 0o600);
    }
    // The public set is always rebuilt from the private keys on disk, so it never drifts.
    const keys = services.map((service) => {
      const publicKey = createPublicKey(createPrivateKey(readFileSync(keyFile(service), 'utf8')));
      return { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: service, alg: ALGORITHM, use: 'sig' };
    });
    await writeFile(jwksFile, `${JSON.stringify({ keys }, null, 2)}\n`);
  }
  return { jwksFile, keyFile };
}

/** Reads key material from env: SERVICE_PRIVATE_KEY or SERVICE_KEY_FILE, SERVICE_JWKS or SERVICE_JWKS_FILE. */
export function serviceKeysFromEnv(env: NodeJS.ProcessEnv): ServiceKeyMaterial | null {
  const privateKeyPem =
    env['SERVICE_PRIVATE_KEY'] || (env['SERVICE_KEY_FILE'] ? readFileSync(env['SERVICE_KEY_FILE'], 'utf8') : undefined);
  const jwksText =
    env['SERVICE_JWKS'] || (env['SERVICE_JWKS_FILE'] ? readFileSync(env['SERVICE_JWKS_FILE'], 'utf8') : undefined);
  if (!privateKeyPem || !jwksText) return null;
  return { privateKeyPem, jwks: JSON.parse(jwksText) as JSONWebKeySet };
}

export interface ServiceTokenIssuer {
  readonly service: string;
  /** A valid token, reused until shortly before it expires. */
  token(): Promise<string>;
}

export function createServiceTokenIssuer({
  service,
  privateKeyPem,
  ttlSeconds = 300,
}: {
  service: string;
  privateKeyPem: string;
  ttlSeconds?: number;
}): ServiceTokenIssuer {
  let key: Promise<KeyLike> | undefined;
  let cached: { token: string; refreshAt: number } | undefined;
  return {
    service,
    async token() {
      const now = Date.now();
      if (cached && now < cached.refreshAt) return cached.token;
      key ??= importPKCS8(privateKeyPem, ALGORITHM);
      const token = await new SignJWT({ token_use: 'service' })
        .setProtectedHeader({ alg: ALGORITHM, kid: service, typ: SERVICE_TOKEN_TYPE })
        .setIssuer(service)
        .setSubject(service)
        .setAudience(SERVICE_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await key);
      cached = { token, refreshAt: now + (ttlSeconds * 1000) / 2 };
      return token;
    },
  };
}

export interface ServiceTokenVerifier {
  /** Resolves to the calling service; rejects with a 401 DomainError otherwise. */
  verify(token: string): Promise<{ service: string }>;
}

export function createServiceTokenVerifier({ jwks }: { jwks: JSONWebKeySet }): ServiceTokenVerifier {
  const keySet = createLocalJWKSet(jwks);
  // A relay sends one token for minutes, batch after batch: remember what verified, until it expires.
  const verified = new Map<string, { service: string; expiresAtMs: number }>();
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known && Date.now() < known.expiresAtMs) return { service: known.service };
      if (known) verified.delete(token);
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keySet, {
          algorithms: [ALGORITHM],
          audience: SERVICE_AUDIENCE,
          typ: SERVICE_TOKEN_TYPE,
          clockTolerance: 5,
        });
        if (
          payload['token_use'] !== 'service' ||
          !payload.sub ||
          payload.sub !== protectedHeader.kid ||
          payload.iss !== payload.sub
        ) {
          throw new DomainError('auth.not_a_service_credential', 'The token is not a service credential');
        }
        if (payload.exp !== undefined) {
          if (verified.size >= 1_000) verified.delete(verified.keys().next().value as string);
          verified.set(token, { service: payload.sub, expiresAtMs: payload.exp * 1000 });
        }
        return { service: payload.sub };
      } catch (error) {
        if (error instanceof DomainError) throw error;
        const expired = error instanceof joseErrors.JWTExpired;
        throw new DomainError(
          expired ? 'auth.service_credential_expired' : 'auth.invalid_service_credential',
          expired ? 'The service credential has expired' : 'The service credential is not valid',
          { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } },
        );
      }
    },
  };
}

/** Only callers with a valid service credential (optionally, only the named services) pass. */
export function requireServiceCredential(verifier: ServiceTokenVerifier, allow?: readonly string[]): RequestHandler {
  return async (req, _res, next) => {
    try {
      const header = req.get('authorization');
      const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
      if (!token) {
        throw new DomainError(
          'auth.service_credential_required',
          'This route is for Azora services: send a service credential as a Bearer token',
          { headers: { 'www-authenticate': 'Bearer' } },
        );
      }
      const caller = await verifier.verify(token);
      if (allow && !allow.includes(caller.service)) {
        throw new DomainError('auth.service_not_allowed', `${caller.service} may not call this route`);
      }
      req.caller = caller;
      next();
    } catch (error) {
      next(error);
    }
  };
}
