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

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runChecks(checks: readonly ReadinessCheck[], timeoutMs = 2_000): Promise<ReadyBody['checks']> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      try {
        await withTimeout(check(), timeoutMs);
        return { name, status: 'ok' as const, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { name, status: 'failing' as const, latencyMs: Math.round(performance.now() - started), error: message };
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
    const results = await runChecks(checks, timeoutMs);
    const failing = results.filter((r) => r.status !== 'ok');
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
