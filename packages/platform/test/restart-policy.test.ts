// When a process that exited on its own is started again: back-off, its reset, the crash loop.
import { DEFAULT_RESTART_POLICY, createRestartTracker, type RestartPolicy } from '../src';

const POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 4_000,
  stableAfterMs: 60_000,
  maxExits: 6,
  windowMs: 60_000,
};

describe('restart policy', () => {
  it('When nothing else is asked for, then the policy waits 0.5 s doubling to 30 s, and gives up at 5 exits within a minute', () => {
    // Assert
    expect(DEFAULT_RESTART_POLICY).toEqual({
      initialDelayMs: 500,
      maxDelayMs: 30_000,
      stableAfterMs: 60_000,
      maxExits: 5,
      windowMs: 60_000,
    });
  });

  it('When a process keeps exiting soon after it started, then each wait doubles, up to the maximum', () => {
    // Arrange
    const tracker = createRestartTracker({ ...POLICY, maxExits: 100 });

    // Act
    const delays = [0, 1, 2, 3, 4, 5].map((i) => tracker.onExit(i * 1_000, 1_000));

    // Assert
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000].map((delayMs) => ({ action: 'restart', delayMs })));
  });

  it('When a process ran for longer than stableAfterMs before it exited, then the next wait is the first one again', () => {
    // Arrange
    const tracker = createRestartTracker(POLICY);
    tracker.onExit(0, 1_000);
    tracker.onExit(1_000, 1_000);

    // Act
    const afterAGoodRun = tracker.onExit(200_000, 60_000);

    // Assert
    expect(afterAGoodRun).toEqual({ action: 'restart', delayMs: 500 });
  });

  it('When a process exits maxExits times within windowMs, then it is given up on', () => {
    // Arrange
    const tracker = createRestartTracker(POLICY);
    const decisions = [];

    // Act
    for (let i = 0; i < 6; i++) decisions.push(tracker.onExit(i * 5_000, 1_000));

    // Assert
    expect(decisions.slice(0, 5).every((d) => d.action === 'restart')).toBe(true);
    expect(decisions[5]).toEqual({ action: 'give-up', exits: 6, windowMs: 60_000 });
  });

  it('When exits are spread wider than windowMs, then the old ones no longer count towards a crash loop', () => {
    // Arrange
    const tracker = createRestartTracker(POLICY);

    // Act
    const decisions = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => tracker.onExit(i * 20_000, 1_000));

    // Assert
    expect(decisions.map((d) => d.action)).toEqual(Array(8).fill('restart'));
  });
});
