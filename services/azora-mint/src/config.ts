// Mint's configuration, parsed once from the environment at start-up.
import { z } from 'zod';
import { MAX_AZR_AMOUNT, serviceInfo } from '@azora/contracts';
import { baseServiceConfig, readConfigOrExit } from '@azora/service-kit';
import { DEFAULT_SETTINGS, type MintSettings } from './domain/settings';

export const SERVICE = serviceInfo('azora-mint');

const tokens = (fallback: number) =>
  z.coerce.number({ error: 'expected a whole number of AZR' }).int().min(0).max(MAX_AZR_AMOUNT).default(fallback);

const mintVariables = z.object({
  MINT_REWARD_LESSON: tokens(DEFAULT_SETTINGS.rewards.lesson),
  MINT_REWARD_COURSE: tokens(DEFAULT_SETTINGS.rewards.course),
  MINT_REWARD_JOB: tokens(DEFAULT_SETTINGS.rewards.job),
  REWARD_DAILY_CAP: tokens(DEFAULT_SETTINGS.rewardDailyCap),
  MINT_TOPUP_MINOR_UNITS_PER_AZR: z.coerce
    .number({ error: 'expected a whole number of minor units' })
    .int()
    .min(1)
    .max(1_000_000)
    .default(DEFAULT_SETTINGS.topUpMinorUnitsPerAzr),
});

export const configSchema = z
  .intersection(baseServiceConfig(SERVICE.schema, SERVICE.port), mintVariables)
  .transform(
    ({
      MINT_REWARD_LESSON,
      MINT_REWARD_COURSE,
      MINT_REWARD_JOB,
      REWARD_DAILY_CAP,
      MINT_TOPUP_MINOR_UNITS_PER_AZR,
      ...base
    }) => ({
      ...base,
      mint: {
        rewards: { lesson: MINT_REWARD_LESSON, course: MINT_REWARD_COURSE, job: MINT_REWARD_JOB },
        rewardDailyCap: REWARD_DAILY_CAP,
        topUpMinorUnitsPerAzr: MINT_TOPUP_MINOR_UNITS_PER_AZR,
      } satisfies MintSettings,
    }),
  );

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  return readConfigOrExit(configSchema, env);
}
export type MintConfig = ReturnType<typeof loadConfig>;
