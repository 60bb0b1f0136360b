// Problems of the event bus: Nexus's publishing, subscriptions and dead letters, and the signed
// delivery endpoint every consumer mounts.
import { defineProblems } from './define';

export const BUS_PROBLEMS = defineProblems({
  'events.source_mismatch': { status: 403, title: 'Event source mismatch' },
  'events.not_owner': { status: 403, title: 'Event type not owned by caller' },
  'subscriptions.not_found': { status: 404, title: 'Subscription not found' },
  'subscriptions.not_own': { status: 403, title: 'Not your subscription' },
  'dead_letters.not_found': { status: 404, title: 'Dead letter not found' },
  'dead_letters.not_own': { status: 403, title: 'Not your dead letter' },
  'dead_letters.retry_in_progress': { status: 409, title: 'Retry in progress' },
  'dead_letters.already_delivered': { status: 409, title: 'Already delivered' },
  'dead_letters.delivery_failed': { status: 502, title: 'Delivery failed' },
  'bus.unknown_subscription': { status: 409, title: 'Unknown subscription' },
  'bus.not_registered': { status: 503, title: 'Not subscribed yet' },
  'bus.signature_missing': { status: 401, title: 'Delivery signature missing' },
  'bus.signature_malformed': { status: 401, title: 'Delivery signature malformed' },
  'bus.signature_stale': { status: 401, title: 'Delivery signature stale' },
  'bus.signature_mismatch': { status: 401, title: 'Delivery signature mismatch' },
  'bus.foreign_event': { status: 403, title: 'Event from a service that does not own its type' },
});
