// The HTTP client of Nexus that services use: publish batches and register subscriptions,
// authenticated with the calling service's credential.
import { PublishResponse, Subscription, type EventEnvelope, type SubscriptionRequest } from '@azora/contracts';
import type { ServiceTokenIssuer } from '../auth/service-credentials';
import { createHttpClient, type HttpAnswer } from '../http-client';

export class NexusError extends Error {
  override name = 'NexusError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface NexusClient {
  readonly baseUrl: string;
  publish(events: EventEnvelope[]): Promise<PublishResponse>;
  subscribe(request: SubscriptionRequest): Promise<Subscription>;
  health(): Promise<void>;
}

export function createNexusClient({
  baseUrl,
  credentials,
  timeoutMs = 10_000,
}: {
  baseUrl: string;
  credentials: ServiceTokenIssuer;
  timeoutMs?: number;
}): NexusClient {
  const root = baseUrl.replace(/\/+$/, '');
  const http = createHttpClient();
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let answer: HttpAnswer;
    try {
      answer = await http.call(`${root}${path}`, {
        method,
        headers: { authorization: `Bearer ${await credentials.token()}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs,
      });
    } catch (error) {
      throw new NexusError(`Nexus at ${root} is unreachable: ${(error as Error).message}`);
    }
    const { status, ok, text } = answer;
    if (!ok) throw new NexusError(`Nexus answered ${status} to ${method} ${path}: ${text.slice(0, 300)}`, status);
    return text ? JSON.parse(text) : undefined;
  }
  return {
    baseUrl: root,
    publish: async (events) => PublishResponse.parse(await call('POST', '/events', { events })),
    subscribe: async (request) => Subscription.parse(await call('POST', '/subscriptions', request)),
    async health() {
      const { status, ok } = await http.call(`${root}/health`, { method: 'GET', timeoutMs: 2_000 });
      if (!ok) throw new NexusError(`Nexus /health answered ${status}`, status);
    },
  };
}
