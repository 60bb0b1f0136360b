// What `npm start` says when it restarts a process or gives up on one.
import { describeSupervisionEvent, supervisionEventJson, type SupervisionEvent } from '../src';

const exited: SupervisionEvent = {
  event: 'exited',
  name: 'azora-mint',
  pid: 4242,
  code: null,
  signal: 'SIGKILL',
  ranMs: 12_300,
  restarts: 2,
  restartInMs: 2_000,
  lastLines: ['azora-mint | INFO  listening port=3002'],
};

describe('supervision report', () => {
  it('When a service exits, then the report names it, its pid, the signal, the restart to come and its last log lines', () => {
    // Act
    const text = describeSupervisionEvent(exited);

    // Assert
    expect(text).toContain('azora-mint (pid 4242) exited on signal SIGKILL after 12 s');
    expect(text).toContain('restart 3 in 2.0 s');
    expect(text).toContain('Its last log lines:\n    azora-mint | INFO  listening port=3002');
  });

  it('When a process exits with a code, then the report gives the code', () => {
    // Act
    const text = describeSupervisionEvent({ ...exited, code: 1, signal: null });

    // Assert
    expect(text).toContain('exited with code 1');
  });

  it('When the database exits, then the report says the services answer 503 until it is back, and a run of one message is said once', () => {
    // Arrange
    const dying =
      '2026-11-30 01:45:57.634 UTC [22708] FATAL:  terminating connection due to unexpected postmaster exit';
    const lastLines = [dying, dying.replace('22708', '22710'), dying.replace('22708', '22711'), 'the server is gone'];

    // Act
    const text = describeSupervisionEvent({ ...exited, name: 'postgres', lastLines });

    // Assert
    expect(text).toContain('the services answer /ready with 503 naming the database');
    expect(text).toContain(`    ${dying}\n    (2 more like the line above)\n    the server is gone`);
  });

  it('When a process is given up on, then the report says it is crash-looping, is not restarted, and that the others keep running', () => {
    // Act
    const text = describeSupervisionEvent({
      event: 'gave-up',
      name: 'azora-pay',
      pid: 77,
      code: 1,
      signal: null,
      exits: 5,
      windowMs: 60_000,
      lastLines: ['azora-pay | FATAL config: PAY_CURRENCY is not a currency'],
    });

    // Assert
    expect(text).toContain('azora-pay (pid 77) exited with code 1: 5 exits within 60 s');
    expect(text).toContain('not restarted again');
    expect(text).toContain('The other services keep running.');
    expect(text).toContain('PAY_CURRENCY is not a currency');
  });

  it('When a restarted process is ready again, then the report says it is back, with its pid and restart count', () => {
    // Act
    const text = describeSupervisionEvent({
      event: 'restarted',
      name: 'azora-mint',
      pid: 5151,
      restarts: 3,
      ready: true,
      tookMs: 1_400,
    });

    // Assert
    expect(text).toBe('azora-mint is back (pid 5151, restart 3, 1.4 s).');
  });

  it('When an event is printed as JSON, then it has everything but the log lines, which the text already holds', () => {
    // Act
    const json = JSON.parse(supervisionEventJson(exited)) as Record<string, unknown>;

    // Assert
    expect(json).toEqual({
      event: 'exited',
      name: 'azora-mint',
      pid: 4242,
      code: null,
      signal: 'SIGKILL',
      ranMs: 12_300,
      restarts: 2,
      restartInMs: 2_000,
    });
  });
});
