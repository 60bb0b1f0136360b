// parseEnvExample: the names a service's .env.example declares, set or commented out.
import { parseEnvExample } from '../src';

describe('parseEnvExample', () => {
  it('When lines set or comment out variables among prose and blanks, then each name is read once', () => {
    // Arrange
    const text = [
      '# Mint: every variable it reads, with its default',
      'PORT=3002',
      '# MINT_REWARD_LESSON=1',
      '#REWARD_DAILY_CAP=500',
      '',
      '# Set this in production, not here:',
      'PORT=3002',
      'lowercase=ignored',
    ].join('\n');

    // Act
    const names = parseEnvExample(text);

    // Assert
    expect(names).toEqual(['PORT', 'MINT_REWARD_LESSON', 'REWARD_DAILY_CAP']);
  });
});
