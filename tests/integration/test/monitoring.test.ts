// The platform observed as operators see it: the ten real services, monitoring's status through
// the gateway (one service slowed: degraded; one stopped: down, with its incident), a real
// Prometheus scraping a test variant of infrastructure/monitoring/prometheus.yml (its jobs and
// labels, 127.0.0.1 ports) with up == 1 for all ten, promtool checking every service's /metrics,
// and one trace from the gateway through Education, the outbox and Nexus to a consumer.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SERVICES, type ServiceName } from '@azora/contracts';
import { createAzoraClient } from '@azora/shared-api';
import { createTestDatabase, freePort, waitFor, type TestDatabase } from '@azora/testing';
import { startPlatform, type Platform } from './support/platform';

const MONITORING_DIR = path.resolve(__dirname, '..', '..', '..', 'infrastructure', 'monitoring');
const ALL = SERVICES.map((s) => s.name) as ServiceName[];

function tool(name: 'prometheus' | 'promtool'): string {
  const found = [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((p) => existsSync(p));
  if (!found)
    throw new Error(`${name} is not installed: install Debian's "prometheus" package (apt-get install -y prometheus)`);
  return found;
}

interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** An OTLP/HTTP (JSON) trace receiver on 127.0.0.1 that keeps every span it is sent. */
async function startTraceReceiver(): Promise<{ url: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const body = JSON.parse(raw.toString('utf8') || '{}') as {
        resourceSpans?: {
          resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
          scopeSpans?: { spans?: Omit<Span, 'service'>[] }[];
        }[];
      };
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A forwarding proxy that can be slowed: monitoring reaches one service through it. */
async function startSlowProxy(target: () => string | undefined) {
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      // Until the service behind it has started, the proxy answers as a service not up yet would.
      const base = target();
      if (base === undefined) return void res.writeHead(503).end();
      const to = new URL(req.url ?? '/', base);
      const upstream = http.request(to, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    slow: (ms: number) => (delayMs = ms),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the platform observed', () => {
  let db: TestDatabase;
  let platform: Platform;
  let receiver: Awaited<ReturnType<typeof startTraceReceiver>>;
  let proxy: Awaited<ReturnType<typeof startSlowProxy>>;
  let forgeUrl: string | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await startTraceReceiver();
    proxy = await startSlowProxy(() => forgeUrl);
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' };
    const extra: Partial<Record<ServiceName, Record<string, string>>> = Object.fromEntries(
      ALL.map((name) => [name, { ...tracing }]),
    );
    extra['monitoring-service'] = {
      ...tracing,
      MONITORING_PROBE_INTERVAL_MS: '300',
      MONITORING_BUS_INTERVAL_MS: '1000',
      MONITORING_DEGRADED_LATENCY_MS: '500',
      MONITORING_FLAP_WINDOW: '3',
      AZORA_FORGE_URL: proxy.url,
    };
    platform = await startPlatform(db, ALL, extra);
    forgeUrl = platform.service('azora-forge').url;
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await proxy?.close();
    await receiver?.close();
    await db?.drop();
  });

  const client = () => createAzoraClient({ baseUrl: platform.gatewayUrl });

  it('When all ten run, then monitoring reports every one healthy through the gateway, with its version', async () => {
    const rows = await waitFor(
      async () => {
        const status = await client().monitoring.status();
        if (!status.every((s) => s.status === 'healthy'))
          throw new Error(JSON.stringify(status.map((s) => [s.name, s.status, s.reason])));
        return status;
      },
      { timeoutMs: 30_000, what: 'all ten healthy' },
    );

    expect(rows.map((r) => r.name)).toEqual(ALL);
    expect(rows.every((r) => r.version === '0.1.0' && r.uptimePercent24h !== null)).toBe(true);
    const direct = await fetch(`${platform.service('monitoring-service').url}/api/services/status`);
    expect(((await direct.json()) as { status: string }[]).every((s) => s.status === 'healthy')).toBe(true);
  });

  it("When promtool checks every service's /metrics, then each passes", async () => {
    const failures: string[] = [];
    for (const name of ALL) {
      const text = await (await fetch(`${platform.service(name).url}/metrics`)).text();
      try {
        execFileSync(tool('promtool'), ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        failures.push(`${name}:\n${stdout}${stderr}`);
      }
    }

    expect(failures).toEqual([]);
  });

  it('When a real Prometheus scrapes the test variant of prometheus.yml, then up is 1 for all ten jobs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'azora-prometheus-'));
    const port = await freePort();
    let config = readFileSync(path.join(MONITORING_DIR, 'prometheus.yml'), 'utf8');
    for (const s of SERVICES)
      config = config.replace(`'${s.name}:${s.port}'`, `'127.0.0.1:${platform.service(s.name).port}'`);
    config = config
      .replace('scrape_interval: 15s', 'scrape_interval: 1s')
      .replace('scrape_timeout: 10s', 'scrape_timeout: 1s')
      .replace('  - alerts.yml', `  - ${path.join(MONITORING_DIR, 'alerts.yml')}`);
    await writeFile(path.join(dir, 'prometheus.yml'), config);
    let prometheus: ChildProcess | undefined;
    let log = '';
    try {
      prometheus = spawn(
        tool('prometheus'),
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      prometheus.stderr?.on('data', (c: Buffer) => (log += c.toString()));

      const up = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`);
          const body = (await res.json()) as {
            data: { result: { metric: { job: string }; value: [number, string] }[] };
          };
          const result = body.data.result;
          if (result.length !== 10 || result.some((r) => r.value[1] !== '1')) throw new Error(JSON.stringify(result));
          return result;
        },
        { timeoutMs: 40_000, intervalMs: 500, what: `up == 1 for all ten (prometheus log: ${log.slice(-500)})` },
      );
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=service_health_status`);
      const rules = await fetch(`http://127.0.0.1:${port}/api/v1/rules`);

      expect(up.map((r) => r.metric.job).sort()).toEqual([...ALL].sort());
      expect(((await health.json()) as { data: { result: unknown[] } }).data.result.length).toBe(10);
      expect(((await rules.json()) as { data: { groups: unknown[] } }).data.groups.length).toBeGreaterThan(0);
    } finally {
      if (prometheus && prometheus.exitCode === null) {
        const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
        prometheus.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('When a course is published through the gateway, then the gateway, Education and a consumer of the event record spans of one trace', async () => {
    const instructor = client();
    await instructor.auth.register({
      email: `trace-${randomUUID().slice(0, 8)}@azora.test`,
      password: 'tracing-is-42',
      name: 'Tracy',
      role: 'instructor',
    });
    const course = await instructor.education.createCourse({
      title: 'Traced course',
      description: 'Spans across services',
      priceCents: 0,
      currency: 'USD',
      skills: ['tracing'],
    });
    await instructor.education.addLesson(course.id, { title: 'One', content: 'Spans.', position: 1 });
    await instructor.education.publishCourse(course.id);

    const trace = await waitFor(
      () => {
        const gateway = receiver.spans.find(
          (s) =>
            s.service === 'api-gateway' &&
            s.name.startsWith('POST') &&
            receiver.spans.some((c) => c.traceId === s.traceId && c.service === 'ai-family-service'),
        );
        if (!gateway) throw new Error(`no trace yet among ${receiver.spans.length} spans`);
        return receiver.spans.filter((s) => s.traceId === gateway.traceId);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'one trace from the gateway to a consumer' },
    );

    const services = new Set(trace.map((s) => s.service));
    expect([...services]).toEqual(expect.arrayContaining(['api-gateway', 'azora-education', 'ai-family-service']));
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['education.course.published process']));
    expect(trace.some((s) => s.service === 'azora-education' && /^(pg|SELECT|INSERT|UPDATE|BEGIN)/.test(s.name))).toBe(
      true,
    );
  });

  it('When one service is slowed and one stopped, then monitoring says degraded and down, and records the incident', async () => {
    proxy.slow(900);
    await platform.service('azora-mint').stop();

    const status = await waitFor(
      async () => {
        const rows = await client().monitoring.status();
        const forge = rows.find((r) => r.name === 'azora-forge');
        const mint = rows.find((r) => r.name === 'azora-mint');
        if (forge?.status !== 'degraded' || mint?.status !== 'unhealthy')
          throw new Error(JSON.stringify([forge, mint]));
        return rows;
      },
      { timeoutMs: 30_000, what: 'forge degraded and mint down' },
    );
    const incidents = await client().monitoring.incidents({ service: 'azora-mint', state: 'open' });

    expect(status.find((r) => r.name === 'azora-mint')?.reason).toBe('connection refused');
    expect(status.find((r) => r.name === 'azora-forge')?.reason).toMatch(/^slow: /);
    expect(status.filter((r) => r.status === 'healthy')).toHaveLength(8);
    expect(incidents.items).toEqual([
      expect.objectContaining({ service: 'azora-mint', state: 'open', cause: 'connection refused' }),
    ]);
  });
});
