// What Forge's use cases need from the outside world, passed in explicitly.
import type { AuthenticatedUser, Clock, CoreDeps, Pool, Publish } from '@azora/service-kit';
import type { EscrowLedger } from '../domain/ports';
import type { ForgeMetrics } from '../metrics';

export interface ForgeContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly metrics: ForgeMetrics;
  readonly logger: CoreDeps['logger'];
  /** Mint's escrow, called with Forge's service credential. */
  readonly escrow: EscrowLedger;
}

/** The signed-in caller of a request, and the request id its events carry. */
export interface Caller {
  readonly user: AuthenticatedUser;
  readonly requestId: string;
}
