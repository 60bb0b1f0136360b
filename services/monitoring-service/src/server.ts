// Monitoring's process: config, database, migrations, listen, then the probe loop; on SIGTERM
// the server stops accepting, the round in progress finishes, the pool closes. Monitoring
// publishes and consumes no events (bus: false), so its readiness never hangs on Nexus's: it is
// what reports Nexus down.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { serve } from '@azora/service-kit';
import { createMonitoring, type Monitoring } from './app';
import { loadConfig, SERVICE, type MonitoringConfig } from './config';

let monitoring: Monitoring | undefined;

serve<MonitoringConfig>({
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  bus: false,
  createApp: (deps, config) => {
    monitoring = createMonitoring(deps, { settings: config.monitoring, metricsToken: config.metricsToken });
    return monitoring.app;
  },
  onStarted: () => monitoring?.monitor.start(),
  onClose: [() => monitoring?.monitor.stop()],
});
