// Routes a service declares for other services only (its OpenAPI document marks them with the
// service-credential scheme: Mint's escrow, Education's reads for the tutor...). The gateway
// learns them from each service's /openapi.json, refreshed in the background, and answers 404
// for them as for /metrics, so they are neither reachable nor confirmed to exist from outside.
// A route not learned yet still reaches its service, which refuses any caller without a
// service credential: this is the second wall, not the only one.
import { match } from 'path-to-regexp';
import type { Logger } from '@azora/service-kit';
import type { UpstreamDocument } from '../domain/openapi-merge';
import type { UpstreamDocuments } from './upstream-documents';
import { normalisedPath, pathOf } from './service-only-paths';

type Matcher = { method: string; matches: (path: string) => boolean };

/** The service-only operations of one document: those whose security names the service credential. */
function serviceOnlyMatchers(document: UpstreamDocument['document']): Matcher[] {
  if (!document) return [];
  const matchers: Matcher[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const security = (operation as { security?: Record<string, unknown>[] }).security ?? [];
      if (!security.some((scheme) => 'serviceCredential' in scheme)) continue;
      // `/escrow/holds/{reference}` -> `/escrow/holds/:reference`; case-insensitive, as the services route.
      const test = match(template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1').toLowerCase(), { decode: false });
      matchers.push({ method: method.toUpperCase(), matches: (path) => test(path) !== false });
    }
  }
  return matchers;
}

export interface ServiceOnlyOperations {
  /** True when `method` and `url` (the path on the service, with its query) name a service-only route of `upstream`. */
  isServiceOnly(upstream: string, method: string, url: string): boolean;
  /** Fetches every document now (the background refresh calls it). */
  refresh(): Promise<void>;
  stop(): void;
}

export function createServiceOnlyOperations({
  documents,
  refreshMs,
  logger,
}: {
  documents: UpstreamDocuments;
  refreshMs: number;
  logger: Logger;
}): ServiceOnlyOperations {
  let known = new Map<string, Matcher[]>();
  let timer: NodeJS.Timeout | undefined;

  async function refresh(): Promise<void> {
    try {
      const all = await documents.all();
      const next = new Map<string, Matcher[]>();
      // A service whose document cannot be read keeps what was learned of it before.
      for (const upstream of all)
        next.set(
          upstream.name,
          upstream.document ? serviceOnlyMatchers(upstream.document) : (known.get(upstream.name) ?? []),
        );
      known = next;
    } catch (error) {
      logger.warn({ err: error }, 'could not refresh the services-only routes');
    }
  }

  function schedule(delayMs: number): void {
    timer = setTimeout(() => {
      void refresh().finally(() => schedule(refreshMs));
    }, delayMs);
    timer.unref();
  }
  // The first look soon after start (the services start alongside the gateway), then regularly.
  schedule(Math.min(1_000, refreshMs));

  return {
    isServiceOnly(upstream, method, url) {
      const matchers = known.get(upstream);
      if (!matchers || matchers.length === 0) return false;
      const path = normalisedPath(pathOf(url));
      const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
      return matchers.some((m) => m.method === verb && m.matches(path));
    },
    refresh,
    stop: () => clearTimeout(timer),
  };
}
