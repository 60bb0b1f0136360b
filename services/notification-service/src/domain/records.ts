// The records Notification's rules work on, as the database layer returns them (dates as Dates).
import type { DeliveryStatus, NotificationChannel, NotificationKind } from '@azora/contracts';
import type { NoticeData } from './notices';

export interface RecipientRecord {
  userId: string;
  email: string | null;
  name: string | null;
  lastSeq: number;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  seq: number;
  kind: NotificationKind;
  title: string;
  body: string;
  data: NoticeData;
  inApp: boolean;
  createdAt: Date;
  readAt: Date | null;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** What a push message carries: the service worker shows `title` and `body`. */
export interface PushContent {
  notificationId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  data: NoticeData;
}

export type DeliveryChannel = Exclude<NotificationChannel, 'in_app'>;

export interface DeliveryRecord {
  id: string;
  notificationId: string;
  userId: string;
  kind: NotificationKind;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  content: EmailContent | PushContent;
  /** Attempts so far (numbered on across an admin's retry). */
  attempts: number;
  /** The number of the first attempt of the current budget (after an admin's retry, later than 1). */
  budgetFrom: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface AttemptRecord {
  attempt: number;
  outcome: 'delivered' | 'retry' | 'failed';
  detail: string | null;
  startedAt: Date;
  finishedAt: Date;
}

export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  expirationTime: Date | null;
  createdAt: Date;
}

export interface MailRecord {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  size: number;
  receivedAt: Date;
}
