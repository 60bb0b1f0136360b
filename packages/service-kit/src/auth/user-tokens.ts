// User access tokens: short-lived JWTs the gateway signs (EdDSA, with a key id) and every
// service verifies itself against the gateway's published key set. Identity comes only from a
// verified token: headers such as x-user-id are never read.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  importPKCS8,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { UserGrant, UserRole } from '@azora/contracts';
import { DomainError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const USER_TOKEN_TYPE = 'at+jwt';
export const USER_TOKEN_ISSUER = 'azora-gateway';
export const USER_TOKEN_AUDIENCE = 'azora-api';
export const USER_ROLES = UserRole.options;
export type { UserGrant, UserRole };

export interface AuthenticatedUser {
  id: string;
  role: UserRole;
  /** What an admin granted beyond the role, as of the token's issue (empty when none). */
  grants: readonly UserGrant[];
}

/** Who a token is issued to: grants may be left out (none). */
export type TokenSubject = Pick<AuthenticatedUser, 'id' | 'role'> & { grants?: readonly UserGrant[] | undefined };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The caller, when a valid user access token was sent. */
      user?: AuthenticatedUser;
    }
  }
}

export interface UserSigningKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: JWK;
}

export function generateUserSigningKey(kid = `user-${randomUUID().slice(0, 8)}`): UserSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    kid,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'EdDSA', use: 'sig' },
  };
}

export interface UserTokenIssuer {
  issue(user: TokenSubject, ttlSeconds?: number): Promise<{ token: string; expiresAt: Date }>;
}

export function createUserTokenIssuer(
  key: Pick<UserSigningKey, 'kid' | 'privateKeyPem'>,
  defaultTtlSeconds = 900,
): UserTokenIssuer {
  let imported: Promise<KeyLike> | undefined;
  return {
    async issue(user, ttlSeconds = defaultTtlSeconds) {
      imported ??= importPKCS8(key.privateKeyPem, 'EdDSA');
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const grants = [...new Set(user.grants ?? [])];
      const token = await new SignJWT(grants.length > 0 ? { role: user.role, grants } : { role: user.role })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: USER_TOKEN_TYPE })
        .setIssuer(USER_TOKEN_ISSUER)
        .setAudience(USER_TOKEN_AUDIENCE)
        .setSubject(user.id)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await imported);
      return { token, expiresAt };
    },
  };
}

const VERIFIED_CACHE_SIZE = 10_000;

export interface UserTokenVerifier {
  /** Resolves to the user; rejects with a 401 DomainError naming why. */
  verify(token: string): Promise<AuthenticatedUser>;
  /** The user of a token verified before and not yet expired, at the cost of a map lookup. */
  remembered?(token: string): AuthenticatedUser | undefined;
}

/** Verifies against a key set: a local one, or the gateway's JWKS URL (fetched, cached, refetched for an unknown key id). */
export function createUserTokenVerifier(
  source: { jwks: JSONWebKeySet } | { jwksUrl: string; cooldownMs?: number },
): UserTokenVerifier {
  // An unknown key id refetches the set (a rotation), at most once per cooldown.
  const keys: JWTVerifyGetKey =
    'jwks' in source
      ? createLocalJWKSet(source.jwks)
      : createRemoteJWKSet(new URL(source.jwksUrl), {
          cooldownDuration: source.cooldownMs ?? 5_000,
          cacheMaxAge: 600_000,
        });
  // A verified token is remembered until it expires: a client reuses one token for minutes, and
  // an EdDSA check costs far more than a map lookup. Bounded; the oldest entry goes first.
  const verified = new Map<string, { user: AuthenticatedUser; expiresAtMs: number }>();
  const remember = (token: string, user: AuthenticatedUser, exp: number | undefined) => {
    if (exp === undefined) return;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(token, { user, expiresAtMs: exp * 1000 });
  };
  const remembered = (token: string): AuthenticatedUser | undefined => {
    const known = verified.get(token);
    if (!known) return undefined;
    if (Date.now() < known.expiresAtMs) return known.user;
    verified.delete(token);
    return undefined;
  };
  return {
    remembered,
    async verify(token) {
      const known = remembered(token);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: ['EdDSA'],
          issuer: USER_TOKEN_ISSUER,
          audience: USER_TOKEN_AUDIENCE,
          typ: USER_TOKEN_TYPE,
          clockTolerance: 5,
        });
        const role = payload['role'];
        const grants = grantsOf(payload['grants']);
        // Every user id is a UUID: a token whose subject is not one names no user anywhere.
        if (
          !payload.sub ||
          !UUID.test(payload.sub) ||
          typeof role !== 'string' ||
          !UserRole.safeParse(role).success ||
          !grants
        ) {
          throw new DomainError('auth.invalid_token', 'The access token is not valid');
        }
        const user: AuthenticatedUser = { id: payload.sub.toLowerCase(), role: role as UserRole, grants };
        remember(token, user, payload.exp);
        return user;
      } catch (error) {
        if (error instanceof DomainError) throw error;
        const expired = error instanceof joseErrors.JWTExpired;
        throw new DomainError(
          expired ? 'auth.token_expired' : 'auth.invalid_token',
          expired ? 'The access token has expired' : 'The access token is not valid',
          { headers: { 'www-authenticate': `Bearer error="invalid_token"` } },
        );
      }
    },
  };
}

/**
 * The grants a token carries: none when the claim is absent; undefined (an invalid token) when it
 * is not an array of strings. A grant this code does not know yet (a newer gateway's) is ignored.
 */
function grantsOf(claim: unknown): UserGrant[] | undefined {
  if (claim === undefined) return [];
  if (!Array.isArray(claim) || !claim.every((g): g is string => typeof g === 'string')) return undefined;
  return [...new Set(claim.filter((g): g is UserGrant => UserGrant.safeParse(g).success))];
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() || undefined : undefined;
}

/** Sets req.user from a valid Bearer token; a present but invalid token is a 401. */
export function authenticate(verifier: UserTokenVerifier | undefined): RequestHandler {
  return async (req, _res, next) => {
    const token = bearer(req.get('authorization'));
    if (!token || !verifier) {
      next();
      return;
    }
    // Most requests carry a token seen before: answered without decoding its header.
    const known = verifier.remembered?.(token);
    if (known) {
      req.user = known;
      next();
      return;
    }
    // A service credential is no user identity: req.user stays unset, and routes that need a
    // service check the credential themselves.
    if (isServiceToken(token)) {
      next();
      return;
    }
    try {
      req.user = await verifier.verify(token);
      next();
    } catch (error) {
      next(error);
    }
  };
}

function isServiceToken(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { typ?: string };
    return header.typ === 'azora-service+jwt';
  } catch {
    return false;
  }
}

/** 401 unless a user is authenticated. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (req.user) next();
  else
    next(
      new DomainError('auth.required', 'Sign in: send an access token as a Bearer token', {
        headers: { 'www-authenticate': 'Bearer' },
      }),
    );
};

/** A role, or a grant an admin gave: what a route may ask of its caller. */
export type Permission = UserRole | UserGrant;

const isRole = (p: Permission): p is UserRole => UserRole.safeParse(p).success;

/** The roles and the grants among `allowed`, apart. */
export function splitPermissions(allowed: readonly Permission[]): { roles: UserRole[]; grants: UserGrant[] } {
  return { roles: allowed.filter(isRole), grants: allowed.filter((p): p is UserGrant => !isRole(p)) };
}

/** Whether `user` is an admin, has one of the roles among `allowed`, or holds one of its grants. */
export function isAllowed(user: Pick<AuthenticatedUser, 'role' | 'grants'>, allowed: readonly Permission[]): boolean {
  return user.role === 'admin' || allowed.includes(user.role) || user.grants.some((grant) => allowed.includes(grant));
}

/** 401 unless signed in; 403 unless the user has one of the roles or grants in `allowed` (admins always pass). */
export function requirePermission(...allowed: Permission[]): RequestHandler {
  const { roles, grants } = splitPermissions(allowed);
  const needs = [
    ...(roles.length > 0 ? [`the role ${roles.join(' or ')}`] : []),
    ...(grants.length > 0 ? [`the grant ${grants.join(' or ')}`] : []),
  ].join(' or ');
  return (req, res, next) => {
    requireUser(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.user && isAllowed(req.user, allowed)) return next();
      next(new DomainError('auth.forbidden', `This needs ${needs}`));
    });
  };
}

/** The signed-in user; for handlers behind requireUser or requirePermission. */
export function currentUser(req: { user?: AuthenticatedUser | undefined }): AuthenticatedUser {
  if (!req.user) throw new DomainError('auth.required', 'Sign in first');
  return req.user;
}
