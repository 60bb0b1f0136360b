// The gateway's problems: stable codes a client can act on, built in one place.
import { AppError } from '@azora/service-kit';

export const emailTaken = () =>
  new AppError({ code: 'auth.email_taken', status: 409, detail: 'An account with this email address already exists' });

// One answer for an unknown email and a wrong password: the response does not reveal which.
export const invalidCredentials = () =>
  new AppError({
    code: 'auth.invalid_credentials',
    status: 401,
    detail: 'The email address or password is not correct',
  });

export const invalidRefreshToken = () =>
  new AppError({
    code: 'auth.invalid_refresh_token',
    status: 401,
    detail: 'The refresh token is not valid: sign in again',
  });

export const refreshTokenExpired = () =>
  new AppError({
    code: 'auth.refresh_token_expired',
    status: 401,
    detail: 'The refresh token has expired: sign in again',
  });

export const refreshTokenReused = () =>
  new AppError({
    code: 'auth.refresh_token_reused',
    status: 401,
    detail:
      'This refresh token was already used; every session that came from the same sign-in has been revoked. Sign in again',
  });

export const userNotFound = () =>
  new AppError({ code: 'auth.user_not_found', status: 401, detail: 'The account no longer exists' });

export const logoutNeedsToken = () =>
  new AppError({
    code: 'auth.required',
    status: 401,
    detail: 'Send the refresh token to end that session, or an access token to end all of your sessions',
    headers: { 'www-authenticate': 'Bearer' },
  });

export const rateLimited = (what: string, retryAfterSeconds: number) =>
  new AppError({
    code: 'auth.rate_limited',
    status: 429,
    detail: `Too many ${what} attempts: try again in ${retryAfterSeconds} s`,
    headers: { 'retry-after': String(retryAfterSeconds) },
    extras: { retryAfter: retryAfterSeconds },
  });

export const serviceCredentialRefused = () =>
  new AppError({
    code: 'auth.service_credential_refused',
    status: 401,
    detail:
      'Service credentials are for calls between Azora services, not for the public API: send a user access token',
    headers: { 'www-authenticate': 'Bearer' },
  });
