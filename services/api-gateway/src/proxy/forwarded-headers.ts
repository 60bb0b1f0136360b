// Which headers cross the gateway. Identity headers a client made up never do (only a verified
// token says who the caller is). Hop-by-hop headers describe one connection, the client's or the
// service's, never the next one: the standard ones and every header a Connection header names.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers that claim an identity: only a verified token may do that, so they never pass. */
const FORGEABLE_IDENTITY = ['x-user-id', 'x-user-role', 'x-user-email', 'x-authenticated-user'];
/** The client connection's own headers. Transfer-Encoding stays: it frames the body piped on. */
const HOP_BY_HOP_REQUEST = ['keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];
/** The body's framing is kept whatever a Connection header names: the body is piped on as it is. */
const FRAMING = new Set(['content-length', 'transfer-encoding']);
/** The service connection's own headers: the gateway frames its connection to the client itself. */
const HOP_BY_HOP_ANSWER = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/** Names listed in a Connection header ("keep-alive, X-Trace"), lower-cased. */
function namedByConnection(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value.join(',') : value;
  return list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/** Removes, in place, what must not reach the service, and sets the request id it gets. */
export function prepareRequestHeaders(headers: IncomingHttpHeaders, requestId: string): void {
  // (Deleting only what is there keeps the headers object fast on the common path.)
  const connection = headers.connection;
  if (connection !== undefined) {
    for (const name of namedByConnection(connection)) if (!FRAMING.has(name)) delete headers[name];
    delete headers.connection;
  }
  for (const name of FORGEABLE_IDENTITY) if (headers[name] !== undefined) delete headers[name];
  for (const name of HOP_BY_HOP_REQUEST) if (headers[name] !== undefined) delete headers[name];
  headers['x-request-id'] = requestId;
}

/** The service's answer headers the client receives. */
export function answerHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = namedByConnection(headers.connection);
  const passed: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP_ANSWER.has(name) && !named.includes(name)) passed[name] = value;
  }
  return passed;
}
