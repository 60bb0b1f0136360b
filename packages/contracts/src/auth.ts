// Identity as the gateway serves it under /api/auth: registration, login, token refresh and
// rotation, logout, and the signed-in user.
import { z } from 'zod';

export const SelfServiceRole = z.enum(['student', 'instructor', 'employer']);
export const UserRole = z.enum(['student', 'instructor', 'employer', 'admin']);
export type UserRole = z.infer<typeof UserRole>;

/** A permission an admin grants a user on top of their role. */
export const UserGrant = z.enum(['analytics:read']);
export type UserGrant = z.infer<typeof UserGrant>;

/** At least 10 characters, with a letter and a digit; at most 128 (a KDF input, not a novel). */
export const Password = z
  .string()
  .min(10, 'at least 10 characters')
  .max(128, 'at most 128 characters')
  .regex(/[A-Za-z]/, 'at least one letter')
  .regex(/[0-9]/, 'at least one digit');

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('a valid email address'))
  .transform((email) => email.toLowerCase());

export const RegisterRequest = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1).max(100),
  role: SelfServiceRole,
});
export type RegisterRequest = z.input<typeof RegisterRequest>;

export const LoginRequest = z.object({
  email: Email,
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.input<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(20).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const LogoutRequest = z.object({ refreshToken: z.string().min(20).max(512).optional() });
export type LogoutRequest = z.infer<typeof LogoutRequest>;

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: UserRole,
  /** What an admin granted beyond the role; an access token carries them from its issue on. */
  grants: z.array(UserGrant),
  createdAt: z.iso.datetime({ offset: true }),
});
export type User = z.infer<typeof User>;

/** PUT /api/auth/users/:id/grants (admins): the user's grants from now on; [] revokes every one. */
export const SetGrantsRequest = z.object({ grants: z.array(UserGrant).max(10) });
export type SetGrantsRequest = z.input<typeof SetGrantsRequest>;

export const UserIdParams = z.object({ id: z.uuid() });
export type UserIdParams = z.infer<typeof UserIdParams>;

export const AuthResponse = z.object({
  user: User,
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  tokenType: z.literal('Bearer'),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

// The gateway's other public routes: its signing keys and the readiness of what it routes to.

/** One public key that signs user access tokens (RFC 7517; Ed25519, so kty OKP). */
export const PublicSigningKey = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
export type PublicSigningKey = z.infer<typeof PublicSigningKey>;

/** GET /.well-known/jwks.json: the key that signs now and any still-valid predecessor. */
export const JsonWebKeySet = z.object({ keys: z.array(PublicSigningKey) });
export type JsonWebKeySet = z.infer<typeof JsonWebKeySet>;

export const UpstreamStatus = z.object({
  /** Service name from the catalog, e.g. azora-mint. */
  name: z.string(),
  /** Where clients reach it: /api/<prefix>. */
  prefix: z.string(),
  status: z.enum(['ready', 'not_ready', 'down']),
  latencyMs: z.number().int().nonnegative(),
  /** The gateway's circuit breaker for this upstream. */
  breaker: z.enum(['closed', 'open', 'half_open']),
  error: z.string().optional(),
});
export type UpstreamStatus = z.infer<typeof UpstreamStatus>;

/** GET /api/health: every upstream's readiness as the gateway sees it. */
export const GatewayHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  service: z.string(),
  checkedAt: z.iso.datetime({ offset: true }),
  upstreams: z.array(UpstreamStatus),
});
export type GatewayHealth = z.infer<typeof GatewayHealth>;
