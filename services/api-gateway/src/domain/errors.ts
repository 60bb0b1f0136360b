// The gateway's problems as DomainError factories: stable codes from the catalog
// (packages/contracts/src/problems/identity.ts) that a client can act on, built in one place.
import { DomainError } from '@azora/service-kit/errors';

export const emailTaken = () =>
  new DomainError('auth.email_taken', 'An account with this email address already exists');

// One answer for an unknown email and a wrong password: the response does not reveal which.
export const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 'The email address or password is not correct');

export const invalidRefreshToken = () =>
  new DomainError('auth.invalid_refresh_token', 'The refresh token is not valid: sign in again');

export const refreshTokenExpired = () =>
  new DomainError('auth.refresh_token_expired', 'The refresh token has expired: sign in again');

export const refreshTokenReused = () =>
  new DomainError(
    'auth.refresh_token_reused',
    'This refresh token was already used; every session that came from the same sign-in has been revoked. Sign in again',
  );

export const userNotFound = () => new DomainError('auth.user_not_found', 'The account no longer exists');

/** An admin named a user who does not exist (unlike userNotFound: the caller's own account). */
export const noSuchUser = (id: string) => new DomainError('user.not_found', `No user has the id ${id}`);

export const logoutNeedsToken = () =>
  new DomainError(
    'auth.required',
    'Send the refresh token to end that session, or an access token to end all of your sessions',
    { headers: { 'www-authenticate': 'Bearer' } },
  );

export const rateLimited = (what: 'login' | 'registration', retryAfterSeconds: number) =>
  new DomainError('auth.rate_limited', `Too many ${what} attempts: try again in ${retryAfterSeconds} s`, {
    extras: { retryAfter: retryAfterSeconds },
    retryAfterSeconds,
  });

// Said the same whatever the password: the answer must not reveal whether it was right.
export const loginDelayed = (retryAfterSeconds: number) =>
  new DomainError(
    'auth.rate_limited',
    `This account has had too many failed sign-ins: the next attempt is possible in ${retryAfterSeconds} s`,
    { extras: { retryAfter: retryAfterSeconds }, retryAfterSeconds },
  );

export const serviceCredentialRefused = () =>
  new DomainError(
    'auth.service_credential_refused',
    'Service credentials are for calls between Azora services, not for the public API: send a user access token',
    { headers: { 'www-authenticate': 'Bearer' } },
  );
