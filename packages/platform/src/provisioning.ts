// What the launcher sets up before a service may start: its database role, schema and
// migrations, its signing key, and for the gateway its key-encryption key.
import path from 'node:path';
import { SERVICES, type ServiceInfo } from '@azora/contracts';
import { bootstrap, loadRolePasswords, platformDatabases, roleFor, urlAs } from '@azora/database';
import { provisionServiceKeys } from '@azora/service-kit';
import { provisionKeyEncryptionKey } from './key-encryption-key';
import type { ServiceSecrets } from './service-env';

export interface Provisioning {
  /** One service's own secrets. */
  secretsOf(info: ServiceInfo): ServiceSecrets;
  /** Creates the roles and schemas of `services` and runs their migrations. */
  bootstrap(services: readonly ServiceInfo[]): Promise<void>;
}

export async function provision(superuserUrl: string, dataDir: string): Promise<Provisioning> {
  const databases = platformDatabases();
  const passwords = await loadRolePasswords(
    path.join(dataDir, 'role-passwords.json'),
    databases.map((d) => d.schema),
  );
  // Every key before the first service starts: each verifies the others against this key set.
  const keys = await provisionServiceKeys(
    path.join(dataDir, 'keys'),
    SERVICES.map((s) => s.name),
  );
  const keyEncryptionKeyFile = await provisionKeyEncryptionKey(dataDir);
  return {
    secretsOf: (info) => ({
      databaseUrl: urlAs(superuserUrl, roleFor(info.schema), passwords[info.schema] as string),
      keyFile: keys.keyFile(info.name),
      jwksFile: keys.jwksFile,
      ...(info.name === 'api-gateway' ? { keyEncryptionKeyFile } : {}),
    }),
    bootstrap: async (services) => {
      const schemas = new Set(services.map((s) => s.schema));
      await bootstrap({ superuserUrl, databases: databases.filter((d) => schemas.has(d.schema)), passwords });
    },
  };
}
