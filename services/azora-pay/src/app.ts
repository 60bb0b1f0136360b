// Pay's HTTP app: checkout, payments, refunds and the provider's webhooks. The provider is
// Stripe when both of its keys are configured, the embedded sandbox otherwise; background work
// (the sandbox's webhook deliveries, reconciliation) starts only once the server listens.
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { createHttpClient, serviceApp, type CoreDeps } from '@azora/service-kit';
import { createEducationCatalog } from './clients/education-courses';
import { configSchema, type PayConfig } from './config';
import type { CourseCatalog, PaymentProvider } from './domain/ports';
import type { TokenPricing } from './domain/pricing';
import { startReconciliation } from './jobs/reconciliation';
import { payMetrics, type PayMetrics } from './metrics';
import { createSandboxProvider } from './providers/sandbox-provider';
import { createSandboxWebhookSender, type SandboxWebhookSender } from './providers/sandbox-webhooks';
import { createStripeProvider } from './providers/stripe-provider';
import { checkoutRoutes } from './routes/checkout';
import { paymentRoutes } from './routes/payments';
import { webhookRoutes } from './routes/webhooks';
import type { PayContext } from './use-cases/context';

export type PayDeps = CoreDeps;

/** What the app is built from besides its deps: the provider, Education, the token price. */
export interface PayParts {
  provider: PaymentProvider;
  courses: CourseCatalog;
  tokens: TokenPricing;
  /** Pay's metrics, when already registered on deps.metrics. */
  metrics?: PayMetrics;
}

export function buildPayApp(deps: PayDeps, { metrics, ...parts }: PayParts): { app: Express; ctx: PayContext } {
  const ctx: PayContext = {
    pool: deps.pool,
    clock: deps.clock,
    publish: deps.publish,
    logger: deps.logger,
    metrics: metrics ?? payMetrics(deps.metrics),
    ...parts,
  };
  const app = serviceApp(deps, {
    beforeBodyParsing: (express) => webhookRoutes(express, ctx),
    routes: (_router, api) => {
      checkoutRoutes(api, ctx);
      paymentRoutes(api, ctx);
    },
  });
  return { app, ctx };
}

export interface PayRuntime {
  app: Express;
  ctx: PayContext;
  /** The sandbox's webhook sender, when the sandbox is the provider. */
  sandboxWebhooks: SandboxWebhookSender | undefined;
  /** Starts the background work once the service listens at `ownUrl`. */
  start(ownUrl: string): void;
}

export function createPayRuntime(deps: PayDeps, config: PayConfig): PayRuntime {
  const metrics = payMetrics(deps.metrics);
  let sandboxWebhooks: SandboxWebhookSender | undefined;
  let provider: PaymentProvider;
  if (config.stripe) {
    provider = createStripeProvider({ ...config.stripe, timeoutMs: config.providerTimeoutMs });
  } else {
    // Per process unless configured: only this process signs and verifies the sandbox's webhooks.
    const webhookSecret = config.sandbox.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    sandboxWebhooks = createSandboxWebhookSender({
      secret: webhookSecret,
      clock: deps.clock,
      logger: deps.logger,
      stopping: deps.stopping,
      maxAttempts: config.sandbox.webhookAttempts,
      baseDelayMs: config.sandbox.webhookRetryMs,
      maxDelayMs: 60_000,
      onOutcome: (outcome) => metrics.sandboxDeliveries.inc({ outcome }),
    });
    provider = createSandboxProvider({ pool: deps.pool, clock: deps.clock, webhookSecret, webhooks: sandboxWebhooks });
  }
  const courses = createEducationCatalog({
    baseUrl: config.education.url,
    http: createHttpClient({ maxSockets: 16 }),
    credentials: deps.credentials,
    timeoutMs: config.education.timeoutMs,
  });
  const { app, ctx } = buildPayApp(deps, { provider, courses, tokens: config.tokens, metrics });
  return {
    app,
    ctx,
    sandboxWebhooks,
    start(ownUrl) {
      sandboxWebhooks?.setTarget(ownUrl);
      void startReconciliation(ctx, config.reconciliation, deps.stopping);
    },
  };
}

/** The app alone, with the configuration from the environment (or its defaults). */
export function createApp(deps: PayDeps, config: PayConfig = configSchema().parse(defaultEnv())): Express {
  return createPayRuntime(deps, config).app;
}

/** Enough environment for the defaults: a database URL is required by the schema, not used here. */
function defaultEnv(): Record<string, string> {
  return { DATABASE_URL: 'postgres://unused/unused' };
}
