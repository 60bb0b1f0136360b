// Health: /health says the process serves; /ready runs named checks (database, bus, ...) and
// answers 503 naming the failing one.
import { Router } from 'express';
import type { ReadyBody } from '@azora/contracts';
import { DomainError, problemFor, sendProblem } from './errors';

export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency is usable; rejects (or times out) otherwise. */
  check(): Promise<void>;
}

export interface HealthOptions {
  service: string;
  version: string;
  checks: readonly ReadinessCheck[];
  timeoutMs?: number;
}

class CheckTimeout extends Error {}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type CheckResult = ReadyBody['checks'][number];

/** Runs every check; a failing one carries its cause for the log, which never reaches the caller. */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<(CheckResult & { cause?: unknown })[]> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      try {
        await withTimeout(check(), timeoutMs);
        return { name, status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        // The answer names the check, never the dependency's own error text (addresses, users,
        // SQL): that goes to the log.
        const timedOut = error instanceof CheckTimeout;
        return {
          name,
          status: 'failing' as const,
          latencyMs: Math.round(performance.now() - started),
          error: timedOut ? `no answer within ${timeoutMs} ms` : 'unavailable',
          cause: error,
        };
      }
    }),
  );
}

export function healthRouter({ service, version, checks, timeoutMs }: HealthOptions): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', service, version });
  });
  router.get('/ready', async (req, res) => {
    const checked = await runChecks(checks, timeoutMs);
    const results: CheckResult[] = checked.map(({ cause: _cause, ...result }) => result);
    const failing = checked.filter((r) => r.status !== 'ok');
    for (const { name, cause } of failing) req.log?.warn({ check: name, err: cause }, 'readiness check failing');
    if (failing.length === 0) {
      const body: ReadyBody = { status: 'ready', service, checks: results };
      res.json(body);
      return;
    }
    // Not ready is an error like any other: problem+json, with the checks alongside.
    const notReady = new DomainError(
      'service.not_ready',
      failing.map((f) => `${f.name}: ${f.error ?? 'failing'}`).join('; '),
      { extras: { service, checks: results } },
    );
    sendProblem(res, problemFor(notReady, { instance: req.originalUrl, requestId: req.id }));
  });
  return router;
}
