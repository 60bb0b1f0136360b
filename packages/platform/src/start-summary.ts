// What `npm start` prints once every service is ready: the table of services, then where to go:
// the status page first (every service's health at a glance), the gateway and its docs.
import type { ServiceStatus } from './launcher';

const MONITORING = 'monitoring-service';
const GATEWAY = 'api-gateway';

/** The status page: Monitoring's `GET /`. */
export function statusPageUrl(services: readonly ServiceStatus[]): string | undefined {
  const monitoring = services.find((s) => s.name === MONITORING);
  return monitoring ? `${monitoring.url}/` : undefined;
}

/** One row per service; the monitoring row links to the status page it serves. */
export function servicesTable(services: readonly ServiceStatus[]): string {
  const url = (s: ServiceStatus) => (s.name === MONITORING ? (statusPageUrl(services) as string) : s.url);
  const rows = [
    ['service', 'url', 'status', 'ready after', 'RSS'],
    ...services.map((s) => [s.name, url(s), s.status, `${s.bootMs} ms`, s.rssMb === null ? '?' : `${s.rssMb} MB`]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Where things are. `statusPageProblem` is why the status page did not answer as a page, when it
 * did not: the line then says so rather than send anyone to an error.
 */
export function whereLines(services: readonly ServiceStatus[], statusPageProblem?: string): string[] {
  const gateway = services.find((s) => s.name === GATEWAY)?.url ?? '?';
  const monitoring = services.find((s) => s.name === MONITORING)?.url ?? '?';
  const page = statusPageUrl(services) ?? '?';
  return [
    statusPageProblem
      ? `status page     ${page} did not answer as a page (${statusPageProblem})`
      : `status page     ${page} (JSON: ${monitoring}/api/services/status)`,
    `gateway         ${gateway}`,
    `API docs        ${gateway}/docs`,
    `upstream health ${gateway}/api/health`,
    `health metrics  ${monitoring}/metrics`,
  ];
}

/** Why `GET` of the status page is not an HTML page, or undefined when it is. */
export async function statusPageProblem(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    if (res.status !== 200) return `${res.status} ${res.statusText}`;
    const type = res.headers.get('content-type') ?? '';
    return type.startsWith('text/html') ? undefined : `answered ${type || 'no content type'}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
