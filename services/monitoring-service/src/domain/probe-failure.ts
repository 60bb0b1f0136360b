// Why a probe failed, in words anyone may read on the status page: the failing readiness checks
// by name, the HTTP status, or what happened to the connection. Never an address, a user or
// an internal message.

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/** A /ready that answered, but not 2xx. A 503 of the kit names its failing checks. */
export function notReadyReason(status: number, body: unknown): string {
  const checks = (body as { checks?: unknown } | null)?.checks;
  if (status === 503 && Array.isArray(checks)) {
    const failing = checks
      .filter((c): c is { name: string; status: string } => typeof c?.name === 'string' && c.status !== 'ok')
      .map((c) => c.name.replace(/[^\w.-]/g, '').slice(0, 40));
    if (failing.length > 0) return `not ready: ${failing.join(', ')}`;
  }
  return `answered HTTP ${status}`;
}

/** A /ready that got no answer: a timeout, or the connection's error code. */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  const { name, cause, code } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown }; code?: unknown };
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (name === 'AbortError') return 'check aborted';
  const errno = typeof cause?.code === 'string' ? cause.code : typeof code === 'string' ? code : undefined;
  return (errno && SOCKET_ERRORS[errno]) ?? 'unreachable';
}
