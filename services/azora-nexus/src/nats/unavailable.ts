// NATS failing a request a caller made (publish, replay, a subscription starting 'now'): a 503 the
// caller may retry, as for a database that does not answer, never a 500.
import { DomainError } from '@azora/service-kit/errors';

function natsUnavailable(cause: unknown): DomainError {
  return new DomainError(
    'service.dependency_unavailable',
    'The event stream (NATS) is unavailable; try again shortly',
    {
      extras: { dependency: 'nats' },
      retryAfterSeconds: 5,
      cause,
    },
  );
}

/** `work`, with any failure but a DomainError as natsUnavailable. */
export async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof DomainError ? error : natsUnavailable(error);
  }
}
