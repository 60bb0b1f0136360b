// The services the gateway routes to: every catalog service with a public prefix, and where
// it lives (its <NAME>_URL, e.g. AZORA_MINT_URL).
import { SERVICES } from '@azora/contracts';

export interface Upstream {
  /** Catalog name, e.g. azora-mint. */
  name: string;
  title: string;
  /** Public path: /api/<prefix>/... reaches the service at /... */
  prefix: string;
  /** Base URL, e.g. http://127.0.0.1:3002. */
  url: string;
}

export const PUBLIC_SERVICES = SERVICES.flatMap((s) =>
  s.publicPrefix === null ? [] : [{ name: s.name, title: s.title, prefix: s.publicPrefix, port: s.port }],
);

/** Every public service, at `urls[name]` or else its catalog port on 127.0.0.1. */
export function catalogUpstreams(urls: Record<string, string> = {}): Upstream[] {
  return PUBLIC_SERVICES.map((s) => ({
    name: s.name,
    title: s.title,
    prefix: s.prefix,
    url: (urls[s.name] ?? `http://127.0.0.1:${s.port}`).replace(/\/+$/, ''),
  }));
}
