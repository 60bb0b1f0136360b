// Problems of Notification: the inbox, preferences, push subscriptions, deliveries and the mailbox.
import { defineProblems } from './define';

export const NOTIFICATION_PROBLEMS = defineProblems({
  'notification.not_found': { status: 404, title: 'Notification not found' },
  'notification.preference_required': { status: 422, title: 'Notification cannot be switched off' },
  'push_subscription.not_found': { status: 404, title: 'Push subscription not found' },
  'push_subscription.endpoint_not_allowed': { status: 422, title: 'Push service not allowed' },
  'push.unavailable': { status: 503, title: 'Web Push not configured' },
  'delivery.not_found': { status: 404, title: 'Delivery not found' },
  'delivery.not_failed': { status: 409, title: 'Delivery has not failed' },
  'mailbox.unavailable': { status: 404, title: 'No embedded mailbox' },
  'mail.not_found': { status: 404, title: 'Mail not found' },
});
