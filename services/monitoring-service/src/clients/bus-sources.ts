// The bus's figures over HTTP: a service's /metrics (with the scrape token when the deployment
// set one), and Nexus's dead letters, read page by page with monitoring's service credential.
import { DeadLetterPage } from '@azora/contracts';
import { createHttpClient, type HttpClient, type ServiceTokenIssuer } from '@azora/service-kit';
import type { BusSources } from '../use-cases/context';

export function createHttpBusSources({
  timeoutMs,
  metricsToken,
  credentials,
  http = createHttpClient({ maxSockets: 4 }),
}: {
  timeoutMs: number;
  metricsToken?: string | undefined;
  credentials?: ServiceTokenIssuer | undefined;
  http?: HttpClient;
}): BusSources {
  return {
    async metricsOf(target) {
      const answer = await http.call(`${target.url}/metrics`, {
        method: 'GET',
        headers: metricsToken ? { authorization: `Bearer ${metricsToken}` } : {},
        timeoutMs,
      });
      if (!answer.ok) throw new Error(`${target.name} /metrics answered ${answer.status}`);
      return answer.text;
    },
    async deadLetters(nexus, max) {
      if (!credentials) return null;
      const letters: { subscriber: string }[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ status: 'dead', limit: '100', ...(cursor ? { cursor } : {}) });
        const answer = await http.call(`${nexus.url}/dead-letters?${query.toString()}`, {
          method: 'GET',
          headers: { authorization: `Bearer ${await credentials.token()}`, accept: 'application/json' },
          timeoutMs,
        });
        if (!answer.ok) throw new Error(`Nexus /dead-letters answered ${answer.status}`);
        const page = DeadLetterPage.parse(JSON.parse(answer.text));
        letters.push(...page.items.map((item) => ({ subscriber: item.subscriber })));
        cursor = page.nextCursor;
      } while (cursor && letters.length < max);
      return letters;
    },
  };
}
