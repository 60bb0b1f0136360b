// createPrefixer: one readable line per log line of a service, with the service's name in front.
import { createPrefixer } from '../src';

describe('createPrefixer', () => {
  it('When a pino JSON line comes in with colour off, then it reads "<name padded> | LEVEL message key=value"', () => {
    // Arrange
    const prefix = createPrefixer('azora-mint', 2, 12, false);
    const line = JSON.stringify({
      level: 30,
      time: 1_700_000_000_000,
      pid: 4242,
      hostname: 'box',
      service: 'azora-mint',
      msg: 'listening',
      port: 3002,
      url: 'http://127.0.0.1:3002',
    });

    // Act
    const formatted = prefix(line);

    // Assert
    expect(formatted).toBe('azora-mint   | INFO  listening port=3002 url=http://127.0.0.1:3002');
  });

  it('When a pino line carries an object and an error level, then the object is JSON and the level is named', () => {
    // Arrange
    const prefix = createPrefixer('azora-pay', 5, 10, false);
    const line = JSON.stringify({ level: 50, msg: 'payment failed', err: { code: 'pay.declined' } });

    // Act
    const formatted = prefix(line);

    // Assert
    expect(formatted).toBe('azora-pay  | ERROR payment failed err={"code":"pay.declined"}');
  });

  it('When a line is not JSON, then it passes through unchanged behind the prefix', () => {
    // Arrange
    const prefix = createPrefixer('postgres', 10, 12, false);

    // Act
    const formatted = prefix('LOG:  database system is ready to accept connections');

    // Assert
    expect(formatted).toBe('postgres     | LOG:  database system is ready to accept connections');
  });

  it('When a line is JSON without a pino level, then it passes through unchanged behind the prefix', () => {
    // Arrange
    const prefix = createPrefixer('azora-nexus', 0, 11, false);

    // Act
    const formatted = prefix('{"ready":true}');

    // Assert
    expect(formatted).toBe('azora-nexus | {"ready":true}');
  });

  it('When colour is on, then the prefix is painted in the colour of the service index', () => {
    // Arrange
    const prefix = createPrefixer('azora-nexus', 0, 11, true);

    // Act
    const formatted = prefix('plain');

    // Assert
    expect(formatted).toBe('\u001b[36mazora-nexus |\u001b[0m plain');
  });
});
