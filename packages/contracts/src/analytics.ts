// Analytics's HTTP contract, as clients see it under /api/analytics: batches of tracked events,
// the reports (active users, event counts, funnels, retention) and the NDJSON export of raw
// events. Times are UTC; a bucket (hour, day, ISO week from Monday, month) is named by its start.
import { z } from 'zod';
import { EVENT_OWNERS } from './events';

const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();
/** A share from 0 to 1. */
const Rate = z.number().min(0).max(1);

export const TRACK_LIMITS = {
  eventsPerBatch: 1000,
  nameLength: 64,
  properties: 50,
  propertyKeyLength: 64,
  propertyStringLength: 1024,
  /** Size of an event's properties as JSON (UTF-8 bytes). */
  propertiesBytes: 4096,
  anonymousIdLength: 128,
} as const;

/** Event names: a letter first, then letters, digits, spaces and `_ . : -`; no trailing space. */
export const EventName = z
  .string()
  .max(TRACK_LIMITS.nameLength)
  .regex(
    /^[A-Za-z](?:[A-Za-z0-9_.:\- ]*[A-Za-z0-9_.:-])?$/,
    'a letter, then letters, digits, spaces, "_", ".", ":" or "-" (such as "Course Viewed" or "signup.started")',
  );

/** The areas whose events come from the bus (`education.*`, `pay.*`...): clients cannot send those names. */
const PLATFORM_PREFIXES = Object.keys(EVENT_OWNERS).map((area) => `${area}.`);

export function isPlatformEventName(name: string): boolean {
  return PLATFORM_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** A name a client may track: not one of the platform's own event areas. */
export const TrackedEventName = EventName.refine(
  (name) => !isPlatformEventName(name),
  `names starting with ${PLATFORM_PREFIXES.map((p) => `"${p}"`).join(', ')} are reserved for the platform's own events`,
);

/** UTF-8 bytes of `value` as JSON, counted without encoding it (this runs for every event). */
function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i += 1;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

/** A flat JSON object: each value a string, number, boolean or null. */
export const EventProperties = z
  .record(
    z.string().min(1).max(TRACK_LIMITS.propertyKeyLength, `at most ${TRACK_LIMITS.propertyKeyLength} characters`),
    z.unknown(),
  )
  .superRefine((properties, ctx) => {
    const keys = Object.keys(properties);
    if (keys.length > TRACK_LIMITS.properties) {
      ctx.addIssue({ code: 'custom', message: `at most ${TRACK_LIMITS.properties} properties` });
    }
    for (const key of keys) {
      const value = properties[key];
      if (typeof value === 'string') {
        if (value.length > TRACK_LIMITS.propertyStringLength)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `at most ${TRACK_LIMITS.propertyStringLength} characters`,
          });
      } else if (value !== null && typeof value !== 'number' && typeof value !== 'boolean') {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'a string, number, boolean or null: properties are a flat object',
        });
      }
    }
    if (jsonBytes(properties) > TRACK_LIMITS.propertiesBytes) {
      ctx.addIssue({ code: 'custom', message: `at most ${TRACK_LIMITS.propertiesBytes} bytes as JSON` });
    }
  });
export type EventProperties = z.infer<typeof EventProperties>;

/** When the event happened, with its offset. The service also bounds it: not too old, not in the future. */
export const EventTimestamp = Timestamp;

const trackedEventShape = {
  /** A UUID the client makes (crypto.randomUUID()): a resend of the same event (same id and
   * timestamp) is stored once. Without one, every send is a new event. */
  id: z.uuid().optional(),
  name: TrackedEventName,
  properties: EventProperties.default({}),
  timestamp: EventTimestamp,
  /** The visitor before signing in. The first event that carries it with a signed-in user links
   * the two: from then on they count as one person. */
  anonymousId: z.string().min(1).max(TRACK_LIMITS.anonymousIdLength).optional(),
};

/** One tracked event. The user is never sent: it is the signed-in caller, when there is one. */
export const TrackedEvent = z.strictObject(trackedEventShape);
export type TrackedEvent = z.input<typeof TrackedEvent>;

/** TrackRequest with the timestamp checked by `timestamp` (the service bounds it by its clock). */
export function trackRequestWith(timestamp: z.ZodType<string>) {
  return z.strictObject({
    events: z
      .array(z.strictObject({ ...trackedEventShape, timestamp }))
      .min(1)
      .max(TRACK_LIMITS.eventsPerBatch),
  });
}

/** POST /track: one to 1,000 events, accepted or refused whole. */
export const TrackRequest = trackRequestWith(EventTimestamp);
export type TrackRequest = z.input<typeof TrackRequest>;

export const TrackResult = z.object({
  /** Events in the batch. */
  received: Count,
  /** Stored now. */
  stored: Count,
  /** Already stored (same id and timestamp, or repeated in the batch): not stored again. */
  duplicates: Count,
});
export type TrackResult = z.infer<typeof TrackResult>;

/** A date (`2026-03-01`, that UTC day) or an instant with its offset. */
export const ReportInstant = z.union([z.iso.date(), Timestamp], {
  error: 'a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset',
});

const range = {
  /** Start: the bucket containing it is the first. Default: a span back from `to`. */
  from: ReportInstant.optional(),
  /** End, inclusive: the bucket containing it is the last (a date means that whole day). Default: now. */
  to: ReportInstant.optional(),
};

export const ActiveUsersInterval = z.enum(['day', 'week', 'month']);
export type ActiveUsersInterval = z.infer<typeof ActiveUsersInterval>;

/** GET /active-users: distinct people active per UTC day, ISO week or calendar month. */
export const ActiveUsersQuery = z.object({ interval: ActiveUsersInterval.default('day'), ...range });
export type ActiveUsersQuery = z.input<typeof ActiveUsersQuery>;

export const ActiveUsersReport = z.object({
  interval: ActiveUsersInterval,
  from: Timestamp,
  to: Timestamp,
  series: z.array(z.object({ start: Timestamp, users: Count })),
});
export type ActiveUsersReport = z.infer<typeof ActiveUsersReport>;

export const EventCountsInterval = z.enum(['hour', 'day']);
export type EventCountsInterval = z.infer<typeof EventCountsInterval>;

/** GET /events/counts: events per hour or day; of one name, or of every name. */
export const EventCountsQuery = z.object({
  name: EventName.optional(),
  interval: EventCountsInterval.default('day'),
  ...range,
});
export type EventCountsQuery = z.input<typeof EventCountsQuery>;

export const EventCountsReport = z.object({
  /** The name counted; null for every event. */
  name: z.string().nullable(),
  interval: EventCountsInterval,
  from: Timestamp,
  to: Timestamp,
  total: Count,
  series: z.array(z.object({ start: Timestamp, count: Count })),
});
export type EventCountsReport = z.infer<typeof EventCountsReport>;

export const FUNNEL_LIMITS = { steps: 10, windowHours: 24 * 90 } as const;

/** POST /funnels: who did the steps in order, each within `windowHours` of the first. */
export const FunnelRequest = z.strictObject({
  steps: z.array(EventName).min(2).max(FUNNEL_LIMITS.steps),
  windowHours: z.number().int().min(1).max(FUNNEL_LIMITS.windowHours),
  /** People enter the funnel with their first step-one event between `from` and `to`. */
  ...range,
});
export type FunnelRequest = z.input<typeof FunnelRequest>;

export const FunnelStep = z.object({
  name: z.string(),
  /** People who reached this step. */
  count: Count,
  /** Of those who entered (step one). */
  conversionRate: Rate,
  /** Of those who reached the step before. */
  stepConversionRate: Rate,
});

export const FunnelReport = z.object({
  from: Timestamp,
  to: Timestamp,
  windowHours: z.number().int().positive(),
  /** People who did step one in the range. */
  entered: Count,
  /** People who did every step. */
  converted: Count,
  conversionRate: Rate,
  steps: z.array(FunnelStep),
});
export type FunnelReport = z.infer<typeof FunnelReport>;

/** GET /retention: cohorts by the week people were first seen, and who came back each week. */
export const RetentionQuery = z.object({ cohort: z.enum(['week']).default('week'), ...range });
export type RetentionQuery = z.input<typeof RetentionQuery>;

export const RetentionCohort = z.object({
  /** Monday 00:00 UTC of the week its people were first seen. */
  start: Timestamp,
  size: Count,
  /** retained[k]: people of the cohort active k weeks after it (retained[0] is its size), through `to`. */
  retained: z.array(Count),
  rates: z.array(Rate),
});

export const RetentionReport = z.object({
  cohort: z.literal('week'),
  from: Timestamp,
  to: Timestamp,
  cohorts: z.array(RetentionCohort),
});
export type RetentionReport = z.infer<typeof RetentionReport>;

/** GET /events/export: raw events between `from` and `to` (both required), oldest first, as NDJSON. */
export const ExportQuery = z.object({
  from: ReportInstant,
  to: ReportInstant,
  name: EventName.optional(),
});
export type ExportQuery = z.input<typeof ExportQuery>;

/** One line of the export. */
export const ExportedEvent = z.object({
  id: z.uuid(),
  name: z.string(),
  timestamp: Timestamp,
  source: z.enum(['client', 'bus']),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  /** Who the reports count it for: the user, or the anonymous visitor until they identified. */
  personId: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  receivedAt: Timestamp,
});
export type ExportedEvent = z.infer<typeof ExportedEvent>;

export const EXPORT_CONTENT_TYPE = 'application/x-ndjson';
