// Nexus's domain errors: one factory per refusal, each naming a code of the bus problem catalog
// (packages/contracts/src/problems/bus.ts) and saying why in its detail.
import type { DeadLetter } from '@azora/contracts';
import { DomainError } from '@azora/service-kit/errors';

export function sourceMismatch(index: number, source: string, caller: string): DomainError {
  return new DomainError(
    'events.source_mismatch',
    `events.${index}.source is "${source}" but the caller is ${caller}: a service publishes only as itself`,
  );
}

export function notOwner(index: number, type: string, owner: string | undefined, caller: string): DomainError {
  return new DomainError(
    'events.not_owner',
    `events.${index}.type "${type}" is published only by ${owner ?? 'no service'}, not by ${caller}`,
  );
}

/** An event larger than the event stream takes in one message (NATS max_payload). */
export function eventTooLarge(index: number, bytes: number, limit: number): DomainError {
  return new DomainError(
    'request.body_too_large',
    `events.${index} is ${bytes} bytes as stored; the event stream takes at most ${limit} bytes per event`,
  );
}

export function subscriptionNotFound(id: string): DomainError {
  return new DomainError('subscriptions.not_found', `No subscription ${id}`);
}

export function subscribesOnlyItself(caller: string, subscriber: string): DomainError {
  return new DomainError(
    'subscriptions.not_own',
    `subscriber is "${subscriber}" but the caller is ${caller}: a service subscribes only itself`,
  );
}

export function notOwnSubscription(caller: string, id: string, subscriber: string): DomainError {
  return new DomainError('subscriptions.not_own', `subscription ${id} belongs to ${subscriber}, not to ${caller}`);
}

export function othersSubscriptions(caller: string, subscriber: string): DomainError {
  return new DomainError('subscriptions.not_own', `${caller} may list only its own subscriptions, not ${subscriber}'s`);
}

export function othersDeadLetters(caller: string, subscriber: string): DomainError {
  return new DomainError('dead_letters.not_own', `${caller} may list only its own dead letters, not ${subscriber}'s`);
}

export function deadLetterNotFound(id: string): DomainError {
  return new DomainError('dead_letters.not_found', `No dead letter ${id}`);
}

export function notOwnDeadLetter(caller: string, id: string, subscriber: string): DomainError {
  return new DomainError('dead_letters.not_own', `dead letter ${id} belongs to ${subscriber}, not to ${caller}`);
}

export function retryInProgress(id: string): DomainError {
  return new DomainError('dead_letters.retry_in_progress', `Dead letter ${id} is being retried right now`);
}

export function alreadyDelivered(id: string): DomainError {
  return new DomainError('dead_letters.already_delivered', `Dead letter ${id} was already delivered`);
}

export function refusedAgain(subscriber: string, error: string, deadLetter: DeadLetter): DomainError {
  return new DomainError('dead_letters.delivery_failed', `${subscriber} refused the event again: ${error}`, {
    extras: { deadLetter },
  });
}

export function invalidCursor(): DomainError {
  return new DomainError('request.invalid_cursor', 'query.cursor: not a cursor this list gave out');
}
