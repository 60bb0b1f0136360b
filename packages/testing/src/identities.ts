// Signed-in test users: real access tokens from a throwaway signing key, and the verifier a
// service under test checks them with, so tests exercise the same authentication as production.
import { randomUUID } from 'node:crypto';
import {
  createServiceTokenIssuer,
  createServiceTokenVerifier,
  createUserTokenIssuer,
  createUserTokenVerifier,
  generateServiceKeys,
  generateUserSigningKey,
  type ServiceTokenVerifier,
  type UserRole,
  type UserTokenVerifier,
} from '@azora/service-kit';

export interface TestUser {
  readonly id: string;
  readonly role: UserRole;
  readonly token: string;
  /** Headers that sign a request in: `request(app).get(...).set(user.auth)`. */
  readonly auth: { authorization: string };
}

export interface TestIdentities {
  /** Hand this to the service under test (`createCoreDeps({ users })`). */
  readonly verifier: UserTokenVerifier;
  /** A user with a fresh id (or `id`) and a valid access token. */
  user(role?: UserRole, id?: string): Promise<TestUser>;
  admin(): Promise<TestUser>;
}

export function createTestIdentities(): TestIdentities {
  const key = generateUserSigningKey();
  const issuer = createUserTokenIssuer(key);
  const user = async (role: UserRole = 'student', id: string = randomUUID()): Promise<TestUser> => {
    const { token } = await issuer.issue({ id, role });
    return { id, role, token, auth: { authorization: `Bearer ${token}` } };
  };
  return {
    verifier: createUserTokenVerifier({ jwks: { keys: [key.publicJwk] } }),
    user,
    admin: () => user('admin'),
  };
}

export interface TestServiceCredentials {
  /** Hand this to the service under test (`createCoreDeps({ serviceTokens })`). */
  readonly verifier: ServiceTokenVerifier;
  /** Headers carrying a credential of `service` (one of those named at creation). */
  auth(service: string): Promise<{ authorization: string }>;
}

/** Service keys for the named services, as the launcher provisions them. */
export function createTestServiceCredentials(services: readonly string[]): TestServiceCredentials {
  const { privateKeys, jwks } = generateServiceKeys([...services]);
  return {
    verifier: createServiceTokenVerifier({ jwks }),
    async auth(service) {
      const privateKeyPem = privateKeys[service];
      if (!privateKeyPem) throw new Error(`no test key for ${service}: name it in createTestServiceCredentials`);
      const token = await createServiceTokenIssuer({ service, privateKeyPem }).token();
      return { authorization: `Bearer ${token}` };
    },
  };
}
