// AI Family's configuration, parsed once from the environment at start-up.
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, readConfigOrExit } from '@azora/service-kit';

export const SERVICE = serviceInfo('ai-family-service');

export const configSchema = baseServiceConfig(SERVICE.schema, SERVICE.port);

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type AiFamilyConfig = ReturnType<typeof loadConfig>;
