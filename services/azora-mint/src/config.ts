// Mint's configuration, parsed once from the environment at start-up.
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, readConfigOrExit } from '@azora/service-kit';

export const SERVICE = serviceInfo('azora-mint');

export const configSchema = baseServiceConfig(SERVICE.schema, SERVICE.port);

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type MintConfig = ReturnType<typeof loadConfig>;
