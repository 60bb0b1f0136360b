// Pay's process: config, database, migrations, listen; then the sandbox's webhook deliveries and
// the reconciliation loop; graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createPayRuntime, type PayRuntime } from './app';
import { loadConfig, SERVICE, type PayConfig } from './config';

let runtime: { pay: PayRuntime; config: PayConfig } | undefined;

serve({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps, config) => {
    runtime = { pay: createPayRuntime(deps, config), config };
    return runtime.pay.app;
  },
  onStarted: (running) => {
    if (!runtime) return;
    const { pay, config } = runtime;
    // The sandbox posts its webhooks to this service's own address: AZORA_PAY_URL when set.
    pay.start(config.publicUrl ?? running.url);
    pay.ctx.logger.info(
      { provider: pay.ctx.provider.name },
      pay.ctx.provider.name === 'sandbox'
        ? 'payments: the embedded sandbox provider (Stripe test mode, offline)'
        : 'payments: Stripe',
    );
  },
});
