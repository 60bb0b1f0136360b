// Problems any service can answer: bad input, missing or refused credentials, unknown routes,
// a dependency that is down, and the catch-all for bugs.
import { defineProblems } from './define';

export const COMMON_PROBLEMS = defineProblems({
  'request.validation_failed': { status: 400, title: 'Invalid request' },
  'request.malformed_json': { status: 400, title: 'Malformed JSON' },
  'request.invalid': { status: 400, title: 'Bad request' },
  'request.invalid_cursor': { status: 400, title: 'Invalid cursor' },
  'request.timeout': { status: 408, title: 'Request timeout' },
  'request.body_too_large': { status: 413, title: 'Request body too large' },
  'request.unsupported_encoding': { status: 415, title: 'Unsupported encoding' },
  'request.rate_limited': { status: 429, title: 'Too many requests' },
  'route.not_found': { status: 404, title: 'Route not found' },
  'route.method_not_allowed': { status: 405, title: 'Method not allowed' },
  'auth.required': { status: 401, title: 'Authentication required' },
  'auth.invalid_token': { status: 401, title: 'Invalid access token' },
  'auth.token_expired': { status: 401, title: 'Access token expired' },
  'auth.forbidden': { status: 403, title: 'Forbidden' },
  'auth.service_credential_required': { status: 401, title: 'Service credential required' },
  'auth.invalid_service_credential': { status: 401, title: 'Invalid service credential' },
  'auth.service_credential_expired': { status: 401, title: 'Service credential expired' },
  'auth.not_a_service_credential': { status: 401, title: 'Not a service credential' },
  'auth.service_not_allowed': { status: 403, title: 'Service not allowed' },
  'metrics.scrape_token_required': { status: 401, title: 'Scrape token required' },
  'service.not_ready': { status: 503, title: 'Service not ready' },
  'service.dependency_unavailable': { status: 503, title: 'Dependency unavailable' },
  internal: { status: 500, title: 'Internal error' },
});
