// The checks every service must pass, as a Jest suite each service's tests call:
// health, readiness (and 503 when its database is unreachable), metrics, problem+json 404.
import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { ServiceInfo } from '@azora/contracts';
import { createCoreDeps, createPool, systemClock, type Clock, type CoreDeps } from '@azora/service-kit';
import { startTestService, type TestService } from './test-service';

export interface ServiceBasicsOptions {
  info: ServiceInfo;
  createApp: (deps: CoreDeps) => RequestListener | Promise<RequestListener>;
}

// A port nothing listens on: connections are refused at once.
const UNREACHABLE_DATABASE = 'postgres://nobody:nothing@127.0.0.1:9/nowhere';

export function describeServiceBasics({ info, createApp }: ServiceBasicsOptions): void {
  describe(`${info.name}: health, readiness and metrics`, () => {
    let service: TestService<RequestListener, Clock>;
    let app: RequestListener;

    beforeAll(async () => {
      service = await startTestService({ info, createApp, clock: systemClock, poolSize: 2 });
      app = service.app;
    });

    afterAll(() => service.close());

    it('When /health is asked, then it answers 200 with the service name', async () => {
      const res = await request(app).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', service: info.name });
    });

    it('When its database is reachable, then /ready answers 200 with the database check ok', async () => {
      const res = await request(app).get('/ready');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ready');
      expect(res.body.checks).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'database', status: 'ok' })]),
      );
    });

    it('When its database is unreachable, then /ready answers 503 problem+json naming the database check', async () => {
      const deadPool = createPool({ connectionString: UNREACHABLE_DATABASE, schema: info.schema, max: 1 });
      try {
        const deadApp = await createApp(createCoreDeps({ service: info.name, pool: deadPool }));
        const res = await request(deadApp).get('/ready');
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.detail).toMatch(/^database: /);
        expect(res.body.checks).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: 'database', status: 'failing' })]),
        );
      } finally {
        await deadPool.end();
      }
    });

    it('When /metrics is scraped, then it serves default metrics and request durations by route template', async () => {
      await request(app).get('/health');
      const res = await request(app).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health"[^}]*\} \d+/);
    });

    it('When a route does not exist, then it answers 404 problem+json', async () => {
      const res = await request(app).get('/no/such/route');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'route.not_found' });
    });

    it('When its schema is migrated, then it has its outbox and inbox tables', async () => {
      const { rows } = await service.pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [info.schema],
      );
      expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['inbox', 'outbox', 'schema_migrations']));
    });
  });
}
