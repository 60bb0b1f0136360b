// One Monitoring for a test file: its own database, a fixed clock, the real HTTP probes aimed
// at fake services on 127.0.0.1, and rounds run by the test (the background loop is not started).
import {
  createCoreDeps,
  createPool,
  fixedClock,
  type CoreDeps,
  type Pool,
  type ServiceTokenIssuer,
} from '@azora/service-kit';
import { createTestDatabase, type TestDatabase } from '@azora/testing';
import { createMonitoring, type Monitoring } from '../../src/app';
import { defaultSettings, SERVICE } from '../../src/config';
import type { ServiceState } from '../../src/domain/records';
import { collectBusHealth } from '../../src/use-cases/bus';
import { pruneHistory } from '../../src/use-cases/history';
import { runProbeRound } from '../../src/use-cases/probe-round';
import { startFakePlatform, type FakePlatform } from './fake-services';

export interface Harness extends Monitoring {
  readonly pool: Pool;
  readonly deps: CoreDeps;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly fakes: FakePlatform;
  /** One probe round; the clock moves on by `stepMs` first (the probe interval). */
  round(): Promise<ServiceState[]>;
  rounds(count: number): Promise<ServiceState[]>;
  collectBus(): ReturnType<typeof collectBusHealth>;
  prune(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_TEST_ENV = {
  MONITORING_PROBE_TIMEOUT_MS: '1500',
  MONITORING_DEGRADED_LATENCY_MS: '300',
  MONITORING_UNHEALTHY_AFTER: '2',
  MONITORING_FLAP_WINDOW: '4',
  MONITORING_PAGE_REFRESH_MS: '200',
};

export async function startMonitoring({
  at = '2026-03-02T09:00:00.000Z',
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
  const db: TestDatabase = await createTestDatabase();
  const pool = createPool({ connectionString: db.urlFor(SERVICE.schema), schema: SERVICE.schema, max: 6 });
  const clock = fixedClock(at);
  const fakes = await startFakePlatform();
  const deps = createCoreDeps({ service: SERVICE.name, pool, clock, credentials });
  const settings = defaultSettings({
    ...DEFAULT_TEST_ENV,
    MONITORING_PROBE_INTERVAL_MS: String(stepMs),
    ...fakes.env(),
    ...env,
  });
  const monitoring = createMonitoring(deps, { settings, metricsToken });
  let first = true;
  const round = () => {
    if (!first) clock.advance(stepMs);
    first = false;
    return runProbeRound(monitoring.ctx);
  };
  return {
    ...monitoring,
    pool,
    deps,
    clock,
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
      await pool.end();
      await db.drop();
    },
  };
}

/** The state of one service among a round's. */
export function stateOf(states: readonly ServiceState[], name: string): ServiceState {
  const found = states.find((s) => s.service === name);
  if (!found) throw new Error(`no state for ${name}`);
  return found;
}
