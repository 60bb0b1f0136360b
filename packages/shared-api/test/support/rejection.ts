// Awaits a promise that must reject with an AzoraApiError, and returns that error.
import { isAzoraApiError, type AzoraApiError } from '../../src';

export async function rejection(promise: Promise<unknown>): Promise<AzoraApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAzoraApiError(error)) throw new Error(`expected an AzoraApiError, got ${String(error)}`);
  return error;
}
