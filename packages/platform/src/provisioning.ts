// What the launcher sets up before a service may start: its database role, schema and
// migrations, its signing key, for the gateway its key-encryption key, and for a service that
// keeps files of its own a directory only it can write.
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type ServiceInfo, type ServiceName } from '@azora/contracts';
import { bootstrap, loadRolePasswords, platformDatabases, roleFor, urlAs } from '@azora/database';
import { provisionServiceKeys } from '@azora/service-kit';
import { provisionKeyEncryptionKey } from './key-encryption-key';
import type { ServiceSecrets } from './service-env';

/** Files a service makes and keeps for itself, by the variable that names each. They live in
 * `$AZORA_DATA_DIR/services/<service>/`, where only that service may write. */
const OWN_FILES: Partial<Record<ServiceName, Readonly<Record<string, string>>>> = {
  'notification-service': { VAPID_KEYS_FILE: 'vapid.json' },
};

/** Where a file of OWN_FILES was kept before services had directories of their own. */
const FORMER_PLACES: Readonly<Record<string, string>> = { VAPID_KEYS_FILE: path.join('keys', 'vapid.json') };

/** Creates the service's own directory (0700) and moves a file left in its former place, so that,
 * for instance, browsers' push subscriptions stay bound to the VAPID key they were made with. */
async function ownDirectory(dataDir: string, service: ServiceName): Promise<Record<string, string>> {
  const files = OWN_FILES[service];
  if (!files) return {};
  // services/ lets each service into its own directory (0711) without listing the others.
  await mkdir(path.join(dataDir, 'services'), { recursive: true, mode: 0o711 });
  await chmod(path.join(dataDir, 'services'), 0o711);
  const dir = path.join(dataDir, 'services', service);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const placed: Record<string, string> = {};
  for (const [variable, name] of Object.entries(files)) {
    placed[variable] = path.join(dir, name);
    const former = FORMER_PLACES[variable] ? path.join(dataDir, FORMER_PLACES[variable]) : undefined;
    if (former && existsSync(former) && !existsSync(placed[variable])) await rename(former, placed[variable]);
  }
  return placed;
}

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
  const ownFiles = new Map<string, Record<string, string>>();
  for (const info of SERVICES) ownFiles.set(info.name, await ownDirectory(dataDir, info.name));
  return {
    secretsOf: (info) => ({
      databaseUrl: urlAs(superuserUrl, roleFor(info.schema), passwords[info.schema] as string),
      keyFile: keys.keyFile(info.name),
      jwksFile: keys.jwksFile,
      ...(info.name === 'api-gateway' ? { keyEncryptionKeyFile } : {}),
      ...(OWN_FILES[info.name as ServiceName]
        ? { ownDirectory: path.join(dataDir, 'services', info.name), ownFiles: ownFiles.get(info.name) }
        : {}),
    }),
    bootstrap: async (services) => {
      const schemas = new Set(services.map((s) => s.schema));
      await bootstrap({ superuserUrl, databases: databases.filter((d) => schemas.has(d.schema)), passwords });
    },
  };
}
