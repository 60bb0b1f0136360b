// Mint's rules that are configuration, not code: reward amounts, the daily reward cap and the
// top-up price.
export interface MintSettings {
  readonly rewards: {
    /** AZR for education.lesson.completed; 0 turns the reward off. */
    readonly lesson: number;
    /** AZR for education.course.completed. */
    readonly course: number;
    /** AZR bonus for forge.job.completed, on top of the released escrow. */
    readonly job: number;
  };
  /** Reward AZR (lessons, courses and job bonuses together) one user is paid per UTC day at most. */
  readonly rewardDailyCap: number;
  /** Minor currency units (cents) a top-up pays per AZR credited. */
  readonly topUpMinorUnitsPerAzr: number;
}

export const DEFAULT_SETTINGS: MintSettings = {
  rewards: { lesson: 1, course: 10, job: 50 },
  rewardDailyCap: 500,
  topUpMinorUnitsPerAzr: 1,
};

export function mintSettings(overrides: Partial<MintSettings> = {}): MintSettings {
  return { ...DEFAULT_SETTINGS, ...overrides, rewards: { ...DEFAULT_SETTINGS.rewards, ...overrides.rewards } };
}
