// SMTP servers that misbehave, for the failure paths: one that accepts mail but drops the
// connection in the middle of the message for chosen recipients, and a port nothing listens on.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface FlakySmtpServer {
  readonly port: number;
  /** Recipients whose mail is cut off mid-message (the connection is destroyed). */
  readonly dropFor: Set<string>;
  /** Addresses of every mail it accepted. */
  readonly accepted: string[];
  close(): Promise<void>;
}

export async function startFlakySmtpServer(): Promise<FlakySmtpServer> {
  const dropFor = new Set<string>();
  const accepted: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      if (to.some((a) => dropFor.has(a))) {
        // Gone in the middle of DATA: the client's connection closes without an answer.
        for (const connection of server.connections) {
          if (connection.id === session.id) connection._socket.destroy();
        }
        return;
      }
      stream.on('end', () => {
        accepted.push(...to);
        callback(null, 'accepted');
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    dropFor,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 that refuses connections: taken from the OS, then released. */
export async function refusingPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
