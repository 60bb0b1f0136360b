// What AI Family's use cases need from the outside world, passed in explicitly.
import type { AuthenticatedUser, Clock, CoreDeps, Pool, Publish } from '@azora/service-kit';
import type { ChatProvider, EducationReads } from '../domain/ports';
import type { ReplySettings } from '../domain/settings';
import type { AiMetrics } from '../metrics';
import type { LiveReplies } from './live-replies';

export interface AiContext {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly publish: Publish;
  readonly logger: CoreDeps['logger'];
  readonly metrics: AiMetrics;
  readonly provider: ChatProvider;
  readonly education: EducationReads;
  readonly settings: ReplySettings;
  readonly replies: LiveReplies;
}

/** The signed-in caller of a request, and the request id its events carry. */
export interface Caller {
  readonly user: AuthenticatedUser;
  readonly requestId: string;
}
