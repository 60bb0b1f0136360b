// portIsFree: the check that names a service whose port is taken before anything starts.
import net from 'node:net';
import { portIsFree } from '../src';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}

describe('portIsFree', () => {
  const holder = net.createServer();

  afterAll(async () => {
    await close(holder);
  });

  it('When a net server holds the port, then it is not free; when it closes, then it is free again', async () => {
    // Arrange
    const port = await listen(holder);

    // Act
    const whileHeld = await portIsFree(port, '127.0.0.1');
    await close(holder);
    const afterClose = await portIsFree(port, '127.0.0.1');

    // Assert
    expect(whileHeld).toBe(false);
    expect(afterClose).toBe(true);
  });
});
