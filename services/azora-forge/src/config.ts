// Forge's configuration, parsed once from the environment at start-up: the settings every
// service has, where Mint is and how long to wait for it, and the escrow reconciliation schedule.
import { z } from 'zod';
import { serviceInfo } from '@azora/contracts';
import { baseServiceConfig, intVar, readConfigOrExit, urlVar } from '@azora/service-kit';

export const SERVICE = serviceInfo('azora-forge');

const forgeVariables = z.looseObject({
  AZORA_MINT_URL: urlVar().default('http://127.0.0.1:3002'),
  FORGE_MINT_TIMEOUT_MS: intVar(5_000, 100, 120_000),
  FORGE_RECONCILE_INTERVAL_MS: intVar(30_000, 100),
  FORGE_RECONCILE_MIN_AGE_MS: intVar(5_000, 0),
  FORGE_RECONCILE_BATCH: intVar(50, 1, 1_000),
});

/** What Forge needs beyond the settings every service has. */
export interface ForgeSettings {
  mintUrl: string;
  mintTimeoutMs: number;
  reconcile: { intervalMs: number; minAgeMs: number; batch: number };
}

export const DEFAULT_FORGE_SETTINGS: ForgeSettings = {
  mintUrl: 'http://127.0.0.1:3002',
  mintTimeoutMs: 5_000,
  reconcile: { intervalMs: 30_000, minAgeMs: 5_000, batch: 50 },
};

export function configSchema() {
  const base = baseServiceConfig(SERVICE.schema, SERVICE.port);
  // Both parts are checked, so one start-up message names every bad variable.
  return z.record(z.string(), z.string()).transform((vars, ctx) => {
    const common = base.safeParse(vars);
    const own = forgeVariables.safeParse(vars);
    for (const issue of [...(common.error?.issues ?? []), ...(own.error?.issues ?? [])])
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    if (!common.success || !own.success) return z.NEVER;
    const env = own.data;
    const forge: ForgeSettings = {
      mintUrl: env.AZORA_MINT_URL,
      mintTimeoutMs: env.FORGE_MINT_TIMEOUT_MS,
      reconcile: {
        intervalMs: env.FORGE_RECONCILE_INTERVAL_MS,
        minAgeMs: env.FORGE_RECONCILE_MIN_AGE_MS,
        batch: env.FORGE_RECONCILE_BATCH,
      },
    };
    return { ...common.data, forge };
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema(), env);
}
export type ForgeConfig = ReturnType<typeof loadConfig>;
