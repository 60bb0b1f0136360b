// The bus tests run against both backends of Nexus: each file's suite once over PostgreSQL
// alone and once over a real nats-server's JetStream (started for the file, stopped after it).
import { stopNatsServer } from './nats-server';

const BACKENDS = ['postgres', 'nats'] as const;
export type Backend = (typeof BACKENDS)[number];

/** `describe.each` over the backends; the file's nats-server stops after its last test. */
export function describeEachBackend(name: string, suite: (backend: Backend) => void): void {
  describe.each(BACKENDS)(`${name} (%s)`, suite);
  afterAll(stopNatsServer);
}
