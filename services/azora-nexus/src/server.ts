// Nexus event bus's process: config, database, migrations, the JetStream stream when
// NEXUS_BACKEND=nats, listen, then the dispatcher; on SIGTERM the server stops accepting, the
// dispatcher finishes its attempts, the NATS connection drains, the pool closes.
// Nexus is the bus itself: no outbox relay and no subscription of its own (bus: false).
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createApp, createNexusDispatcher, type Dispatcher } from './app';
import { loadConfig, SERVICE, type NexusConfig } from './config';
import { openNatsStream, type NatsStream } from './nats/stream';

let dispatcher: Dispatcher | undefined;
let nats: NatsStream | undefined;

serve<NexusConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  bus: false,
  createApp: async (deps, config) => {
    const { backend } = config;
    if (backend.kind === 'nats') nats = await openNatsStream({ ...backend, logger: deps.logger });
    const nexusDeps = { ...deps, settings: config.delivery, nats };
    dispatcher = createNexusDispatcher(nexusDeps);
    return createApp(nexusDeps);
  },
  onStarted: () => dispatcher?.start(),
  onClose: [() => dispatcher?.stop(), () => nats?.close()],
});
