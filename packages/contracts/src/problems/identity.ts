// Problems of the gateway: identity (register, login, refresh) and the proxy to the services.
import { defineProblems } from './define';

export const IDENTITY_PROBLEMS = defineProblems({
  'auth.email_taken': { status: 409, title: 'Email already registered' },
  'auth.invalid_credentials': { status: 401, title: 'Invalid credentials' },
  'auth.invalid_refresh_token': { status: 401, title: 'Invalid refresh token' },
  'auth.refresh_token_expired': { status: 401, title: 'Refresh token expired' },
  'auth.refresh_token_reused': { status: 401, title: 'Refresh token reused' },
  'auth.user_not_found': { status: 401, title: 'Account not found' },
  'user.not_found': { status: 404, title: 'User not found' },
  'auth.rate_limited': { status: 429, title: 'Too many attempts' },
  'auth.service_credential_refused': { status: 401, title: 'Service credential refused' },
  'gateway.upstream_unavailable': { status: 502, title: 'Service unreachable' },
  'gateway.circuit_open': { status: 503, title: 'Service temporarily unavailable' },
  'gateway.upstream_timeout': { status: 504, title: 'Service timeout' },
});
