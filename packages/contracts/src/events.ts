// The event envelope and the registry mapping each event type to the schema of its data.
// Every event in the catalog is described here once; publishers and consumers both parse with it.
import { z } from 'zod';
import type { ServiceName } from './services';

const Uuid = z.uuid();
const Skills = z.array(z.string().min(1).max(64)).max(50);
const TokenAmount = z.number().int().positive();

/** What Mint's reward policy needs to know about a completion: who wrote the course (no rewards
 * for completing your own) and whether an admin made it reward-eligible. */
const RewardFacts = {
  authorIds: z.array(Uuid).min(1).max(20),
  rewardEligible: z.boolean(),
};

const PaymentData = z.object({
  paymentId: Uuid,
  userId: Uuid,
  purpose: z.enum(['course', 'tokens']),
  courseId: Uuid.optional(),
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

const NotificationData = z.object({
  notificationId: Uuid,
  channel: z.enum(['in_app', 'email', 'push']),
  userId: Uuid,
});

export const EVENT_DATA = {
  'identity.user.registered': z.object({
    userId: Uuid,
    email: z.email(),
    name: z.string().min(1),
    role: z.enum(['student', 'instructor', 'employer', 'admin']),
  }),
  'education.course.published': z.object({ courseId: Uuid, title: z.string().min(1), skills: Skills }),
  'education.enrollment.created': z.object({ courseId: Uuid, userId: Uuid }),
  'education.lesson.completed': z.object({ courseId: Uuid, lessonId: Uuid, userId: Uuid, ...RewardFacts }),
  'education.course.completed': z.object({ courseId: Uuid, userId: Uuid, skills: Skills, ...RewardFacts }),
  'mint.transfer.completed': z.object({
    transferId: Uuid,
    from: z.string().min(1),
    to: z.string().min(1),
    amount: TokenAmount,
    kind: z.string().min(1),
  }),
  'forge.job.posted': z.object({ jobId: Uuid, employerId: Uuid, skills: Skills, reward: TokenAmount }),
  'forge.application.status_changed': z.object({
    applicationId: Uuid,
    jobId: Uuid,
    userId: Uuid,
    status: z.enum(['applied', 'shortlisted', 'rejected', 'hired']),
  }),
  'forge.job.completed': z.object({
    jobId: Uuid,
    workerId: Uuid,
    reward: TokenAmount,
    employerId: Uuid,
    /** Whether an admin verified the employer: only verified employers' jobs pay the bonus. */
    employerVerified: z.boolean(),
  }),
  'pay.payment.succeeded': PaymentData,
  'pay.payment.failed': PaymentData,
  'pay.payment.refunded': PaymentData,
  'ai.conversation.message': z.object({
    conversationId: Uuid,
    userId: Uuid,
    persona: z.string().min(1),
    tokens: z.number().int().nonnegative(),
  }),
  'notification.delivered': NotificationData,
  'notification.failed': NotificationData,
} as const;

export type EventType = keyof typeof EVENT_DATA;

/** Who may publish each event type: the "from" column of the event catalog. Nexus refuses a
 * type from any other service, and consumers refuse a delivered envelope whose `source` is not
 * the type's owner, so an event means what its owner says. */
export const EVENT_OWNERS = {
  identity: 'api-gateway',
  education: 'azora-education',
  mint: 'azora-mint',
  forge: 'azora-forge',
  pay: 'azora-pay',
  ai: 'ai-family-service',
  notification: 'notification-service',
} as const satisfies Record<string, ServiceName>;

/** The service that owns `type` (by its first segment), or undefined for a type nobody owns. */
export function eventOwner(type: string): ServiceName | undefined {
  const area = type.slice(0, type.indexOf('.'));
  return Object.hasOwn(EVENT_OWNERS, area) ? EVENT_OWNERS[area as keyof typeof EVENT_OWNERS] : undefined;
}

/** True when `source` may publish `type`. */
export function mayPublish(source: string, type: string): boolean {
  return eventOwner(type) === source;
}
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_DATA, type);
}

/** The envelope as it travels; `data` is checked against the registry by parseEvent. */
export const EventEnvelope = z.object({
  id: Uuid,
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'an event type such as "education.course.completed"'),
  source: z.string().min(1).max(64),
  occurredAt: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(128).optional(),
  requestId: z.string().min(1).max(128).optional(),
  /** W3C trace context of the request that published it, so its consumers' work joins that trace. */
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'a W3C traceparent')
    .optional(),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type TypedEvent<T extends EventType = EventType> = Omit<EventEnvelope, 'type' | 'data'> & {
  type: T;
  data: EventData<T>;
};

/** Parses an envelope and its data against the schema registered for its type. */
export const KnownEvent = EventEnvelope.superRefine((event, ctx) => {
  if (!isEventType(event.type)) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `unknown event type "${event.type}"` });
    return;
  }
  const result = EVENT_DATA[event.type].safeParse(event.data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['data', ...issue.path], message: issue.message });
    }
  }
});

export function parseEvent(input: unknown): TypedEvent {
  return KnownEvent.parse(input) as TypedEvent;
}

/** True when `type` matches a subscription topic: exact, `prefix.*` or `*`. */
export function topicMatches(topic: string, type: string): boolean {
  if (topic === '*' || topic === type) return true;
  if (topic.endsWith('.*')) return type.startsWith(topic.slice(0, -1));
  return false;
}
