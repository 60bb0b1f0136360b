// A small platform for full-system tests: Nexus, the gateway and the services a test names, each
// a real process on its own port, wired to each other the way the launcher wires them.
import { randomBytes } from 'node:crypto';
import { serviceUrlVariable, databaseUrlVariable, serviceInfo, type ServiceName } from '@azora/contracts';
import { freePort, type TestDatabase } from '@azora/testing';
import { createDeployment, startService, type ServiceProcess } from './processes';

export interface Platform {
  gatewayUrl: string;
  service(name: ServiceName): ServiceProcess;
  stop(): Promise<void>;
}

export const ADMIN = { email: 'admin@azora.test', password: 'admin-password-1' };

export async function startPlatform(
  db: TestDatabase,
  names: ServiceName[],
  extraEnv: Partial<Record<ServiceName, Record<string, string>>> = {},
): Promise<Platform> {
  const all: ServiceName[] = [
    'azora-nexus',
    'api-gateway',
    ...names.filter((n) => n !== 'azora-nexus' && n !== 'api-gateway'),
  ];
  const deployment = await createDeployment(all);
  // The gateway keeps its signing keys encrypted at rest with this key.
  const keyEncryptionKey = randomBytes(32).toString('base64');
  const ports = Object.fromEntries(
    await Promise.all(all.map(async (name) => [name, await freePort()] as const)),
  ) as Record<ServiceName, number>;
  const urls = Object.fromEntries(all.map((name) => [serviceUrlVariable(name), `http://127.0.0.1:${ports[name]}`]));
  const started: ServiceProcess[] = [];
  try {
    for (const name of all) {
      const schema = serviceInfo(name).schema;
      started.push(
        await startService(name, {
          deployment,
          port: ports[name],
          env: {
            ...urls,
            [databaseUrlVariable(schema)]: db.urlFor(schema),
            ADMIN_EMAIL: ADMIN.email,
            ADMIN_PASSWORD: ADMIN.password,
            ...(name === 'api-gateway' ? { GATEWAY_KEY_ENCRYPTION_KEY: keyEncryptionKey } : {}),
            ...(extraEnv[name] ?? {}),
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    await deployment.remove();
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${ports['api-gateway']}`,
    service: (name) => {
      const found = started.find((s) => s.name === name);
      if (!found) throw new Error(`${name} is not part of this platform`);
      return found;
    },
    async stop() {
      await Promise.all(started.map((s) => s.stop()));
      await deployment.remove();
    },
  };
}
