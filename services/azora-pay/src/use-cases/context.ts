// What Pay's use cases need from the outside world, passed in explicitly.
import type { AuthenticatedUser, Clock, CoreDeps, Pool, Publish } from '@azora/service-kit';
import type { CourseCatalog, PaymentProvider } from '../domain/ports';
import type { TokenPricing } from '../domain/pricing';
import type { PayMetrics } from '../metrics';

export interface PayContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly logger: CoreDeps['logger'];
  readonly metrics: PayMetrics;
  readonly provider: PaymentProvider;
  readonly courses: CourseCatalog;
  readonly tokens: TokenPricing;
}

/** The signed-in caller of a request, and the request id its events carry. */
export interface Caller {
  readonly user: AuthenticatedUser;
  readonly requestId: string;
}
