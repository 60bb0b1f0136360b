// Real service processes for full-system tests: started from their compiled dist/server.js on
// 127.0.0.1, with their output kept for failure messages, and killed (gently or with -9).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serviceUrlVariable, type ServiceName } from '@azora/contracts';
import { provisionServiceKeys } from '@azora/service-kit';
import { freePort, waitFor } from '@azora/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly url: string;
  readonly port: number;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, no clean-up of any kind. */
  kill(): Promise<void>;
  /** Starts the same service again on the same port. */
  restart(): Promise<void>;
}

export interface Deployment {
  keysDir: string;
  jwksFile: string;
  keyFile(service: string): string;
  /** Deletes the keys (and their temporary directory). */
  remove(): Promise<void>;
}

export async function createDeployment(services: readonly string[]): Promise<Deployment> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'azora-it-'));
  const keysDir = path.join(root, 'keys');
  const keys = await provisionServiceKeys(keysDir, services);
  return {
    keysDir,
    jwksFile: keys.jwksFile,
    keyFile: keys.keyFile,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

export async function startService(
  name: ServiceName,
  { deployment, env, port }: { deployment: Deployment; env: Record<string, string>; port?: number },
): Promise<ServiceProcess> {
  const entry = path.join(REPO_ROOT, 'services', name, 'dist', 'server.js');
  const listenPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${listenPort}`;
  let child: ChildProcess;
  let log = '';

  const launch = async () => {
    child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(listenPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SERVICE_KEY_FILE: deployment.keyFile(name),
        SERVICE_JWKS_FILE: deployment.jwksFile,
        [serviceUrlVariable(name)]: url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
        const res = await fetch(`${url}/health`);
        if (!res.ok) throw new Error(`health ${res.status}`);
      },
      { timeoutMs: 20_000, what: `${name} to listen` },
    );
  };
  const exited = () =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );

  await launch();
  return {
    name,
    url,
    port: listenPort,
    output: () => log,
    async stop() {
      const done = exited();
      child.kill('SIGTERM');
      await done;
    },
    async kill() {
      const done = exited();
      child.kill('SIGKILL');
      await done;
    },
    restart: launch,
  };
}
