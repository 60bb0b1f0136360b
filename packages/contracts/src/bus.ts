// Nexus's HTTP contract: publishing batches, subscriptions, deliveries, replay, dead letters.
import { z } from 'zod';
import { EventEnvelope, KnownEvent } from './events';
import { pageOf } from './pagination';

/** A seq of the log: 0 is before the first event. */
const Seq = z.coerce.number().int().nonnegative();

/** `types=a.b,c.*`: a comma-separated list of topic patterns, empty for every type. */
const TopicList = z
  .string()
  .max(2048)
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
  );
const ServiceName = z.string().min(1).max(64);

/** An event as Nexus stores it: the envelope plus its place in the global, gap-free sequence. */
export const StoredEvent = EventEnvelope.extend({
  seq: z.number().int().positive(),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/** The largest body the bus reads: a publish to Nexus, or a delivery to a consumer. */
export const BUS_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export const PublishRequest = z.object({
  events: z.array(EventEnvelope).min(1).max(1000),
});
export type PublishRequest = z.infer<typeof PublishRequest>;

/** What Nexus accepts: a PublishRequest whose every envelope's data matches its type's schema. */
export const KnownPublishRequest = PublishRequest.extend({ events: z.array(KnownEvent).min(1).max(1000) });

export const PublishResponse = z.object({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  events: z.array(z.object({ id: z.uuid(), seq: z.number().int().positive() })),
});
export type PublishResponse = z.infer<typeof PublishResponse>;

const Topic = z
  .string()
  .regex(/^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/, 'a topic such as "education.*", "pay.payment.succeeded" or "*"');

export const SubscriptionRequest = z.object({
  subscriber: z.string().min(1).max(64),
  topics: z.array(Topic).min(1).max(50),
  endpoint: z.url({ protocol: /^https?$/ }),
  /** Where a new subscription starts: every stored event, or only those appended from now on. */
  from: z.enum(['beginning', 'now']).default('beginning'),
});
export type SubscriptionRequest = z.input<typeof SubscriptionRequest>;

export const Subscription = z.object({
  id: z.uuid(),
  subscriber: z.string(),
  topics: z.array(z.string()),
  endpoint: z.string(),
  /** HMAC-SHA256 key of this subscription's deliveries; shown to its own subscriber only. */
  secret: z.string().optional(),
  position: z.number().int().nonnegative(),
  pendingAttempts: z.number().int().nonnegative(),
  nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Subscription = z.infer<typeof Subscription>;

/** The body Nexus POSTs to a subscriber's endpoint, signed in the `azora-signature` header. */
export const DeliveryRequest = z.object({
  subscriptionId: z.uuid(),
  events: z.array(StoredEvent).min(1),
});
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

export const DeliveryResponse = z.object({
  handled: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Events acknowledged but not applied: their source does not own their type. */
  refused: z.number().int().nonnegative().optional(),
});
export type DeliveryResponse = z.infer<typeof DeliveryResponse>;

export const SubscriptionList = z.object({ items: z.array(Subscription) });
export type SubscriptionList = z.infer<typeof SubscriptionList>;

export const SubscriptionListQuery = z.object({ subscriber: ServiceName.optional() });
export type SubscriptionListQuery = z.infer<typeof SubscriptionListQuery>;

export const SubscriptionParams = z.object({ id: z.uuid() });

export const SIGNATURE_HEADER = 'azora-signature';

export const DeadLetter = z.object({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  subscriber: z.string(),
  event: StoredEvent,
  attempts: z.number().int().positive(),
  lastError: z.string(),
  status: z.enum(['dead', 'retrying', 'delivered']),
  createdAt: z.iso.datetime({ offset: true }),
  retriedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterPage = pageOf(DeadLetter);
export type DeadLetterPage = z.infer<typeof DeadLetterPage>;

export const DeadLetterListQuery = z.object({
  subscriber: ServiceName.optional(),
  status: z.enum(['dead', 'retrying', 'delivered']).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type DeadLetterListQuery = z.infer<typeof DeadLetterListQuery>;

export const DeadLetterParams = z.object({ id: z.uuid() });

export const ReplayQuery = z.object({
  after: Seq.default(0),
  types: TopicList,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ReplayQuery = z.infer<typeof ReplayQuery>;

export const ReplayResponse = z.object({
  events: z.array(StoredEvent),
  /** Pass as `after` to read on; null when the log has nothing more yet. */
  next: z.number().int().nonnegative().nullable(),
});
export type ReplayResponse = z.infer<typeof ReplayResponse>;

/** `GET /stream`: where to start when no Last-Event-ID header is sent (default: the end of the log). */
export const StreamQuery = z.object({ after: Seq.optional(), types: TopicList });
export type StreamQuery = z.infer<typeof StreamQuery>;
