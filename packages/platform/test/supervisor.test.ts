// The supervisor with stand-in processes: what it restarts, what it reports, when it gives up,
// and that a stop reaches whatever runs at that moment.
import { supervise, type Ending, type Incarnation, type RestartPolicy, type SupervisionEvent } from '../src';

/** No waiting between restarts: these tests are about what happens, not when. */
const POLICY: RestartPolicy = {
  initialDelayMs: 0,
  maxDelayMs: 0,
  stableAfterMs: 60_000,
  maxExits: 3,
  windowMs: 60_000,
};

interface FakeProcess extends Incarnation {
  exit(ending: Ending): void;
  readonly stopped: boolean;
  readonly killed: boolean;
}

let nextPid = 1000;

function fakeProcess(lines: string[] = []): FakeProcess {
  let end!: (ending: Ending) => void;
  const ended = new Promise<Ending>((resolve) => (end = resolve));
  const state = { stopped: false, killed: false };
  return {
    pid: nextPid++,
    ended,
    lastLines: () => lines,
    exit: (ending) => end(ending),
    get stopped() {
      return state.stopped;
    },
    get killed() {
      return state.killed;
    },
    async stop() {
      state.stopped = true;
      end({ code: 0, signal: null });
      await ended;
    },
    async kill() {
      state.killed = true;
      end({ code: null, signal: 'SIGKILL' });
      await ended;
    },
  };
}

/** A supervisor whose restarts start fake processes, and everything it reported. */
function supervised(overrides: { before?: () => Promise<void>; failToStart?: boolean } = {}) {
  const first = fakeProcess(['first says goodbye']);
  const started: FakeProcess[] = [];
  const events: SupervisionEvent[] = [];
  const supervisor = supervise({
    name: 'azora-mint',
    first,
    policy: POLICY,
    report: (event) => events.push(event),
    ...(overrides.before ? { before: overrides.before } : {}),
    async restart(track) {
      const next = fakeProcess([`process ${started.length + 2} says goodbye`]);
      started.push(next);
      track(next);
      if (overrides.failToStart) {
        next.exit({ code: 1, signal: null });
        throw new Error('exited before it was ready');
      }
      return true;
    },
  });
  return { first, started, events, supervisor };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await settle();
  if (!condition()) throw new Error('the condition never held');
}

describe('supervisor', () => {
  it('When the process exits on its own, then a new one is started and both the exit and the restart are reported', async () => {
    // Arrange
    const { first, started, events, supervisor } = supervised();

    // Act
    first.exit({ code: null, signal: 'SIGKILL' });
    await until(() => events.length === 2);

    // Assert
    expect(events).toEqual([
      expect.objectContaining({
        event: 'exited',
        name: 'azora-mint',
        pid: first.pid,
        code: null,
        signal: 'SIGKILL',
        restarts: 0,
        lastLines: ['first says goodbye'],
      }),
      expect.objectContaining({
        event: 'restarted',
        name: 'azora-mint',
        pid: started[0]!.pid,
        restarts: 1,
        ready: true,
      }),
    ]);
    expect(supervisor.current()).toBe(started[0]);
    expect(supervisor.restarts()).toBe(1);
    expect(supervisor.state()).toBe('running');
    await supervisor.stop();
  });

  it('When it keeps dying, then after maxExits within the window it is given up on, reported once, and not started again', async () => {
    // Arrange
    const { first, started, events, supervisor } = supervised({ failToStart: true });

    // Act
    first.exit({ code: 1, signal: null });
    await until(() => supervisor.state() === 'gave up');

    // Assert
    expect(started).toHaveLength(POLICY.maxExits - 1);
    expect(events.map((e) => e.event)).toEqual(['exited', 'exited', 'gave-up']);
    expect(events[2]).toMatchObject({ exits: 3, windowMs: 60_000, code: 1, lastLines: ['process 3 says goodbye'] });
    await supervisor.stop();
  });

  it('When it is stopped, then the process running now is stopped and nothing is restarted', async () => {
    // Arrange
    const { first, started, events, supervisor } = supervised();
    first.exit({ code: 1, signal: null });
    await until(() => started.length === 1);

    // Act
    await supervisor.stop();
    await settle();

    // Assert
    expect(started).toHaveLength(1);
    expect(started[0]!.stopped).toBe(true);
    expect(events.map((e) => e.event)).toEqual(['exited', 'restarted']);
    expect(supervisor.state()).toBe('stopped');
  });

  it('When a restart waits on `before` and the supervisor stops meanwhile, then nothing is started', async () => {
    // Arrange
    let release!: () => void;
    const before = () => new Promise<void>((resolve) => (release = resolve));
    const { first, started, supervisor } = supervised({ before });
    first.exit({ code: 1, signal: null });
    await until(() => release !== undefined);

    // Act
    const stopping = supervisor.stop();
    release();
    await stopping;

    // Assert
    expect(started).toEqual([]);
  });

  it('When it is killed, then the process running now is killed by force', async () => {
    // Arrange
    const { first, supervisor } = supervised();

    // Act
    await supervisor.kill();

    // Assert
    expect(first.killed).toBe(true);
    expect(supervisor.state()).toBe('stopped');
  });

  it('When the process is down, then whenUp resolves only once its restart is up', async () => {
    // Arrange
    let release!: () => void;
    const before = () => new Promise<void>((resolve) => (release = resolve));
    const { first, supervisor } = supervised({ before });
    let up = false;
    first.exit({ code: 1, signal: null });
    await until(() => release !== undefined);

    // Act
    void supervisor.whenUp().then(() => (up = true));
    await settle();
    const upWhileDown = up;
    release();
    await until(() => up);

    // Assert
    expect(upWhileDown).toBe(false);
    expect(up).toBe(true);
    await supervisor.stop();
  });
});
