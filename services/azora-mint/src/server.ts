// Mint's process: config, database, migrations, listen; graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createApp } from './app';
import { loadConfig, SERVICE } from './config';

serve({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: (deps, config) => createApp({ ...deps, settings: config.mint }),
});
