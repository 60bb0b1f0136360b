// The HTTP client of Nexus that services use: publish batches and register subscriptions,
// authenticated with the calling service's credential.
import {
  PublishResponse,
  Subscription,
  type EventEnvelope,
  type SubscriptionRequest,
} from '@azora/contracts';
import type { ServiceTokenIssuer } from '../auth/service-credentials';

export class NexusError extends Error {
  override name = 'NexusError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface NexusClient {
  readonly baseUrl: string;
  publish(events: EventEnvelope[]): Promise<PublishResponse>;
  subscribe(request: SubscriptionRequest): Promise<Subscription>;
  health(): Promise<void>;
}

export function createNexusClient({ baseUrl, credentials, timeoutMs = 10_000 }: { baseUrl: string; credentials: ServiceTokenIssuer; timeoutMs?: number }): NexusClient {
  const root = baseUrl.replace(/\/+$/, '');
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, {
        method,
        headers: { authorization: `Bearer ${await credentials.token()}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new NexusError(`Nexus at ${root} is unreachable: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new NexusError(`Nexus answered ${res.status} to ${method} ${path}: ${text.slice(0, 300)}`, res.status);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    baseUrl: root,
    publish: async (events) => PublishResponse.parse(await call('POST', '/events', { events })),
    subscribe: async (request) => Subscription.parse(await call('POST', '/subscriptions', request)),
    async health() {
      const res = await fetch(`${root}/health`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new NexusError(`Nexus /health answered ${res.status}`, res.status);
    },
  };
}
