// A stand-in for another service or a provider, served on a free port of 127.0.0.1: what fakes
// in a test's support folder listen with. close() cuts connections still open (a stalled
// answer, a stream) rather than waiting for them.
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@azora/service-kit';

export interface FreePortServer {
  readonly server: Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveOnFreePort(listener: RequestListener): Promise<FreePortServer> {
  const server = createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
