// API Gateway's process: config, database, migrations, the signing keys and the administrator,
// then listen; graceful stop on SIGTERM.
import '@azora/service-kit/tracing';
import path from 'node:path';
import { runService, type RunServiceOptions } from '@azora/service-kit';
import { createGateway, type Gateway } from './app';
import { loadConfig, SERVICE, type ApiGatewayConfig } from './config';

let gateway: Gateway | undefined;

const options: RunServiceOptions<ApiGatewayConfig> = {
  info: SERVICE,
  migrationsDir: path.join(__dirname, '..', 'migrations'),
  config: loadConfig,
  createApp: async (deps, config) => {
    gateway = createGateway({
      ...deps,
      settings: config.gateway.settings,
      upstreams: config.gateway.upstreams,
      signingKeyPem: config.gateway.signingKeyPem,
      keyEncryptionKey: config.gateway.keyEncryptionKey,
    });
    // Fail at start-up, not at the first login, when the keys cannot be loaded or made.
    await gateway.keyRing.reload();
    if (config.gateway.admin) {
      const admin = await gateway.identity.ensureAdmin(config.gateway.admin);
      deps.logger.info({ userId: admin.id, email: admin.email }, 'administrator from ADMIN_EMAIL is ready');
    }
    return gateway.app;
  },
  onClose: [() => gateway?.close()],
};

runService(options).catch(() => {
  setTimeout(() => process.exit(1), 100);
});
