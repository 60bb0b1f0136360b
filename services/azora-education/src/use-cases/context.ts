// What Education's use cases need from the outside world, passed in explicitly.
import type { AuthenticatedUser, Clock, CoreDeps, Pool, Publish } from '@azora/service-kit';
import type { EducationMetrics } from '../metrics';

export interface EducationContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly metrics: EducationMetrics;
  readonly logger: CoreDeps['logger'];
}

/** The signed-in caller of a request, and the request id its events carry. */
export interface Caller {
  readonly user: AuthenticatedUser;
  readonly requestId: string;
}
