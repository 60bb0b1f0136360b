// A client signed in to a fake gateway that records every request, for the tests that check
// which route each client method calls.
import { createAzoraClient, type AzoraClient } from '../../src';
import { startFakeGateway, type FakeGateway, type RecordedRequest } from './fake-gateway';
import { newUser } from './users';

/** A v4 UUID, as the client generates for Idempotency-Key. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface SignedInClient {
  readonly gateway: FakeGateway;
  readonly client: AzoraClient;
  /** The one request `call` made. */
  lastRequestOf(call: () => Promise<unknown>): Promise<RecordedRequest>;
}

export async function startSignedInClient(configure?: Parameters<typeof startFakeGateway>[0]): Promise<SignedInClient> {
  const gateway = await startFakeGateway(configure);
  const client = createAzoraClient({ baseUrl: gateway.url });
  await client.auth.register(newUser());
  return {
    gateway,
    client,
    async lastRequestOf(call) {
      const before = gateway.recorded.length;
      await call();
      expect(gateway.recorded.length).toBe(before + 1);
      return gateway.recorded[before]!;
    },
  };
}
