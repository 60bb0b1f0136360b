// The gateway's public routes besides /api/auth: its signing keys, for every service to verify
// access tokens with, and the readiness of every upstream.
import type { Router } from 'express';
import { GatewayHealth, JsonWebKeySet } from '@azora/contracts';
import type { Api, Clock } from '@azora/service-kit';
import type { KeyRing } from '../keys/key-ring';
import type { UpstreamHealth } from '../proxy/upstream-health';

export interface GatewayRouteDeps {
  keyRing: KeyRing;
  /** Each upstream's readiness and circuit, reused for a short while (src/proxy/upstream-health.ts). */
  health: UpstreamHealth;
  clock: Clock;
}

export function gatewayRoutes(_router: Router, api: Api, { keyRing, health, clock }: GatewayRouteDeps): void {
  api.endpoint(
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      summary:
        'Public keys that sign user access tokens (the current key and any predecessor whose tokens may still be valid)',
      tags: ['Identity'],
      access: 'public',
      responses: { 200: JsonWebKeySet },
    },
    async (_input, _req, res) => {
      // Short caching: a rotated key must reach verifiers well before its predecessor's tokens expire.
      res.setHeader('cache-control', 'public, max-age=60');
      res.json(await keyRing.jwks());
    },
  );

  api.endpoint(
    {
      method: 'get',
      path: '/api/health',
      summary: "Each service's readiness as the gateway sees it, with the state of its circuit breaker",
      tags: ['Gateway'],
      access: 'public',
      responses: { 200: GatewayHealth },
    },
    async (_input, _req, res) => {
      res.setHeader('cache-control', 'no-store');
      res.json(await health(clock.now()));
    },
  );
}
