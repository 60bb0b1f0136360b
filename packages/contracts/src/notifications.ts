// Notification's HTTP contract, as clients see it under /api/notifications: the in-app inbox and
// its live stream, preferences per kind and channel, Web Push subscriptions, the delivery log
// (admins) and the mailbox of the embedded mail sink (admins).
import { z } from 'zod';
import { PageQuery, pageOf } from './pagination';

const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().nonnegative();

/** An empty query parameter (`?unread=`) means "not given", not "invalid". */
const blankAsAbsent = (value: unknown) => (value === '' ? undefined : value);
/** `true`/`false` in a query string; anything else is a 400. */
const QueryBoolean = z
  .preprocess(blankAsAbsent, z.enum(['true', 'false']).optional())
  .transform((v) => (v === undefined ? undefined : v === 'true'));

/** What a notification is about; each event the service consumes maps to one kind. */
export const NotificationKind = z.enum([
  'welcome',
  'enrollment',
  'course_completed',
  'tokens_earned',
  'transfer_received',
  'application_status',
  'job_completed',
  'payment_succeeded',
  'payment_failed',
  'payment_refunded',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;
export const NOTIFICATION_KINDS = NotificationKind.options;

/** Where a notification goes: the inbox, an email, a Web Push message. */
export const NotificationChannel = z.enum(['in_app', 'email', 'push']);
export type NotificationChannel = z.infer<typeof NotificationChannel>;
export const NOTIFICATION_CHANNELS = NotificationChannel.options;

export const NotificationParams = z.object({ id: Uuid });
export type NotificationParams = z.infer<typeof NotificationParams>;

/** One notification of the caller's inbox. */
export const Notification = z.object({
  id: Uuid,
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  /** Ids a front end links with (courseId, paymentId, jobId, transferId...). */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** Position in the caller's own notifications: the stream's event id. */
  seq: z.number().int().positive(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type Notification = z.infer<typeof Notification>;

/** `GET /`: unread first, then newest first; `unread=true` lists the unread ones only. */
export const InboxQuery = PageQuery.extend({ unread: QueryBoolean });
export type InboxQuery = z.input<typeof InboxQuery>;

export const InboxPage = pageOf(Notification).extend({ unreadCount: Count });
export type InboxPage = z.infer<typeof InboxPage>;

export const UnreadCount = z.object({ unread: Count });
export type UnreadCount = z.infer<typeof UnreadCount>;

export const ReadAllResult = z.object({
  /** Notifications that were unread and now are read. */
  marked: Count,
  unread: Count,
});
export type ReadAllResult = z.infer<typeof ReadAllResult>;

/** `GET /stream`: where to resume when no Last-Event-ID header is sent (default: from now on). */
export const NotificationStreamQuery = z.object({ after: z.coerce.number().int().nonnegative().optional() });
export type NotificationStreamQuery = z.input<typeof NotificationStreamQuery>;
/** The SSE event name of a new in-app notification (`data` is a Notification). */
export const NOTIFICATION_STREAM_EVENT = 'notification';

/** Whether each channel is on for one kind. */
export const ChannelSettings = z.object({ in_app: z.boolean(), email: z.boolean(), push: z.boolean() });
export type ChannelSettings = z.infer<typeof ChannelSettings>;

export const RequiredChannel = z.object({ kind: NotificationKind, channel: NotificationChannel });
export type RequiredChannel = z.infer<typeof RequiredChannel>;

/** `GET|PUT /preferences`: every kind with every channel, and the ones that cannot be switched off. */
export const NotificationPreferences = z.object({
  preferences: z.record(NotificationKind, ChannelSettings),
  /** Security-relevant mail (welcome, payment receipts): always sent, whatever the preferences. */
  required: z.array(RequiredChannel),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** Changes some switches; kinds and channels left out keep their value. */
export const UpdatePreferencesRequest = z.object({
  preferences: z.partialRecord(
    NotificationKind,
    z.strictObject({ in_app: z.boolean().optional(), email: z.boolean().optional(), push: z.boolean().optional() }),
  ),
});
export type UpdatePreferencesRequest = z.input<typeof UpdatePreferencesRequest>;

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'expected base64url');

/** A browser's `PushSubscription.toJSON()`. Push services speak HTTPS only. */
export const PushSubscriptionRequest = z.object({
  endpoint: z
    .url({ protocol: /^https$/, error: 'expected the https:// URL of a push service' })
    .max(2048, 'at most 2048 characters'),
  expirationTime: z.number().int().nonnegative().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, 65 bytes as base64url. */
    p256dh: Base64Url.min(80).max(100),
    /** The 16-byte authentication secret as base64url. */
    auth: Base64Url.min(16).max(32),
  }),
});
export type PushSubscriptionRequest = z.input<typeof PushSubscriptionRequest>;

export const PushSubscription = z.object({
  id: Uuid,
  endpoint: z.string(),
  expirationTime: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type PushSubscription = z.infer<typeof PushSubscription>;

export const PushSubscriptionList = z.object({ items: z.array(PushSubscription) });
export type PushSubscriptionList = z.infer<typeof PushSubscriptionList>;

export const PushSubscriptionParams = z.object({ id: Uuid });
export type PushSubscriptionParams = z.infer<typeof PushSubscriptionParams>;

/** `GET /push/public-key`: the VAPID application server key a browser subscribes with. */
export const PushPublicKey = z.object({ publicKey: z.string() });
export type PushPublicKey = z.infer<typeof PushPublicKey>;

export const DeliveryStatus = z.enum(['pending', 'sending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = z.object({
  attempt: z.number().int().positive(),
  outcome: z.enum(['delivered', 'retry', 'failed']),
  /** What the far end said (an SMTP reply, a push service's status) or why it failed. */
  detail: z.string().nullable(),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

/** One email or push job (admins). */
export const Delivery = z.object({
  id: Uuid,
  notificationId: Uuid,
  userId: Uuid,
  kind: NotificationKind,
  channel: z.enum(['email', 'push']),
  status: DeliveryStatus,
  attempts: Count,
  nextAttemptAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryDetail = Delivery.extend({ attemptLog: z.array(DeliveryAttempt) });
export type DeliveryDetail = z.infer<typeof DeliveryDetail>;

export const DeliveriesQuery = PageQuery.extend({
  status: z.preprocess(blankAsAbsent, DeliveryStatus.optional()),
  userId: z.preprocess(blankAsAbsent, Uuid.optional()),
});
export type DeliveriesQuery = z.input<typeof DeliveriesQuery>;
export const DeliveryPage = pageOf(Delivery);
export type DeliveryPage = z.infer<typeof DeliveryPage>;
export const DeliveryParams = z.object({ id: Uuid });
export type DeliveryParams = z.infer<typeof DeliveryParams>;

/** A mail the embedded sink received (admins). */
export const MailSummary = z.object({
  id: Uuid,
  messageId: z.string().nullable(),
  from: z.string(),
  /** The envelope's recipients (RCPT TO). */
  to: z.array(z.string()),
  subject: z.string(),
  size: Count,
  receivedAt: Timestamp,
});
export type MailSummary = z.infer<typeof MailSummary>;

export const MailMessage = MailSummary.extend({
  text: z.string().nullable(),
  /** As sent: render it only in a sandbox (an iframe without scripts). */
  html: z.string().nullable(),
});
export type MailMessage = z.infer<typeof MailMessage>;

/** `GET /mailbox`: newest first; `to` keeps the mail sent to one address. */
export const MailboxQuery = PageQuery.extend({
  to: z.preprocess(blankAsAbsent, z.string().trim().toLowerCase().min(3).max(320).optional()),
});
export type MailboxQuery = z.input<typeof MailboxQuery>;
export const MailboxPage = pageOf(MailSummary);
export type MailboxPage = z.infer<typeof MailboxPage>;
export const MailParams = z.object({ id: Uuid });
export type MailParams = z.infer<typeof MailParams>;
