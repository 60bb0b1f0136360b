// Which push services a subscription may name. The endpoint comes from the browser, i.e. from
// the user: without this check anyone could make the service POST to any HTTPS address,
// inside the deployment's network included.

/** True when `endpoint`'s host is one of `allowed` (exact, or `*.domain` for its subdomains). */
export function isAllowedPushEndpoint(endpoint: string, allowed: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return allowed.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
    return host === p;
  });
}

export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
