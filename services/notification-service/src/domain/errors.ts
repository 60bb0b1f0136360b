// Notification's DomainError factories. Each names a code of the catalog (statuses and titles
// are declared once, in packages/contracts/src/problems/notification.ts).
import type { NotificationChannel, NotificationKind } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';

export { invalidCursor } from '@azora/service-kit/errors';

export const notificationNotFound = (id: string) =>
  new DomainError('notification.not_found', `You have no notification ${id}`);

export const preferenceRequired = (kind: NotificationKind, channel: NotificationChannel) =>
  new DomainError(
    'notification.preference_required',
    `${kind} ${channel} is security-relevant and is always sent: it cannot be switched off`,
    { extras: { kind, channel } },
  );

export const pushSubscriptionNotFound = (id: string) =>
  new DomainError('push_subscription.not_found', `You have no push subscription ${id}`);

export const pushEndpointNotAllowed = (host: string) =>
  new DomainError(
    'push_subscription.endpoint_not_allowed',
    `${host} is not a push service this deployment sends to (see PUSH_ALLOWED_HOSTS)`,
    { extras: { issues: [{ path: 'body.endpoint', message: 'not an allowed push service' }] } },
  );

export const pushUnavailable = () =>
  new DomainError('push.unavailable', 'Web Push is not configured on this deployment');

export const deliveryNotFound = (id: string) => new DomainError('delivery.not_found', `No delivery ${id}`);

export const deliveryNotFailed = (id: string, status: string) =>
  new DomainError('delivery.not_failed', `Delivery ${id} is ${status}: only a failed delivery can be retried`);

export const mailboxUnavailable = () =>
  new DomainError(
    'mailbox.unavailable',
    'Mail goes to the SMTP server of SMTP_URL: the embedded mail sink, and its mailbox, run only when SMTP_URL is unset',
  );

export const mailNotFound = (id: string) => new DomainError('mail.not_found', `No mail ${id} in the mailbox`);
