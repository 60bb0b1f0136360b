// Routes every service keeps to itself and its operators: liveness, readiness, metrics and the
// bus's signed delivery endpoint. The gateway never forwards them, whatever spelling of the path
// a client tries (case, trailing or doubled slashes, dot segments, percent-encoding), since a
// service's router would accept several of those spellings for the same route.
const SERVICE_ONLY = new Set(['/health', '/ready', '/metrics', '/_nexus']);

/** The path a lenient router would route, lower-cased, with "." and ".." resolved. */
export function normalisedPath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: judged as sent.
  }
  // The URL parser resolves dot segments (also percent-encoded ones) and turns "\" into "/".
  path = new URL(path.replace(/\/{2,}/g, '/'), 'http://gateway.invalid').pathname;
  return path.replace(/\/{2,}/g, '/').toLowerCase();
}

/** '/metrics/x' -> '/metrics': the first segment, lower-cased, without a trailing slash. */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path : path.slice(0, end)).toLowerCase();
}

/** Only these characters let one path take another's spelling; most paths have none of them. */
const RESPELLABLE = /[%.\\]|\/\//;

/** '/metrics?x=1' -> '/metrics': the path of a URL as a request gives it. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** `url` is the path on the service, with its query: '/metrics?x=1', '/_nexus/deliveries'. */
export function isServiceOnly(url: string): boolean {
  const pathname = pathOf(url);
  if (SERVICE_ONLY.has(firstSegment(pathname))) return true;
  return RESPELLABLE.test(pathname) && SERVICE_ONLY.has(firstSegment(normalisedPath(pathname)));
}
