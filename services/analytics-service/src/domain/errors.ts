// Analytics's DomainError factories. Each names a code of the catalog (statuses and titles are
// declared once, in packages/contracts/src/problems); the code is what a client branches on.
import { DomainError, invalidRequest } from '@azora/service-kit/errors';

export const invalidRange = (path: string, message: string) =>
  new DomainError('analytics.invalid_range', `${path}: ${message}`, { extras: { issues: [{ path, message }] } });

export const ingestBusy = (cause: unknown) =>
  new DomainError('analytics.ingest_busy', 'Too many writers touched the same people at once; send the batch again', {
    retryAfterSeconds: 1,
    cause,
  });

/** Events of a batch sent without a signed-in user that do not say who the visitor is. */
export const anonymousIdRequired = (indexes: readonly number[]) =>
  invalidRequest(
    indexes.map((index) => ({
      path: `body.events.${index}.anonymousId`,
      message: 'required when no user is signed in: say which visitor the event is from',
      code: 'anonymous_id_required',
    })),
  );
