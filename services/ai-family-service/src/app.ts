// AI Family's HTTP app: personas, conversations, messages (JSON or streamed replies that outlive
// their connection), the daily budget, and the offline tutor's index of published courses.
// createAiFamily builds the app and its background work over one context; it starts nothing:
// server.ts (or a test) calls start() once the server listens and drain() before the pool closes.
import type { Express } from 'express';
import { createHttpClient, serviceApp, type CoreDeps } from '@azora/service-kit';
import { createEducationClient } from './clients/education';
import { configSchema, type AiFamilyConfig } from './config';
import type { ChatProvider, EducationReads } from './domain/ports';
import { DEFAULT_REPLY_SETTINGS, type ReplySettings } from './domain/settings';
import { registerEventHandlers } from './events/handlers';
import { aiMetrics } from './metrics';
import { createOfflineProvider } from './providers/offline-provider';
import { createOpenAiProvider } from './providers/openai-provider';
import { conversationRoutes } from './routes/conversations';
import { messageRoutes } from './routes/messages';
import { personaRoutes } from './routes/personas';
import type { AiContext } from './use-cases/context';
import { createCourseIndexer, type CourseIndexer } from './use-cases/course-index';
import { runOrphanSweeps } from './use-cases/interrupt-replies';
import { createLiveReplies } from './use-cases/live-replies';

export type AiFamilyDeps = CoreDeps;

/** What the app is built from besides its deps. */
export interface AiFamilyParts {
  provider: ChatProvider;
  education: EducationReads;
  settings?: Partial<ReplySettings>;
}

export interface AiFamily {
  readonly app: Express;
  readonly ctx: AiContext;
  readonly indexer: CourseIndexer;
  /** The background work: catch-up and indexing, the sweep of interrupted replies. */
  start(): void;
  /** On shutdown: every reply in progress is stored as interrupted before the pool closes. */
  drain(): Promise<void>;
}

export function createAiFamily(deps: AiFamilyDeps, parts: AiFamilyParts): AiFamily {
  const settings = { ...DEFAULT_REPLY_SETTINGS, ...parts.settings };
  const metrics = aiMetrics(deps.metrics);
  const replies = createLiveReplies({ onSizeChange: (size) => metrics.streamsInProgress.set(size) });
  const ctx: AiContext = {
    pool: deps.pool,
    clock: deps.clock,
    publish: deps.publish,
    logger: deps.logger,
    metrics,
    provider: parts.provider,
    education: parts.education,
    settings,
    replies,
  };
  const indexer = createCourseIndexer(ctx);
  registerEventHandlers(deps.events, indexer);
  deps.stopping.addEventListener('abort', () => replies.abortAll('shutdown'), { once: true });
  const app = serviceApp(deps, {
    routes: (_router, api) => {
      personaRoutes(api, ctx);
      conversationRoutes(api, ctx);
      messageRoutes(api, ctx, { stopping: deps.stopping, heartbeatMs: settings.heartbeatMs });
    },
  });
  return {
    app,
    ctx,
    indexer,
    start() {
      void indexer.run(deps.stopping);
      void runOrphanSweeps(ctx, deps.stopping);
    },
    drain: () => replies.drain(),
  };
}

/** The provider the configuration names: OpenAI (or a compatible server) with a key, else the offline tutor. */
export function providerFor(config: AiFamilyConfig): ChatProvider {
  return config.openai
    ? createOpenAiProvider(config.openai)
    : createOfflineProvider({ tokenDelayMs: config.settings.offlineTokenDelayMs });
}

export function createAiFamilyFromConfig(deps: AiFamilyDeps, config: AiFamilyConfig): AiFamily {
  return createAiFamily(deps, {
    provider: providerFor(config),
    education: createEducationClient({
      baseUrl: config.education.url,
      http: createHttpClient({ maxSockets: 16 }),
      credentials: deps.credentials,
      timeoutMs: config.education.timeoutMs,
      logger: deps.logger,
    }),
    settings: config.settings,
  });
}

/** The app alone, with the configuration from the environment's defaults (the offline tutor). */
export function createApp(deps: AiFamilyDeps, config: AiFamilyConfig = configSchema.parse(defaultEnv())): Express {
  return createAiFamilyFromConfig(deps, config).app;
}

/** Enough environment for the defaults: a database URL is required by the schema, not used here. */
function defaultEnv(): Record<string, string> {
  return { DATABASE_URL: 'postgres://unused/unused' };
}
