// What Notification's use cases need from the outside world, passed in explicitly.
import type { AuthenticatedUser, Clock, CoreDeps, Pool, Publish } from '@azora/service-kit';
import type { MailSender, PushSender } from '../domain/ports';
import type { NotificationSettings } from '../domain/settings';
import type { TemplateSet } from '../domain/templates';
import type { NotificationMetrics } from '../metrics';

/** In-process wake-ups once a transaction that created notifications has committed. */
export interface Signals {
  /** New delivery jobs are due: the worker looks at once instead of at its next poll. */
  deliveriesQueued(): void;
  /** The user has new in-app notifications: their open streams read them at once. */
  notificationsStored(userId: string): void;
}

export interface NotificationContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly logger: CoreDeps['logger'];
  readonly metrics: NotificationMetrics;
  readonly settings: NotificationSettings;
  readonly templates: TemplateSet;
  readonly signals: Signals;
  /** Absent where no mail transport was configured (a test of routes only). */
  readonly mail?: MailSender | undefined;
  /** Absent where Web Push is not configured. */
  readonly push?: PushSender | undefined;
  /** True when the embedded mail sink is in use, so that GET /mailbox has something to show. */
  readonly mailbox: boolean;
}

/** The signed-in caller of a request, and the request id its events carry. */
export interface Caller {
  readonly user: AuthenticatedUser;
  readonly requestId: string;
}
