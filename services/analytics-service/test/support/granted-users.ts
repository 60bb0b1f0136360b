// Signed-in test users who may hold grants. @azora/testing's identities issue a role only, so
// the harness signs its users' tokens here, with service-kit's issuer and a throwaway key, and
// hands the service the matching verifier: the same authentication as production.
import { randomUUID } from 'node:crypto';
import {
  createUserTokenIssuer,
  createUserTokenVerifier,
  generateUserSigningKey,
  type UserGrant,
  type UserRole,
  type UserTokenVerifier,
} from '@azora/service-kit';
import type { TestUser } from '@azora/testing';

export interface GrantedUsers {
  readonly verifier: UserTokenVerifier;
  /** A user with a fresh id, the role (student) and the grants (none). */
  user(role?: UserRole, grants?: readonly UserGrant[]): Promise<TestUser>;
}

export function createGrantedUsers(): GrantedUsers {
  const key = generateUserSigningKey();
  const issuer = createUserTokenIssuer(key);
  return {
    verifier: createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } }),
    async user(role = 'student', grants = []) {
      const id = randomUUID();
      const { token } = await issuer.issue({ id, role, grants });
      return { id, role, token, auth: { authorization: `Bearer ${token}` } };
    },
  };
}
