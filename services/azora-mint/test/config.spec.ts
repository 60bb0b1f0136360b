import { configSchema } from '../src/config';

const DATABASE = { MINT_DATABASE_URL: 'postgres://azora_mint:secret@127.0.0.1:5432/azora' };

describe("Mint's configuration", () => {
  it('When nothing of Mint is set, then the documented reward amounts, daily cap and top-up price apply', () => {
    expect(configSchema.parse(DATABASE).mint).toEqual({
      rewards: { lesson: 1, course: 10, job: 50 },
      rewardDailyCap: 500,
      topUpMinorUnitsPerAzr: 1,
    });
  });

  it('When REWARD_DAILY_CAP is set, then it is the cap', () => {
    expect(configSchema.parse({ ...DATABASE, REWARD_DAILY_CAP: '120' }).mint.rewardDailyCap).toBe(120);
  });

  it.each(['-1', '2.5', 'lots'])('When REWARD_DAILY_CAP is %s, then the configuration names it as invalid', (value) => {
    const result = configSchema.safeParse({ ...DATABASE, REWARD_DAILY_CAP: value });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('REWARD_DAILY_CAP');
  });
});
