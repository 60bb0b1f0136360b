// Probing a service over HTTP: its /ready, timed, with /health asked alongside for the version.
// Each probe opens its own connection (`connection: close`): a kept-alive socket of a service
// that has just stopped would fail as "connection reset" instead of what a new caller meets, and
// one connection every few seconds costs nothing.
import { HealthBody } from '@azora/contracts';
import { createHttpClient, type HttpClient } from '@azora/service-kit';
import { notReadyReason, unreachableReason } from '../domain/probe-failure';
import type { Target } from '../domain/records';
import type { Prober } from '../use-cases/context';

const CLOSE = { connection: 'close' };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function createHttpProber({
  timeoutMs,
  http = createHttpClient({ maxSockets: 4 }),
}: {
  timeoutMs: number;
  http?: HttpClient;
}): Prober {
  async function versionOf(target: Target): Promise<string | null> {
    try {
      const answer = await http.call(`${target.url}/health`, { method: 'GET', headers: CLOSE, timeoutMs });
      const body = HealthBody.safeParse(parseJson(answer.text));
      return answer.ok && body.success ? body.data.version.slice(0, 64) : null;
    } catch {
      return null;
    }
  }

  return {
    async probe(target, checkedAt) {
      const version = versionOf(target);
      const started = performance.now();
      try {
        const answer = await http.call(`${target.url}/ready`, {
          method: 'GET',
          headers: { ...CLOSE, accept: 'application/json', 'user-agent': 'azora-monitoring' },
          timeoutMs,
        });
        const latencyMs = Math.round(performance.now() - started);
        return {
          service: target.name,
          checkedAt,
          ready: answer.ok,
          latencyMs,
          reason: answer.ok ? null : notReadyReason(answer.status, parseJson(answer.text)),
          version: await version,
        };
      } catch (error) {
        return {
          service: target.name,
          checkedAt,
          ready: false,
          latencyMs: Math.round(performance.now() - started),
          reason: unreachableReason(error, timeoutMs),
          version: await version,
        };
      }
    },
  };
}
