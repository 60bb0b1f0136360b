// Identity as the routes see it: accounts, sessions and the sign-in limits, built from the
// gateway's deps in one place.
import type { Clock, Pool, Publish } from '@azora/service-kit';
import { createDecoyHash } from '../domain/passwords';
import type { GatewaySettings } from '../domain/settings';
import type { AccessTokens } from '../keys/key-ring';
import { createAccounts } from './accounts';
import { createSessions } from './sessions';
import { createSignInLimits } from './sign-in-limits';

export interface IdentityDeps {
  pool: Pool;
  publish: Publish;
  clock: Clock;
  tokens: AccessTokens;
  settings: Pick<GatewaySettings, 'refreshTokenTtlSeconds' | 'rateLimit'>;
}

export function createIdentity({ pool, publish, clock, tokens, settings }: IdentityDeps) {
  const limits = createSignInLimits(pool, settings.rateLimit);
  const sessions = createSessions({ pool, clock, tokens, refreshTokenTtlSeconds: settings.refreshTokenTtlSeconds });
  const accounts = createAccounts({ pool, publish, clock, sessions, limits, decoyHash: createDecoyHash() });
  return { ...accounts, refresh: sessions.refresh, logout: sessions.logout, limits };
}

export type Identity = ReturnType<typeof createIdentity>;
export type { AuthResult } from './sessions';
