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
  type ServiceTokenIssuer,
  type ServiceTokenVerifier,
  type UserGrant,
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
  /** A user with a fresh id (or `id`), holding `grants` (none by default), and a valid access token. */
  user(role?: UserRole, id?: string, grants?: readonly UserGrant[]): Promise<TestUser>;
  admin(): Promise<TestUser>;
}

export function createTestIdentities(): TestIdentities {
  const key = generateUserSigningKey();
  const issuer = createUserTokenIssuer(key);
  const user = async (
    role: UserRole = 'student',
    id: string = randomUUID(),
    grants: readonly UserGrant[] = [],
  ): Promise<TestUser> => {
    const { token } = await issuer.issue({ id, role, grants });
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
  /** The credential `service` calls others with (`createCoreDeps({ credentials })`). */
  issuer(service: string): ServiceTokenIssuer;
  /** A bearer token of `service`. */
  token(service: string): Promise<string>;
  /** Headers carrying a credential of `service` (one of those named at creation). */
  auth(service: string): Promise<{ authorization: string }>;
}

/** Service keys for the named services, as the launcher provisions them. */
export function createTestServiceCredentials(services: readonly string[]): TestServiceCredentials {
  const { privateKeys, jwks } = generateServiceKeys([...services]);
  const issuers = new Map<string, ServiceTokenIssuer>();
  const issuer = (service: string): ServiceTokenIssuer => {
    const privateKeyPem = privateKeys[service];
    if (!privateKeyPem) throw new Error(`no test key for ${service}: name it in createTestServiceCredentials`);
    let found = issuers.get(service);
    if (!found) {
      found = createServiceTokenIssuer({ service, privateKeyPem });
      issuers.set(service, found);
    }
    return found;
  };
  const token = async (service: string) => issuer(service).token();
  return {
    verifier: createServiceTokenVerifier({ jwks }),
    issuer,
    token,
    auth: async (service) => ({ authorization: `Bearer ${await token(service)}` }),
  };
}
