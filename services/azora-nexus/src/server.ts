// Nexus event bus's process: config, database, migrations, listen, then the dispatcher;
// on SIGTERM the server stops accepting, the dispatcher finishes its attempts, the pool closes.
// Nexus is the bus itself: no outbox relay and no subscription of its own (bus: false).
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createApp, createNexusDispatcher, type Dispatcher } from './app';
import { loadConfig, SERVICE, type NexusConfig } from './config';

let dispatcher: Dispatcher | undefined;

serve<NexusConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  bus: false,
  createApp: (deps, config) => {
    const nexusDeps = { ...deps, settings: config.delivery };
    dispatcher = createNexusDispatcher(nexusDeps);
    return createApp(nexusDeps);
  },
  onStarted: () => dispatcher?.start(),
  onClose: [() => dispatcher?.stop()],
});
