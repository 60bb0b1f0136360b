// Metrics: one prom-client registry per service with default process metrics and the request
// duration histogram labelled by route template, never by raw path.
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from './errors';
import client, { Registry } from 'prom-client';
import type { Request, RequestHandler } from 'express';

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  /** Records every request's duration; mount before the routes. */
  readonly middleware: RequestHandler;
  /** Serves the registry as Prometheus text. */
  readonly handler: RequestHandler;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): client.Counter<L>;
  gauge<L extends string>(name: string, help: string, labelNames?: readonly L[]): client.Gauge<L>;
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: number[],
  ): client.Histogram<L>;
}

export const UNMATCHED_ROUTE = '<unmatched>';

function templateOf(baseUrl: string, route: unknown): string {
  const path = (route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  const template = `${baseUrl}${path}`;
  return template === '' ? '/' : template;
}

const ROUTE = Symbol('route');
const TEMPLATE = Symbol('routeTemplate');
type Instrumented = Request & { [ROUTE]?: unknown; [TEMPLATE]?: string };
const instrumentedPrototypes = new WeakSet<object>();

// When an error leaves a nested router, the router restores req.baseUrl but keeps req.route,
// so at 'finish' /api/lessons/:id would read as /lessons/:id. The template is therefore taken
// when the router assigns req.route, while baseUrl is still that router's mount path. The
// accessor goes on the app's request prototype, once: defining it on every request object
// would turn each into a slow dictionary-mode object, costing every request.
function captureRouteTemplates(req: Request): void {
  const prototype = Object.getPrototypeOf(req) as object | null;
  if (prototype === null || instrumentedPrototypes.has(prototype)) return;
  instrumentedPrototypes.add(prototype);
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    get(this: Instrumented) {
      return this[ROUTE];
    },
    set(this: Instrumented, value: unknown) {
      this[ROUTE] = value;
      this[TEMPLATE] = templateOf(this.baseUrl, value);
    },
  });
}

/** `/courses/:id` for a request to /courses/42; UNMATCHED_ROUTE when no route handled it. */
export function routeTemplate(req: Request): string {
  return (req as Instrumented)[TEMPLATE] ?? templateOf(req.baseUrl, req.route);
}

/** prom-client's defaults include three gauges named `*_total`, a suffix Prometheus keeps for
 * counters (promtool rejects them). Their figures remain, by type, in `nodejs_active_handles`,
 * `nodejs_active_requests` and `nodejs_active_resources` (sum them for the totals). */
function dropGaugesNamedTotal(registry: Registry): void {
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    registry.removeSingleMetric(name);
}

export function createMetrics({
  service,
  defaultMetrics = true,
  scrapeToken,
}: {
  service: string;
  defaultMetrics?: boolean;
  /** When set, /metrics answers only a scrape that sends `Authorization: Bearer <scrapeToken>`. */
  scrapeToken?: string | undefined;
}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) {
    client.collectDefaultMetrics({ register: registry });
    dropGaugesNamedTotal(registry);
  }

  const httpRequestDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = httpRequestDuration.startTimer();
    captureRouteTemplates(req);
    res.once('finish', () => {
      end({ method: req.method, route: routeTemplate(req), status_code: String(res.statusCode) });
    });
    next();
  };

  const expected = scrapeToken === undefined ? undefined : Buffer.from(`Bearer ${scrapeToken}`);
  const authorised = (header: string | undefined) => {
    if (!expected) return true;
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const handler: RequestHandler = async (req, res, next) => {
    try {
      if (!authorised(req.get('authorization'))) {
        throw new DomainError(
          'metrics.scrape_token_required',
          'Send the scrape token: Authorization: Bearer <METRICS_TOKEN>',
          {
            headers: { 'www-authenticate': 'Bearer realm="metrics"' },
          },
        );
      }
      const body = await registry.metrics();
      res.setHeader('content-type', registry.contentType);
      res.send(body);
    } catch (error) {
      next(error);
    }
  };

  return {
    registry,
    httpRequestDuration,
    middleware,
    handler,
    counter: (name, help, labelNames = []) => new client.Counter({ name, help, labelNames, registers: [registry] }),
    gauge: (name, help, labelNames = []) => new client.Gauge({ name, help, labelNames, registers: [registry] }),
    histogram: (name, help, labelNames = [], buckets) =>
      new client.Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }),
  };
}
