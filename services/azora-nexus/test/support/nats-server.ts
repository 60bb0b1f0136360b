// A real nats-server for a test file: JetStream on, 127.0.0.1, a port of its own choosing (read
// from its log, so parallel files never race for one), a fresh store directory, and the HTTP
// monitor (for counting subscriptions). Started on first use, stopped by its pid after the file.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface NatsServer {
  readonly url: string;
  readonly monitorUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const CANDIDATES = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];

/** The nats-server binary, or an error saying how to install it: the NATS tests never skip. */
function natsServerBinary(): string {
  for (const dir of CANDIDATES) {
    const candidate = path.join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(
    'nats-server is not installed, and the JetStream backend tests need a real one: install the Debian package ' +
      '`nats-server` (apt-get install -y nats-server), or put a nats-server 2.9+ binary on PATH',
  );
}

function listening(child: ChildProcess, what: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const match = what.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it listened:\n${log}`));
    });
  });
}

export async function startNatsServer(): Promise<NatsServer> {
  const binary = natsServerBinary();
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'nexus-nats-'));
  // -p -1 and -m -1: ports the server picks; it logs them.
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', '-1', '-m', '-1', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const client = listening(child, /Listening for client connections on ([\d.]+:\d+)/);
  const monitor = listening(child, /Starting http monitor on ([\d.]+:\d+)/);
  const [clientAddress, monitorAddress] = await Promise.all([client, monitor]).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    rmSync(storeDir, { recursive: true, force: true });
    throw error;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `nats://${clientAddress}`,
    monitorUrl: `http://${monitorAddress}`,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null) process.kill(child.pid as number, 'SIGTERM');
      await exited;
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<NatsServer> | undefined;

/** The test file's nats-server, started on first use. */
export function natsServer(): Promise<NatsServer> {
  shared ??= startNatsServer();
  return shared;
}

/** Stops the test file's nats-server, if one was started. */
export async function stopNatsServer(): Promise<void> {
  const started = shared;
  shared = undefined;
  if (started) await (await started).stop();
}
