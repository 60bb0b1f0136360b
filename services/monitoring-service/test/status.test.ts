// The status of every service: healthy when ready, degraded when slow or failing now and then,
// unhealthy (down) after failed checks in a row, with the reason in words anyone may read; the
// same rows at /status and /api/services/status, and the health as numbers on /metrics.
import request from 'supertest';
import { SERVICES, type ServiceStatus } from '@azora/contracts';
import { SLOW_MS, startMonitoring, stateOf, type Harness } from './support/harness';

const rowOf = (rows: ServiceStatus[], name: string) => rows.find((r) => r.name === name);

describe('the status of every service', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startMonitoring();
  });
  afterEach(() => h.close());

  it('When every service answers ready, then /status lists all ten healthy with latency, version and uptime', async () => {
    await h.round();

    const res = await request(h.app).get('/status');

    expect(res.status).toBe(200);
    expect(res.body.map((r: ServiceStatus) => r.name)).toEqual(SERVICES.map((s) => s.name));
    for (const row of res.body as ServiceStatus[]) {
      expect(row).toMatchObject({
        status: 'healthy',
        version: '1.2.3',
        uptimePercent24h: 100,
        reason: null,
        checkedAt: '2026-03-02T09:00:00.000Z',
        url: h.fakes.get(row.name).url,
      });
      expect(row.latencyMs).toEqual(expect.any(Number));
    }
  });

  it('When operators curl /api/services/status, then they get the same rows as /status', async () => {
    await h.round();

    const [status, operators] = await Promise.all([
      request(h.app).get('/status'),
      request(h.app).get('/api/services/status'),
    ]);

    expect(operators.status).toBe(200);
    expect(operators.body).toEqual(status.body);
    expect((operators.body as ServiceStatus[]).every((s) => s.status === 'healthy')).toBe(true);
  });

  it('When nothing was checked yet, then every service is listed unhealthy as not checked yet', async () => {
    const res = await request(h.app).get('/status');

    expect(res.body).toHaveLength(SERVICES.length);
    expect(res.body[0]).toMatchObject({
      status: 'unhealthy',
      reason: 'not checked yet',
      checkedAt: null,
      latencyMs: null,
    });
  });

  it('When a service is stopped, then it is degraded after one failed check and unhealthy after two', async () => {
    await h.round();
    await h.fakes.get('azora-mint').stop();

    const once = await h.round();
    const twice = await h.round();

    expect(stateOf(once, 'azora-mint')).toMatchObject({
      status: 'degraded',
      reason: 'failing intermittently: connection refused',
    });
    expect(stateOf(twice, 'azora-mint')).toMatchObject({ status: 'unhealthy', reason: 'connection refused' });
    expect(stateOf(twice, 'azora-education').status).toBe('healthy');
  });

  it('When a service is down from the very first check, then it is unhealthy at once', async () => {
    await h.fakes.get('azora-pay').stop();

    const states = await h.round();

    expect(stateOf(states, 'azora-pay')).toMatchObject({ status: 'unhealthy', reason: 'connection refused' });
  });

  it('When a service answers 503 naming its failing checks, then the reason names those checks', async () => {
    h.fakes.get('azora-forge').set({ ready: false, failing: ['database', 'bus'] });

    await h.round();
    const res = await request(h.app).get('/status');

    expect(rowOf(res.body, 'azora-forge')).toMatchObject({ status: 'unhealthy', reason: 'not ready: database, bus' });
  });

  it('When a service answers ready but slowly, then it is degraded and the reason says how slow', async () => {
    h.fakes.get('analytics-service').set({ delayMs: SLOW_MS });

    await h.round();
    const res = await request(h.app).get('/status');

    const row = rowOf(res.body, 'analytics-service');
    expect(row?.status).toBe('degraded');
    expect(row?.reason).toMatch(/^slow: \/ready took \d+ ms \(more than 1000 ms\)$/);
    expect(row?.latencyMs).toBeGreaterThanOrEqual(SLOW_MS);
  });

  it('When a service does not answer within the timeout, then the reason says so', async () => {
    const slow = await startMonitoring({ env: { MONITORING_PROBE_TIMEOUT_MS: '200' } });
    try {
      slow.fakes.get('azora-nexus').set({ delayMs: 1_000 });

      const states = await slow.round();

      expect(stateOf(states, 'azora-nexus')).toMatchObject({ status: 'unhealthy', reason: 'no answer within 200 ms' });
    } finally {
      await slow.close();
    }
  });

  it('When a service comes back after a failure, then it stays degraded until the flap window is clean', async () => {
    await h.round();
    h.fakes.get('azora-mint').set({ ready: false });
    await h.rounds(2);
    h.fakes.get('azora-mint').set({ ready: true });

    const back = await h.round();
    const settled = await h.rounds(4);

    expect(stateOf(back, 'azora-mint')).toMatchObject({
      status: 'degraded',
      reason: 'failing intermittently: 2 of the last 4 checks failed',
    });
    expect(stateOf(settled, 'azora-mint').status).toBe('healthy');
  });

  it('When statuses differ, then /metrics has service_health_status 1, 0.5 and 0 and each probe latency', async () => {
    await h.round();
    h.fakes.get('azora-forge').set({ delayMs: SLOW_MS });
    await h.fakes.get('azora-pay').stop();
    await h.rounds(2);

    const res = await request(h.app).get('/metrics');

    expect(res.text).toMatch(/^service_health_status\{service="azora-mint"\} 1$/m);
    expect(res.text).toMatch(/^service_health_status\{service="azora-forge"\} 0\.5$/m);
    expect(res.text).toMatch(/^service_health_status\{service="azora-pay"\} 0$/m);
    const latency = /^service_probe_latency_seconds\{service="azora-forge"\} ([\d.]+)$/m.exec(res.text)?.[1];
    expect(Number(latency)).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(res.text).toMatch(/^monitoring_probes_total\{service="azora-pay",result="failed"\} 2$/m);
  });

  it('When a service failed one check in four, then its 24-hour uptime is 75%', async () => {
    await h.rounds(3);
    h.fakes.get('notification-service').set({ ready: false });
    await h.round();

    const res = await request(h.app).get('/status');

    expect(rowOf(res.body, 'notification-service')?.uptimePercent24h).toBe(75);
    expect(rowOf(res.body, 'azora-mint')?.uptimePercent24h).toBe(100);
  });

  it('When a status has not changed, then since keeps the time it began', async () => {
    await h.round();
    await h.rounds(3);

    const res = await request(h.app).get('/status');

    expect(rowOf(res.body, 'azora-mint')).toMatchObject({
      since: '2026-03-02T09:00:00.000Z',
      checkedAt: '2026-03-02T09:00:30.000Z',
    });
  });
});
