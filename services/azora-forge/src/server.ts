// Forge's process: config, database, migrations, listen; then the escrow reconciler, which first
// finishes whatever a previous process left unconfirmed. Graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve, type CoreDeps } from '@azora/service-kit';
import { createForgeService } from './app';
import { loadConfig, SERVICE, type ForgeConfig } from './config';
import type { Reconciler } from './use-cases/reconciler';

let reconciler: Reconciler | undefined;

serve<ForgeConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps: CoreDeps, config: ForgeConfig) => {
    const service = createForgeService(deps, config.forge);
    reconciler = service.reconciler;
    return service.app;
  },
  onStarted: () => reconciler?.start(),
  onClose: [() => reconciler?.stop()],
});
