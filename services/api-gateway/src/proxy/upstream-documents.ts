// Each service's OpenAPI document, fetched from its /openapi.json and kept for a while; a
// service that is down keeps its last document, or is listed as unavailable until it answers.
import type { OpenApiDoc, UpstreamDocument } from '../domain/openapi-merge';
import type { Upstream } from './upstreams';

const FETCH_TIMEOUT_MS = 2_000;

export interface UpstreamDocuments {
  all(): Promise<UpstreamDocument[]>;
}

export function createUpstreamDocuments({
  upstreams,
  cacheMs,
}: {
  upstreams: readonly Upstream[];
  cacheMs: number;
}): UpstreamDocuments {
  const cache = new Map<string, { document: OpenApiDoc | null; fetchedAt: number }>();
  const pending = new Map<string, Promise<OpenApiDoc | null>>();

  async function fetchDocument(upstream: Upstream): Promise<OpenApiDoc | null> {
    const previous = cache.get(upstream.name)?.document ?? null;
    try {
      const response = await fetch(`${upstream.url}/openapi.json`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!response.ok) return previous;
      const document = (await response.json()) as OpenApiDoc;
      if (typeof document !== 'object' || document === null || typeof document.paths !== 'object') return previous;
      cache.set(upstream.name, { document, fetchedAt: Date.now() });
      return document;
    } catch {
      // Remember the failure briefly too, so a dead service is not asked on every request.
      cache.set(upstream.name, { document: previous, fetchedAt: Date.now() - cacheMs + Math.min(cacheMs, 5_000) });
      return previous;
    }
  }

  function documentOf(upstream: Upstream): Promise<OpenApiDoc | null> {
    const cached = cache.get(upstream.name);
    if (cached && Date.now() - cached.fetchedAt < cacheMs) return Promise.resolve(cached.document);
    let request = pending.get(upstream.name);
    if (!request) {
      request = fetchDocument(upstream).finally(() => pending.delete(upstream.name));
      pending.set(upstream.name, request);
    }
    return request;
  }

  return {
    all: () =>
      Promise.all(
        upstreams.map(async (u) => ({ name: u.name, title: u.title, prefix: u.prefix, document: await documentOf(u) })),
      ),
  };
}
