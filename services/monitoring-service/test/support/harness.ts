// One Monitoring for a test file, on @azora/testing's startTestService (its own database and
// pool, a fixed clock), with the real HTTP probes aimed at fake services on 127.0.0.1, and
// rounds run by the test (the background loop is not started).
import type { ServiceTokenIssuer } from '@azora/service-kit';
import { startTestService, type TestService } from '@azora/testing';
import { createMonitoring, type Monitoring } from '../../src/app';
import { defaultSettings, SERVICE } from '../../src/config';
import type { ServiceState } from '../../src/domain/records';
import { collectBusHealth } from '../../src/use-cases/bus';
import { pruneHistory } from '../../src/use-cases/history';
import { runProbeRound } from '../../src/use-cases/probe-round';
import { startFakePlatform, type FakePlatform } from './fake-services';

export interface Harness extends TestService<Monitoring>, Monitoring {
  readonly fakes: FakePlatform;
  /** One probe round; the clock moves on by `stepMs` first (the probe interval). */
  round(): Promise<ServiceState[]>;
  rounds(count: number): Promise<ServiceState[]>;
  collectBus(): ReturnType<typeof collectBusHealth>;
  prune(): Promise<void>;
}

// A healthy fake answers at once, but a busy test machine can take a few hundred ms to run it:
// "slow" starts at a second, and the slow fakes take SLOW_MS.
export const SLOW_MS = 1_500;

const DEFAULT_TEST_ENV = {
  MONITORING_PROBE_TIMEOUT_MS: '4000',
  MONITORING_DEGRADED_LATENCY_MS: '1000',
  MONITORING_UNHEALTHY_AFTER: '2',
  MONITORING_FLAP_WINDOW: '4',
  MONITORING_PAGE_REFRESH_MS: '200',
};

export async function startMonitoring({
  at,
  env = {},
  stepMs = 10_000,
  credentials,
  metricsToken,
}: {
  at?: string;
  env?: Record<string, string>;
  stepMs?: number;
  credentials?: ServiceTokenIssuer;
  metricsToken?: string;
} = {}): Promise<Harness> {
  const fakes = await startFakePlatform();
  const settings = defaultSettings({
    ...DEFAULT_TEST_ENV,
    MONITORING_PROBE_INTERVAL_MS: String(stepMs),
    ...fakes.env(),
    ...env,
  });
  const t = await startTestService({
    info: SERVICE,
    at,
    poolSize: 6,
    deps: { credentials },
    createApp: (deps) => createMonitoring(deps, { settings, metricsToken }),
  });
  const monitoring = t.service;
  let first = true;
  const round = () => {
    if (!first) t.clock.advance(stepMs);
    first = false;
    return runProbeRound(monitoring.ctx);
  };
  return {
    ...t,
    ...monitoring,
    fakes,
    round,
    async rounds(count) {
      let states: ServiceState[] = [];
      for (let i = 0; i < count; i++) states = await round();
      return states;
    },
    collectBus: () => collectBusHealth(monitoring.ctx),
    prune: () => pruneHistory(monitoring.ctx),
    async close() {
      await monitoring.monitor.stop();
      await fakes.close();
      await t.close();
    },
  };
}

/** The state of one service among a round's. */
export function stateOf(states: readonly ServiceState[], name: string): ServiceState {
  const found = states.find((s) => s.service === name);
  if (!found) throw new Error(`no state for ${name}`);
  return found;
}
