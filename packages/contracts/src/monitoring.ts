// Monitoring's HTTP contract, as clients see it under /api/monitoring (and operators on port
// 3013): each service's status with its 24-hour uptime, the hourly uptime strips, incidents
// (down and back up), and the bus's health (outbox lag, subscription backlog, dead letters).
import { z } from 'zod';
import { PageQuery, pageOf } from './pagination';
import { SERVICES } from './services';

const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();
const Percent = z.number().min(0).max(100);

/** `healthy`: ready and fast; `degraded`: ready but slow, or failing now and then;
 * `unhealthy`: not ready (down, refusing, timing out, or answering 503) several checks in a row. */
export const ServiceHealth = z.enum(['healthy', 'degraded', 'unhealthy']);
export type ServiceHealth = z.infer<typeof ServiceHealth>;

/** A service of the catalog, by name. */
export const MonitoredServiceName = z.enum(SERVICES.map((s) => s.name) as [string, ...string[]]);

/** One row of `GET /status`: the last check of one service and what it means. */
export const ServiceStatus = z.object({
  name: z.string(),
  title: z.string(),
  /** Where monitoring reaches it (its `<NAME>_URL`). */
  url: z.string(),
  status: ServiceHealth,
  /** Time its `/ready` took to answer at the last check; null before the first check. */
  latencyMs: Count.nullable(),
  checkedAt: Timestamp.nullable(),
  /** From its `/health` answer; null while it cannot be asked. */
  version: z.string().nullable(),
  /** Share of the checks of the last 24 hourly buckets (the current one included) that found it ready. */
  uptimePercent24h: Percent.nullable(),
  /** When it entered its current status. */
  since: Timestamp.nullable(),
  /** Why it is not healthy (no addresses or internal error text); null when healthy. */
  reason: z.string().nullable(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const ServiceStatusList = z.array(ServiceStatus);
export type ServiceStatusList = z.infer<typeof ServiceStatusList>;

/** A time a service was down (unhealthy), from its first failed check to its first good one. */
export const Incident = z.object({
  id: z.uuid(),
  service: z.string(),
  state: z.enum(['open', 'resolved']),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
  /** Seconds from start to end; null while open. */
  durationSeconds: Count.nullable(),
  /** What the first failing check found. */
  cause: z.string(),
});
export type Incident = z.infer<typeof Incident>;

/** `GET /incidents`: newest first, optionally one service's or only open or resolved ones. */
export const IncidentListQuery = PageQuery.extend({
  service: MonitoredServiceName.optional(),
  state: z.enum(['open', 'resolved']).optional(),
});
export type IncidentListQuery = z.input<typeof IncidentListQuery>;

export const IncidentPage = pageOf(Incident);
export type IncidentPage = z.infer<typeof IncidentPage>;

/** `GET /uptime?hours=24`: hourly buckets from `hours` ago to now. */
export const UptimeQuery = z.object({ hours: z.coerce.number().int().min(1).max(720).default(24) });
export type UptimeQuery = z.input<typeof UptimeQuery>;

export const UptimeBucket = z.object({
  /** Start of the hour. */
  from: Timestamp,
  checks: Count,
  /** Share of this hour's checks that found the service ready; null without checks. */
  uptimePercent: Percent.nullable(),
  /** The worst status the service had during the hour; null without checks. */
  status: ServiceHealth.nullable(),
});
export type UptimeBucket = z.infer<typeof UptimeBucket>;

export const UptimeReport = z.object({
  from: Timestamp,
  to: Timestamp,
  bucketSeconds: z.number().int().positive(),
  services: z.array(z.object({ name: z.string(), uptimePercent: Percent.nullable(), buckets: z.array(UptimeBucket) })),
});
export type UptimeReport = z.infer<typeof UptimeReport>;

/** `GET /bus`: the bus as monitoring last saw it, in counts only (never event contents). */
export const BusHealth = z.object({
  /** When it was last collected; null before the first collection. */
  checkedAt: Timestamp.nullable(),
  /** Whether Nexus answered monitoring's questions. */
  nexus: z.enum(['reachable', 'unreachable', 'unknown']),
  /** Each publishing service's outbox: events not yet accepted by Nexus, and the oldest one's age. */
  outbox: z.array(
    z.object({ service: z.string(), pendingEvents: Count.nullable(), lagSeconds: z.number().nonnegative().nullable() }),
  ),
  /** Events of the log each subscriber has not acknowledged yet. */
  subscriptions: z.array(z.object({ subscriber: z.string(), backlog: Count })),
  /** Dead letters not delivered since; null when they could not be read. `more` when there were
   * more than monitoring counts. */
  deadLetters: z
    .object({
      count: Count,
      more: z.boolean(),
      bySubscriber: z.array(z.object({ subscriber: z.string(), count: Count })),
    })
    .nullable(),
});
export type BusHealth = z.infer<typeof BusHealth>;
