// Metrics: request durations are labelled by route template, never by raw path.
import express, { type Express } from 'express';
import request from 'supertest';
import { DomainError, createLogger, createMetrics, createServiceApp, UNMATCHED_ROUTE } from '../src';

interface Series {
  labels: Record<string, string>;
  value: number;
}

function createApp(): Express {
  return createServiceApp({
    service: 't',
    version: '0.0.0',
    logger: createLogger({ service: 't', level: 'silent' }),
    metrics: createMetrics({ service: 't', defaultMetrics: false }),
    checks: [],
    routes: (router) => {
      router.get('/courses/:id', (req, res) => {
        res.json({ id: req.params['id'] });
      });
      const api = express.Router();
      api.get('/lessons/:lessonId', (req, res) => {
        res.json({ id: req.params['lessonId'] });
      });
      api.delete('/lessons/:lessonId', () => {
        throw new DomainError('course.not_draft', 'The lesson is locked');
      });
      router.use('/api', api);
    },
  });
}

/** The request-count series of the histogram in a /metrics scrape. */
async function requestCounts(app: Express): Promise<Series[]> {
  const res = await request(app).get('/metrics');
  expect(res.status).toBe(200);
  return res.text
    .split('\n')
    .filter((line) => line.startsWith('http_request_duration_seconds_count{'))
    .map((line) => {
      const match = /^[^{]+\{(.*)\} (\S+)$/.exec(line);
      if (!match) throw new Error(`unexpected metrics line: ${line}`);
      const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { labels, value: Number(match[2]) };
    });
}

describe('request duration metrics', () => {
  it('When two ids hit /courses/:id, then one series counts both under the template', async () => {
    // Arrange
    const app = createApp();

    // Act
    await request(app).get('/courses/42').expect(200);
    await request(app).get('/courses/43').expect(200);
    const series = await requestCounts(app);

    // Assert
    const courses = series.filter((s) => s.labels['route']?.includes('/courses'));
    expect(courses).toEqual([
      { labels: { method: 'GET', route: '/courses/:id', status_code: '200', service: 't' }, value: 2 },
    ]);
    expect(series.some((s) => /\/courses\/4[23]/.test(s.labels['route'] ?? ''))).toBe(false);
  });

  it('When a route on a router mounted at /api answers, then the series has the full template', async () => {
    // Arrange
    const app = createApp();

    // Act
    await request(app).get('/api/lessons/7').expect(200);
    const series = await requestCounts(app);

    // Assert
    expect(series).toContainEqual({
      labels: { method: 'GET', route: '/api/lessons/:lessonId', status_code: '200', service: 't' },
      value: 1,
    });
  });

  it('When a route on a router mounted at /api throws, then the error is still counted under the full template', async () => {
    // Arrange
    const app = createApp();

    // Act
    await request(app).delete('/api/lessons/7').expect(409);
    const series = await requestCounts(app);

    // Assert
    expect(series).toContainEqual({
      labels: { method: 'DELETE', route: '/api/lessons/:lessonId', status_code: '409', service: 't' },
      value: 1,
    });
  });

  it('When no route matches, then the request is counted as <unmatched>', async () => {
    // Arrange
    const app = createApp();

    // Act
    await request(app).get('/courses/42/reviews/9').expect(404);
    await request(app).get('/wp-admin.php').expect(404);
    const series = await requestCounts(app);

    // Assert
    const notFound = series.filter((s) => s.labels['status_code'] === '404');
    expect(notFound).toEqual([
      { labels: { method: 'GET', route: UNMATCHED_ROUTE, status_code: '404', service: 't' }, value: 2 },
    ]);
  });

  it('When default metrics are on, then the scrape also has process metrics with the service label', async () => {
    // Arrange
    const metrics = createMetrics({ service: 'kit-metrics' });

    // Act
    const text = await metrics.registry.metrics();

    // Assert
    expect(text).toMatch(/process_cpu_user_seconds_total\{service="kit-metrics"\} \d/);
  });

  it('When default metrics are on, then only counters end in _total, as Prometheus conventions (and promtool) require', async () => {
    // Arrange
    const metrics = createMetrics({ service: 'kit-metrics' });

    // Act
    const text = await metrics.registry.metrics();

    // Assert
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name, type }));
    expect(types.filter((t) => t.name?.endsWith('_total') && t.type !== 'counter')).toEqual([]);
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
  });
});
